"""The book recommendations (新书推荐): labelled fields instead of a source line."""

import re

from django.utils.translation import gettext

from archive.importers.lines import Line
from archive.importers.structure import ParsedIssue, ParsedItem

BOOK_START_RE = re.compile(r"^书\s*名")
BOOK_FIELD_RE = re.compile(
    r"^(?P<label>书名/著者|书名/作者|书名|著者|作者|出版社/出版日期|出版社|出版日期|内容简介|推荐理由)"
    r"\s*[：:]\s*(?P<value>.*)$"
)
# The label a recommendation starts with, for the message that asks for it.
BOOK_START_EXAMPLE = "书名/著者：书名/作者"


def starts_book(line: Line) -> bool:
    return bool(BOOK_START_RE.match(line.text) and BOOK_FIELD_RE.match(line.text))


def fill_book(issue: ParsedIssue, item: ParsedItem, lines: list[Line]) -> None:
    fields: dict[str, list[str]] = {}
    label = None
    for line in lines:
        if match := BOOK_FIELD_RE.match(line.text):
            label = match["label"]
            fields[label] = [match["value"].strip()]
        elif label:
            fields[label].append(line.text)

    def value(*labels):
        for name in labels:
            if name in fields:
                return "".join(fields[name]).strip()
        return ""

    title_author = value("书名/著者", "书名/作者")
    if title_author:
        title, _, author = title_author.rpartition("/")
        if not title:
            title, author = author, ""
    else:
        title, author = value("书名"), value("著者", "作者")
    publisher_date = value("出版社/出版日期")
    if publisher_date:
        publisher, _, date = publisher_date.rpartition("/")
        if not publisher:
            publisher, date = date, ""
    else:
        publisher, date = value("出版社"), value("出版日期")
    item.book_title = title.strip().strip("《》")
    item.book_author = author.strip()
    item.book_publisher = publisher.strip()
    item.book_publication_date = _book_date(issue, date.strip(), item.line)
    item.book_summary = value("内容简介")
    item.book_reason = value("推荐理由")
    item.title = item.book_title
    item.title_is_provisional = not item.book_title
    if not item.book_title:
        item.title = gettext("Book title to be supplied")
        issue.warn(
            item.line,
            gettext(
                "A book recommendation should start with “%(label)s”; no book title "
                "was read."
            )
            % {"label": BOOK_START_EXAMPLE},
        )


def _book_date(issue: ParsedIssue, text: str, line: int) -> str:
    match = re.fullmatch(r"(\d{4})(?:\s*[-./年]\s*(\d{1,2})\s*月?)?", text)
    if not text:
        return ""
    if not match:
        issue.warn(
            line,
            gettext(
                "The publication date should look like “2020-08” but is “%(text)s”; "
                "it was left empty."
            )
            % {"text": text},
        )
        return ""
    year, month = match.groups()
    return f"{year}-{int(month):02d}" if month else year
