"""Readers for back issues: one parser per file format, all producing ParsedIssue.

Every failure a user can cause is an IssueImportError with a message that names
the line (or page, or paragraph) and what was expected there.
"""

from collections.abc import Callable
from pathlib import PurePath

from django.utils.translation import gettext, pgettext_lazy

# A long import tells a progress callback where it is: (stage, done, total), where
# the stage is reading the file (lines, paragraphs or pages) or writing its items.
READING, WRITING = "reading", "writing"
Progress = Callable[[str, int, int], None]

# What a message's number counts in each format: a text file's lines, a Word
# file's paragraphs, a PDF's pages.
LINE, PARAGRAPH, PAGE = "line", "paragraph", "page"
UNIT_WORDS = {
    LINE: pgettext_lazy("unit of an imported file", "line"),
    PARAGRAPH: pgettext_lazy("unit of an imported file", "paragraph"),
    PAGE: pgettext_lazy("unit of an imported file", "page"),
}


def unit_word(unit: str) -> str:
    """The unit in words, in the active language."""
    return str(UNIT_WORDS[unit])


def located(number: int, unit: str, message: str) -> str:
    """The message prefixed with where it applies (“line 3: …”); unchanged when
    `number` is 0, for what concerns the whole file."""
    if not number:
        return message
    return gettext("%(unit)s %(number)s: %(message)s") % {
        "unit": unit_word(unit),
        "number": number,
        "message": message,
    }


class IssueImportError(Exception):
    """An import that cannot go ahead; the message is meant for the archivist."""


class ParseError(IssueImportError):
    """The file does not look like an issue at `line`: `expected` says what should be there."""

    def __init__(self, line: int, expected: str, found: str = "", unit: str = LINE):
        self.line = line
        self.expected = expected
        self.found = found
        self.unit = unit
        if found:
            message = gettext("expected %(expected)s, found “%(found)s”.") % {
                "expected": expected,
                "found": found[:40],
            }
        else:
            message = gettext("expected %(expected)s.") % {"expected": expected}
        super().__init__(located(line, unit, message))


class ImportRefused(IssueImportError):
    """The file parsed, but writing it would clash with what is already stored."""


SUPPORTED_EXTENSIONS = (".txt", ".pdf", ".docx")
# The unit each format's messages count in.
UNITS = {".txt": LINE, ".docx": PARAGRAPH, ".pdf": PAGE}


def unit_of(name: str) -> str:
    """The unit of the file called `name`, by its extension (lines if unknown)."""
    return UNITS.get(PurePath(name).suffix.lower(), LINE)


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
            0,
            gettext("a file with the extension .txt, .pdf or .docx"),
            found=PurePath(name).name,
        )
    return parsers[suffix](data, known_sections=known_sections, progress=progress)
