"""Readers for back issues: one parser per file format, all producing ParsedIssue.

Every failure a user can cause is an IssueImportError with a message that names
the line (or page, or paragraph) and what was expected there.
"""

from collections.abc import Callable
from pathlib import PurePath

# A long import tells a progress callback where it is: (stage, done, total), where
# the stage is reading the file (lines, paragraphs or pages) or writing its items.
READING, WRITING = "reading", "writing"
Progress = Callable[[str, int, int], None]


class IssueImportError(Exception):
    """An import that cannot go ahead; the message is meant for the archivist."""


class ParseError(IssueImportError):
    """The file does not look like an issue at `line`: `expected` says what should be there."""

    def __init__(self, line: int, expected: str, found: str = "", unit: str = "行"):
        self.line = line
        self.expected = expected
        self.found = found
        self.unit = unit
        where = f"第 {line} {unit}：" if line else ""
        message = f"{where}应为{expected}"
        if found:
            message += f"，实际是“{found[:40]}”"
        super().__init__(message + "。")


class ImportRefused(IssueImportError):
    """The file parsed, but writing it would clash with what is already stored."""


SUPPORTED_EXTENSIONS = (".txt", ".pdf", ".docx")


def parse_file(
    name: str, data: bytes, known_sections=(), progress: Progress | None = None
):
    """Pick the parser by extension; `known_sections` are catalogue names to recognise."""
    from archive.importers.docx_format import parse_docx
    from archive.importers.pdf_format import parse_pdf
    from archive.importers.txt_format import parse_txt

    parsers = {".txt": parse_txt, ".pdf": parse_pdf, ".docx": parse_docx}
    suffix = PurePath(name).suffix.lower()
    if suffix not in parsers:
        raise ParseError(
            0, "扩展名为 .txt、.pdf 或 .docx 的文件", found=PurePath(name).name
        )
    return parsers[suffix](data, known_sections=known_sections, progress=progress)
