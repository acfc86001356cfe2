"""The plain structure every parser produces and the one writer consumes.

Parsers know file formats, the writer knows the database; this module is all they
share, so a new format only has to fill these dataclasses.
"""

import datetime
from dataclasses import dataclass, field

from archive.importers import LINE, located
from articles.models import Article
from bulletin.text import cumulative_label, issue_label
from issues.catalogue import STANDARD_SECTIONS

# Recognised as headings even without typography, and used for sections the
# catalogue lacks.
KNOWN_SECTION_KINDS = dict(STANDARD_SECTIONS)
BOOK_SECTION_NAME = "新书推荐"


@dataclass
class ParseWarning:
    """Something the archivist should look at; `line` is a line (txt), paragraph
    (docx) or page (pdf) number, 0 when it concerns the whole file."""

    line: int
    message: str
    unit: str = LINE

    def __str__(self):
        return located(self.line, self.unit, self.message)


@dataclass
class ParsedAttachment:
    """One 附 entry: a policy document cited by an item, with its link."""

    title: str
    url: str = ""
    line: int = 0


@dataclass
class ParsedItem:
    """One article, ranking, research paper or book recommendation."""

    kind: str
    line: int
    title: str = ""
    title_is_provisional: bool = True
    source: str = ""
    source_date: datetime.date | None = None
    body_html: str = ""
    abstract: str = ""
    keywords: str = ""
    attachments: list[ParsedAttachment] = field(default_factory=list)
    page: int | None = None
    print_page: int | None = None
    book_title: str = ""
    book_author: str = ""
    book_publisher: str = ""
    book_publication_date: str = ""
    book_summary: str = ""
    book_reason: str = ""

    @property
    def is_book(self) -> bool:
        return self.kind == Article.Kind.BOOK


@dataclass
class ParsedSection:
    name: str
    line: int
    items: list[ParsedItem] = field(default_factory=list)


@dataclass
class ParsedIssue:
    """Everything read from one file, before any database lookup."""

    publication_name: str = ""
    publisher: str = ""
    phones: list[str] = field(default_factory=list)
    website: str = ""
    email: str = ""
    address: str = ""
    year: int | None = None
    number: int | None = None
    cumulative_number: int | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    chief_editors: list[str] = field(default_factory=list)
    deputy_editors: list[str] = field(default_factory=list)
    toc_pages: list[int] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    line_unit: str = LINE

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ParseWarning(line, message, self.line_unit))

    @property
    def items(self) -> list[ParsedItem]:
        return [item for section in self.sections for item in section.items]

    @property
    def label(self) -> str:
        return issue_label(self.year, self.number or 0) + cumulative_label(
            self.cumulative_number or 0
        )
