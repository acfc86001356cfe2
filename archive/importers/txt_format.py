"""Plain-text layers of printed issues (as pdftotext or a copy from a PDF reader gives).

What is left of the layout: one printed line per text line (often with a blank
line between), a leading space on the first line of each new page, and now and
then a bare page number.
"""

from django.utils.translation import gettext

from archive.importers import LINE, ParseError, limits
from archive.importers.assemble import IssueAssembler
from archive.importers.lines import Line

CONTROL_CHARACTERS = {chr(code) for code in range(32)} - {"\n", "\r", "\t", "\f"}


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM) or GB18030; returns the text and notes for the user."""
    notes = []
    if not data.strip():
        raise ParseError(
            1,
            gettext("the text of an issue"),
            found=gettext("an empty file"),
            unit=LINE,
        )
    if b"\x00" in data[:4096]:
        raise _not_text()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 3 and error.reason == "unexpected end of data":
            text = data[: error.start].decode("utf-8-sig")
            notes.append(
                gettext(
                    "The file ends in an incomplete character, which was dropped; "
                    "the file may be truncated."
                )
            )
        else:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                line = data[: error.start].count(b"\n") + 1
                raise ParseError(
                    line,
                    gettext("text in UTF-8 or GB18030"),
                    found=gettext("unrecognisable bytes"),
                    unit=LINE,
                ) from None
            notes.append(
                gettext("The file is in GB18030 encoding and was read as such.")
            )
    sample = text[:20000]
    junk = sum(1 for char in sample if char in CONTROL_CHARACTERS or char == "\ufffd")
    if junk > max(3, len(sample) // 100):
        raise _not_text()
    return text, notes


def _not_text() -> ParseError:
    return ParseError(
        1,
        gettext("a text file in UTF-8 or GB18030"),
        found=gettext("binary data"),
        unit=LINE,
    )


def text_to_lines(text: str, progress=None) -> list[Line]:
    """Number the lines; a line that starts with a space right after text opens a page."""
    lines = []
    budget = limits.Budget.start(progress, LINE)
    previous_blank = True
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate(raw_lines, start=1):
        budget.reached(number, len(raw_lines))
        raw = raw.replace("\f", " ")
        stripped = raw.strip()
        if not stripped:
            previous_blank = True
            continue
        budget.count(stripped)
        lines.append(
            Line(
                text=stripped,
                number=number,
                page_break_before=raw[:1].isspace() and not previous_blank,
            )
        )
        previous_blank = False
    return lines


def parse_txt(data: bytes, known_sections=(), progress=None):
    text, notes = decode_text(data)
    issue = IssueAssembler(
        text_to_lines(text, progress),
        known_sections=known_sections,
        unit=LINE,
        count_pages=True,
    ).parse()
    for note in notes:
        issue.warn(0, note)
    return issue
