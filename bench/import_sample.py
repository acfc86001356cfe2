"""Time importing the sample issue: parse alone, dry run, new import and replace.

Runs with production settings (DEBUG off: no query log) against a throwaway
SQLite database and cache in a temporary directory, median of 5 runs each, and
prints the SQL statements of one run of each, each time's ratio to
parsing alone and the targets of issue #16 (dry run <= 150 ms, import <= 250 ms):
    .venv/bin/python bench/import_sample.py [SAMPLE.txt]
"""

import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SAMPLE = ROOT / "archive" / "samples" / "xinxi-zhaibian-2023-08.txt"
RUNS = 5
TARGETS_MS = {"dry run": 150, "new import": 250, "replace": 250}


def main() -> None:
    sample = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SAMPLE
    with tempfile.TemporaryDirectory(prefix="bulletin-bench-") as workdir:
        run(sample, workdir)


def run(sample: Path, workdir: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = f"{workdir}/media"
    os.environ["CACHE_DIR"] = f"{workdir}/cache"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bulletin.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections, reset_queries, transaction
    from django.test.utils import CaptureQueriesContext

    from archive.importers import parse_file
    from archive.importers.lines import display_width
    from archive.models import ImportMode
    from archive.services import issue_import

    call_command("migrate", verbosity=0)
    data = sample.read_bytes()

    def parse():
        return parse_file(sample.name, data)

    def dry_run():
        issue_import(parse(), dry_run=True)

    def new_import():
        # Written, indexed, then undone by the surrounding transaction, so every
        # run imports into the same empty database.
        with transaction.atomic():
            issue_import(parse())
            transaction.set_rollback(True)

    def replace():
        # The first run imports; the others replace that draft in place.
        issue_import(parse(), mode=ImportMode.REPLACE)

    print(f"sample: {sample} ({len(data):,} bytes), database: {workdir}")
    parse_median = None
    for label, action in (
        ("parse only", parse),
        ("dry run", dry_run),
        ("new import", new_import),
        ("replace", replace),
    ):
        timings = []
        for _ in range(RUNS):
            # Each run measures its lines anew, as an import of another file would
            # (what the process keeps per character stays).
            display_width.cache_clear()
            start = time.perf_counter()
            action()
            timings.append(time.perf_counter() - start)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            action()
        median = statistics.median(timings) * 1000
        parse_median = parse_median or median
        line = (
            f"{label:>10}: median {median:7.1f} ms (min {min(timings) * 1000:.1f}, "
            f"max {max(timings) * 1000:.1f}, n={RUNS}), {len(queries):4} statements, "
            f"{median / parse_median:4.1f}x parsing"
        )
        if label in TARGETS_MS:
            target = TARGETS_MS[label]
            verdict = "met" if median <= target else "MISSED"
            line += f", target <= {target} ms: {verdict}"
        print(line)
    connections.close_all()


if __name__ == "__main__":
    main()
