"""Time importing the sample issue: parse alone, dry run, and real import (median of 5).

Runs against a throwaway SQLite database in a temporary directory:
    .venv/bin/python bench/import_sample.py [SAMPLE.txt]
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SAMPLE = ROOT / "archive" / "samples" / "xinxi-zhaibian-2023-08.txt"
RUNS = 5


def main() -> None:
    sample = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SAMPLE
    with tempfile.TemporaryDirectory(prefix="bulletin-bench-") as workdir:
        run(sample, workdir)


def run(sample: Path, workdir: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = f"{workdir}/media"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bulletin.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from archive.importers import parse_file
    from archive.models import ImportMode
    from archive.services import issue_import

    call_command("migrate", verbosity=0)
    data = sample.read_bytes()

    def parse():
        return parse_file(sample.name, data)

    def dry_run():
        issue_import(parse(), dry_run=True)

    def real():
        # The first run imports; the others replace that draft in place.
        issue_import(parse(), mode=ImportMode.REPLACE)

    print(f"sample: {sample} ({len(data):,} bytes), database: {workdir}")
    for label, action in (
        ("parse only", parse),
        ("dry run", dry_run),
        ("import", real),
    ):
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            action()
            timings.append(time.perf_counter() - start)
        print(
            f"{label:>10}: median {statistics.median(timings) * 1000:8.1f} ms "
            f"(min {min(timings) * 1000:.1f}, max {max(timings) * 1000:.1f}, n={RUNS})"
        )
    connections.close_all()


if __name__ == "__main__":
    main()
