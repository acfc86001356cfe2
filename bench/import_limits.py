"""Peak memory and time of reading the largest files the import allows, and of
refusing hostile ones, each in a fresh process (so its peak RSS is its own).

    .venv/bin/python bench/import_limits.py

Baseline in the same run: a Python process that only starts Django. The
"largest allowed" text file is the sample issue repeated as often as the
character and paragraph limits (IMPORT_LIMITS) allow.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "archive" / "samples" / "xinxi-zhaibian-2023-08.txt"

CHILD = """
import os, sys
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bulletin.settings")
import django
django.setup()
from archive.importers import IssueImportError, parse_file
path = {path!r}
if path:
    try:
        parsed = parse_file(os.path.basename(path), open(path, "rb").read())
        print("read", len(parsed.items), "items")
    except IssueImportError as error:
        print("refused:", str(error)[:100])
"""


def measure(path: str) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, what the child printed) for one file."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(root=str(ROOT), path=path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    said = child.stdout.read().strip()
    # wait4 gives this child's own resource use (its peak RSS in KB).
    _pid, _status, usage = os.wait4(child.pid, 0)
    child.returncode = 0
    return time.perf_counter() - started, usage.ru_maxrss / 1024, said


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bulletin.settings")
    from django.conf import settings

    from tests.archive.hostile_files import (
        deflate_bomb,
        million_paragraphs,
        pdf_with_stream,
    )

    with tempfile.TemporaryDirectory(prefix="bulletin-limits-") as folder:
        folder = Path(folder)
        sample = SAMPLE.read_text("utf-8")
        lines = sum(1 for line in sample.splitlines() if line.strip())
        copies = min(
            settings.IMPORT_LIMITS["characters"] // len(sample),
            settings.IMPORT_LIMITS["paragraphs"] // lines,
        )
        largest = folder / "largest.txt"
        largest.write_text(sample * copies, "utf-8")
        files = [
            ("baseline (Django only)", ""),
            ("sample issue (txt)", str(SAMPLE)),
            (
                f"largest allowed txt ({largest.stat().st_size // 2**20} MB)",
                str(largest),
            ),
        ]
        for name, make in [
            ("deflate bomb docx", deflate_bomb),
            ("2M-paragraph docx", million_paragraphs),
            ("30 MB-stream pdf", lambda: pdf_with_stream(30 * 2**20)),
        ]:
            path = folder / name.replace(" ", "-")
            path = path.with_suffix(".pdf" if "pdf" in name else ".docx")
            path.write_bytes(make())
            files.append((f"{name} ({path.stat().st_size // 1024} KB)", str(path)))
        print(f"{'file':<38} {'seconds':>8} {'peak RSS MB':>12}  result")
        for name, path in files:
            seconds, peak, said = measure(path)
            print(f"{name:<38} {seconds:8.2f} {peak:12.0f}  {said}")


if __name__ == "__main__":
    main()
