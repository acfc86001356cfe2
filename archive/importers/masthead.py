"""The masthead: issue and cumulative numbers, the period covered, the board,
the publisher's contacts, and the publication's name between two copies of its
publisher's."""

import re

from django.utils.translation import gettext

from archive.importers import ParseError
from archive.importers.contents import TOC_HEADING_RE
from archive.importers.lines import PAGE_NUMBER_RE, Line, join_wrapped, parse_date
from archive.importers.structure import ParsedIssue
from bulletin.text import CHINESE_NUMERAL_CHARS, CJK_RANGES, parse_chinese_number

CHINESE_NUMERAL = rf"[{CHINESE_NUMERAL_CHARS}\d]+"
# The year in digits, or Chinese ones one by one (二〇二三).
YEAR = r"\d{4}|[〇零一二三四五六七八九]{4}"
ISSUE_NUMBER_RE = re.compile(
    rf"^(?P<year>{YEAR})\s*年\s*第\s*(?P<number>{CHINESE_NUMERAL})\s*期$"
)
CUMULATIVE_RE = re.compile(
    rf"^[（(]?\s*总\s*第\s*(?P<number>{CHINESE_NUMERAL})\s*期\s*[）)]?$"
)
PERIOD_RE = re.compile(
    r"^(?P<start>\d{4}\.\d{1,2}\.\d{1,2})\s*[-–—~至]\s*(?P<end>\d{4}\.\d{1,2}\.\d{1,2})$"
)
PHONE_RE = re.compile(r"^[（(]?\d{3,4}[）)\-－]?\s*\d{7,8}$")
EMAIL_RE = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$", re.ASCII)
WEBSITE_RE = re.compile(r"^(?:https?://)?www\.[\w-]+(?:\.[\w-]+)+/?$", re.ASCII)
CHIEF_EDITOR_RE = re.compile(r"^主\s*编\s*[：:]\s*(?P<name>.*)$")
DEPUTY_EDITOR_RE = re.compile(r"^副\s*主\s*编\s*[：:]\s*(?P<name>.*)$")
PERSON_NAME_RE = re.compile(rf"^[{CJK_RANGES}·]{{2,4}}$")
PUBLICATION_NAME_RE = re.compile(rf"^[{CJK_RANGES}]{{2,8}}$")
# How the facts a masthead must have look, for messages that ask for them.
ISSUE_NUMBER_EXAMPLE = "2023 年 第八期"
CUMULATIVE_EXAMPLE = "（总第二十六期）"
PERIOD_EXAMPLE = "2023.07.16-2023.08.15"


def read_masthead(issue: ParsedIssue, lines: list[Line], first: int, unit: str):
    """Fill the issue's masthead facts from these lines; `first` is the number
    messages point to when a required fact is missing."""
    board = None
    before_contacts, after_contacts = [], []
    seen_contact = False
    for line in lines:
        text = line.text
        if match := ISSUE_NUMBER_RE.match(text):
            issue.year = parse_chinese_number(match["year"])
            issue.number = _number(match["number"], line, unit)
        elif match := CUMULATIVE_RE.match(text):
            issue.cumulative_number = _number(match["number"], line, unit)
        elif match := PERIOD_RE.match(text):
            issue.period_start = parse_date(match["start"], line, unit)
            issue.period_end = parse_date(match["end"], line, unit)
        elif PHONE_RE.match(text):
            issue.phones.append(re.sub(r"\s+", "", text))
            seen_contact = True
        elif EMAIL_RE.match(text):
            issue.email = text
            seen_contact = True
        elif WEBSITE_RE.match(text):
            url = text.rstrip("/")
            issue.website = url if url.startswith("http") else f"http://{url}"
            seen_contact = True
        elif match := DEPUTY_EDITOR_RE.match(text):
            board = issue.deputy_editors
            _add_names(board, match["name"])
        elif match := CHIEF_EDITOR_RE.match(text):
            board = issue.chief_editors
            _add_names(board, match["name"])
        elif board is not None and PERSON_NAME_RE.match(re.sub(r"\s+", "", text)):
            _add_names(board, text)
        elif TOC_HEADING_RE.match(text) or PAGE_NUMBER_RE.match(text):
            continue
        else:
            board = None
            (after_contacts if seen_contact else before_contacts).append(text)
    issue.address = join_wrapped(after_contacts)
    issue.publication_name, issue.publisher = _name_and_publisher(before_contacts)
    _require_numbers_and_period(issue, first, unit)


def _require_numbers_and_period(issue: ParsedIssue, first: int, unit: str) -> None:
    if issue.year is None or issue.number is None:
        expected = gettext(
            "the year and number of the issue in the masthead (such as "
            "“%(example)s”), not found at the start of the file"
        )
        raise ParseError(first, expected % {"example": ISSUE_NUMBER_EXAMPLE}, unit=unit)
    if issue.cumulative_number is None:
        expected = gettext(
            "the cumulative number in the masthead (such as “%(example)s”), not found"
        )
        raise ParseError(first, expected % {"example": CUMULATIVE_EXAMPLE}, unit=unit)
    if issue.period_start is None:
        expected = gettext(
            "the period covered in the masthead (such as “%(example)s”), not found"
        )
        raise ParseError(first, expected % {"example": PERIOD_EXAMPLE}, unit=unit)
    if issue.period_end < issue.period_start:
        raise ParseError(
            first,
            gettext("a period covered that does not end before it starts"),
            unit=unit,
        )


def _add_names(board: list[str], text: str) -> None:
    for name in re.split(r"[，,、；;]", text):
        name = re.sub(r"\s+", "", name)
        if name:
            board.append(name)


def _name_and_publisher(texts: list[str]) -> tuple[str, str]:
    """The cover prints publisher then name; the sidebar repeats the publisher
    wrapped over several lines. Find the name between the two copies."""
    for tail in range(1, len(texts)):
        publisher = "".join(texts[-tail:])
        for head in range(1, len(texts) - tail):
            if "".join(texts[:head]) == publisher:
                name = "".join(texts[head : len(texts) - tail])
                if PUBLICATION_NAME_RE.match(name):
                    return name, publisher
    names = [text for text in texts if PUBLICATION_NAME_RE.match(text)]
    if not names:
        return "", "".join(texts)
    name = names[-1]
    return name, "".join(text for text in texts if text != name)


def _number(text: str, line: Line, unit: str) -> int:
    try:
        value = parse_chinese_number(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ParseError(
            line.number,
            gettext("an issue number greater than zero"),
            found=line.text,
            unit=unit,
        )
    return value
