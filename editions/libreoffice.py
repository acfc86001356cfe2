"""LibreOffice, headless: lays a Word file out as a reader's office suite does.

The Word edition's 目录 stores the page of each heading, so it reads right when
opened without asking to update fields; only a word processor knows those pages.
`EDITIONS_LIBREOFFICE` names the `soffice` program; empty, the contents lists the
titles without page numbers (Word still fills them in on F9).
"""

import io
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

TIMEOUT = 180  # seconds; a first start of LibreOffice builds its profile


def is_available() -> bool:
    return bool(settings.EDITIONS_LIBREOFFICE)


def convert_to_pdf(content: bytes, suffix: str = ".docx") -> bytes:
    """The PDF LibreOffice prints of the file, with a fresh profile each time
    (two workers may convert at once)."""
    with tempfile.TemporaryDirectory(prefix="bulletin-soffice-") as directory:
        folder = Path(directory)
        source = folder / f"edition{suffix}"
        source.write_bytes(content)
        subprocess.run(  # noqa: S603 (the program is a setting, not input)
            [
                settings.EDITIONS_LIBREOFFICE,
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=TIMEOUT,
        )
        return (folder / "edition.pdf").read_bytes()


def heading_pages(content: bytes, suffix: str = ".docx") -> list[tuple[str, int]]:
    """[(heading text, 0-based page index)] in reading order, from the outline
    LibreOffice exports for the headings."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(convert_to_pdf(content, suffix)))
    found = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item)))

    walk(reader.outline)
    return found
