"""The table of contents: its page numbers, matched to the items read from the
body so each item keeps the page it was printed on."""

import re

from django.utils.translation import gettext

from archive.importers.lines import PAGE_NUMBER_RE, Line
from archive.importers.structure import ParsedIssue

TOC_HEADING_RE = re.compile(r"^目\s*录")
TOC_ENTRY_RE = re.compile(r"^(?P<title>.*?)\s*[.．…·]{3,}\s*(?P<page>\d{1,3})$")


def starts_contents(line: Line) -> bool:
    return bool(TOC_HEADING_RE.match(line.text) or TOC_ENTRY_RE.match(line.text))


def read_contents(issue: ParsedIssue, lines: list[Line]) -> int | None:
    """Keep the entries' page numbers; return the page the body starts on, if the
    contents page carries its own number."""
    start_page = None
    for line in lines:
        if match := TOC_ENTRY_RE.match(line.text):
            issue.toc_pages.append(int(match["page"]))
        elif PAGE_NUMBER_RE.match(line.text):
            start_page = int(line.text)
    return start_page


def assign_print_pages(issue: ParsedIssue) -> None:
    """Match TOC page numbers to items in order; the book block has one entry."""
    toc = issue.toc_pages
    articles = [item for item in issue.items if not item.is_book]
    books = [item for item in issue.items if item.is_book]
    if not toc:
        for item in issue.items:
            item.print_page = item.page
        return
    if len(toc) == len(articles) + (1 if books else 0):
        pages = toc[: len(articles)] + [toc[-1]] * len(books) if books else toc
    elif len(toc) == len(articles) + len(books):
        pages = list(toc)
    else:
        issue.warn(
            0,
            gettext(
                "The contents list %(pages)s page numbers, but the body has %(items)s "
                "items and %(books)s books: the numbers do not match, so the pages "
                "are worked out from the body’s page breaks."
            )
            % {"pages": len(toc), "items": len(articles), "books": len(books)},
        )
        for item in issue.items:
            item.print_page = item.page
        return
    for item, page in zip(articles + books, pages, strict=True):
        item.print_page = page
        if item.page is not None and item.page != page:
            issue.warn(
                item.line,
                gettext(
                    "The contents give page %(printed)s, the body’s page breaks "
                    "page %(counted)s; please check."
                )
                % {"printed": page, "counted": item.page},
            )
