"""Peak memory and time of importing the largest files the import allows, and of
refusing hostile ones, each in a fresh process (so its peak RSS is its own), as
the background worker does it: read the file, then dry-run it into a database.

    .venv/bin/python bench/import_limits.py

Baseline in the same run: a Python process that only starts Django. The
"largest allowed" files are the sample issue repeated as often as the limits
(IMPORT_LIMITS) allow: as text and Word, up to the character and paragraph
limits; as PDF, up to the page limit. The database is a throwaway SQLite file.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "archive" / "samples" / "xinxi-zhaibian-2023-08.txt"

CHILD = """
import os, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bulletin.settings")
import django
django.setup()
from archive.importers import IssueImportError, parse_file
from archive.services import issue_import
path = {path!r}
if path:
    started = time.perf_counter()
    try:
        parsed = parse_file(os.path.basename(path), open(path, "rb").read())
        read = time.perf_counter() - started
        summary = issue_import(parsed, publication="bench", dry_run=True)
        print(f"read {{read:.1f}} s, dry run of {{summary.article_count}} items")
    except IssueImportError as error:
        print("refused:", str(error)[:90])
"""


def measure(path: str, environment: dict) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, what the child printed) for one file."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(root=str(ROOT), path=path)],
        stdout=subprocess.PIPE,
        text=True,
        env=environment,
    )
    said = child.stdout.read().strip()
    # wait4 gives this child's own resource use (its peak RSS in KB).
    _pid, _status, usage = os.wait4(child.pid, 0)
    child.returncode = 0
    return time.perf_counter() - started, usage.ru_maxrss / 1024, said


def largest_files(folder: Path, limits: dict) -> list[tuple[str, Path]]:
    """The sample issue as the largest text, Word and PDF files the limits allow."""
    sample = SAMPLE.read_text("utf-8")
    lines = [line.strip() for line in sample.splitlines() if line.strip()]
    copies = min(
        limits["characters"] // len(sample), limits["paragraphs"] // len(lines)
    )
    text = folder / "largest.txt"
    text.write_text(sample * copies, "utf-8")
    word = folder / "largest.docx"
    word.write_bytes(_docx(lines * copies))
    pdf = folder / "largest.pdf"
    pages = _pdf(lines, pdf, limits["pages"])
    megabytes = {path: path.stat().st_size / 2**20 for path in (text, word, pdf)}
    return [
        (f"largest txt (×{copies}, {megabytes[text]:.1f} MB)", text),
        (f"largest docx (×{copies}, {megabytes[word]:.1f} MB)", word),
        (f"largest pdf ({pages} pages, {megabytes[pdf]:.1f} MB)", pdf),
    ]


def _docx(lines: list[str]) -> bytes:
    import io

    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(lines: list[str], path: Path, max_pages: int) -> int:
    """The sample's lines, wrapped, 40 to a page, repeated up to the page limit."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    wrapped = [line[i : i + 38] for line in lines for i in range(0, len(line), 38)]
    pdf = canvas.Canvas(str(path))
    pages, row = 1, 0
    while pages <= max_pages:
        for line in wrapped:
            if row == 40:
                if pages == max_pages:
                    pdf.save()
                    return pages
                pdf.showPage()
                pages, row = pages + 1, 0
            pdf.setFont("STSong-Light", 10.5)
            pdf.drawString(60, 780 - row * 18, line)
            row += 1
    pdf.save()
    return pages


def make_files(folder: Path) -> None:
    """Write every file measured, and print their names and paths as JSON.

    Run in its own process: a child forked from a parent that holds Django,
    python-docx and reportlab would start with the parent's memory in its peak.
    """
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bulletin.settings")
    import django

    django.setup()
    from django.conf import settings

    from tests.archive.hostile_files import (
        deflate_bomb,
        million_paragraphs,
        pdf_with_stream,
    )

    files = [
        ("baseline (Django only)", ""),
        ("sample issue (txt)", str(SAMPLE)),
        *(
            (name, str(path))
            for name, path in largest_files(folder, settings.IMPORT_LIMITS)
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
    print(json.dumps(files))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bulletin-limits-") as folder:
        folder = Path(folder)
        environment = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "MEDIA_ROOT": str(folder / "media"),
        }
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [sys.executable, "-c", PUBLICATION.format(root=str(ROOT))],
            env=environment,
            check=True,
        )
        made = subprocess.run(
            [sys.executable, __file__, "--make", str(folder)],
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        )
        print(f"{'file':<36} {'seconds':>8} {'peak RSS MB':>12}  result")
        for name, path in json.loads(made.stdout.splitlines()[-1]):
            seconds, peak, said = measure(path, environment)
            print(f"{name:<36} {seconds:8.2f} {peak:12.0f}  {said}")


PUBLICATION = """
import os, sys
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bulletin.settings")
import django
django.setup()
from issues.models import Publication
Publication.objects.create(name="信息摘编", slug="bench", publisher="信息中心").add_standard_sections()
"""


if __name__ == "__main__":
    if sys.argv[1:2] == ["--make"]:
        make_files(Path(sys.argv[2]))
    else:
        main()
