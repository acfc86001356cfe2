"""From classified lines to a ParsedIssue: the part every format shares.

A format parser turns its file into `Line`s (text without layout indentation, a
reference number for messages, page facts, and a role when typography tells one).
The issue is then read stage by stage, each in its own module with its patterns:
the masthead (masthead.py), the table of contents (contents.py), the body
(body.py, re-flowing lines with reflow.py and reading books with books.py), and
last the print pages the contents promise (contents.py).
"""

from django.utils.translation import gettext

from archive.importers import LINE, ParseError
from archive.importers.body import BodyReader, is_section_heading
from archive.importers.contents import (
    assign_print_pages,
    read_contents,
    starts_contents,
)
from archive.importers.lines import SOURCE_DATE_EXAMPLE, Line
from archive.importers.masthead import read_masthead
from archive.importers.reflow import Layout
from archive.importers.structure import KNOWN_SECTION_KINDS, ParsedIssue

__all__ = ["IssueAssembler", "Line"]

# A section heading, for the message that asks for one.
SECTION_EXAMPLE = "热点关注"


class IssueAssembler:
    """Reads classified lines into a ParsedIssue; `count_pages` for text layers."""

    def __init__(self, lines, *, known_sections=(), unit=LINE, count_pages=False):
        self.lines = [line for line in lines if line.text]
        self.known_sections = set(known_sections) | set(KNOWN_SECTION_KINDS)
        self.unit = unit
        self.count_pages = count_pages
        self.issue = ParsedIssue(line_unit=unit)

    def parse(self) -> ParsedIssue:
        if not self.lines:
            raise ParseError(
                1,
                gettext("the content of an issue (masthead, contents and body)"),
                found=gettext("an empty file"),
                unit=self.unit,
            )
        toc_start = self._contents_start()
        body_start = self._body_start(toc_start or 0)
        masthead_end = toc_start if toc_start is not None else body_start
        masthead = self.lines[:masthead_end]
        first = masthead[0].number if masthead else self.lines[0].number
        read_masthead(self.issue, masthead, first, self.unit)
        start_page = read_contents(self.issue, self.lines[masthead_end:body_start])
        BodyReader(
            self.issue,
            self.lines,
            known_sections=self.known_sections,
            layout=Layout.of(self.lines[body_start:]),
            unit=self.unit,
            count_pages=self.count_pages,
            start_page=start_page,
        ).read(body_start)
        assign_print_pages(self.issue)
        return self.issue

    def _contents_start(self) -> int | None:
        for index, line in enumerate(self.lines):
            if starts_contents(line):
                return index
            if is_section_heading(self.lines, index, self.known_sections):
                return None
        return None

    def _body_start(self, start: int) -> int:
        for index in range(start, len(self.lines)):
            if is_section_heading(self.lines, index, self.known_sections):
                return index
        line = self.lines[min(start, len(self.lines) - 1)]
        expected = gettext(
            "a section heading (such as “%(section)s”) followed by a source and date "
            "(such as “%(source)s”); no section was found in the whole file"
        )
        raise ParseError(
            line.number,
            expected % {"section": SECTION_EXAMPLE, "source": SOURCE_DATE_EXAMPLE},
            unit=self.unit,
        )
