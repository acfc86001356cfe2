"""What every reading stage works on: classified lines, re-flowed paragraphs, and
the few patterns and measures more than one stage needs."""

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext

from archive.importers import ParseError
from bulletin.text import is_cjk

PAGE_NUMBER_RE = re.compile(r"^\d{1,3}$")
# "人民日报 2023-07-19": the line that opens every item.
SOURCE_DATE_RE = re.compile(
    r"^(?P<source>[^\s，。；：,;:][^，。；：;]{0,38}?)\s+(?P<date>\d{4}-\d{1,2}-\d{1,2})$"
)
# How such a line looks, for messages that ask for one.
SOURCE_DATE_EXAMPLE = "人民日报 2023-07-19"
URL_RE = re.compile(r"^https?://\S+$")
# A paragraph ends on one of these, or on a closing quote right after one: “…。”
SENTENCE_END = "。！？；：…!?"
CLOSING_QUOTES = "”’」』"


@dataclass
class Line:
    """One line (or, for Word, one paragraph) of the input, ready to classify."""

    text: str
    number: int
    page_break_before: bool = False
    page: int | None = None
    role: str = ""  # "section", "title" or "subheading" when typography says so
    whole_paragraph: bool = False


@dataclass
class Paragraph:
    text: str
    line: int
    line_count: int
    width: float
    role: str = ""


@functools.lru_cache(maxsize=8192)  # the stages measure each line several times
def display_width(text: str) -> float:
    """Width in em as a CJK font sets it: ideographs and curly quotes one, Latin
    letters and digits half, the thin gap the text layer writes as a space a quarter."""
    return sum(map(_char_width, text))


@functools.cache  # a few thousand distinct characters per archive
def _char_width(char: str) -> float:
    if char == " ":
        return 0.25
    return 1 if unicodedata.east_asian_width(char) in "WFA" else 0.5


def is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def join_wrapped(parts: list[str]) -> str:
    """Join lines a layout broke; a space goes back only between a number and CJK."""
    out = ""
    for part in parts:
        if out and part and is_ascii_alnum(out[-1]) != is_ascii_alnum(part[0]):
            if is_cjk(out[-1]) or is_cjk(part[0]):
                out += " "
        out += part
    return out


def ends_sentence(text: str) -> bool:
    if text[-1] in CLOSING_QUOTES:
        return len(text) > 1 and text[-2] in SENTENCE_END
    return text[-1] in SENTENCE_END


def parse_date(text: str, line: Line, unit: str) -> datetime.date:
    """A date written year.month.day or year-month-day."""
    try:
        return datetime.date(*(int(part) for part in re.split(r"[.\-]", text)))
    except ValueError:
        raise ParseError(
            line.number,
            gettext("a valid date (year.month.day)"),
            found=text,
            unit=unit,
        ) from None
