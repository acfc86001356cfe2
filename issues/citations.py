"""How an item or an issue is cited: the one definition that the pages' citation
text and meta tags, and the RIS and BibTeX downloads, all read.

The text follows GB/T 7714-2015 (信息与文献 参考文献著录规则). An item reprinted
from a newspaper or a website is cited as it first appeared (4.4 newspaper [N],
4.8 electronic resource [EB]); an item of our own, and a book recommendation, as
an article of the digest (4.4 serial article [J]); an issue as one issue of the
serial (4.3 [J]). Everything we cite is online, so the type carries "/OL" and
the entry ends with a URL: the item's original link if it has one, otherwise the
permanent address on this site.
"""

import datetime
import re
from dataclasses import dataclass, field

import bibtexparser
import rispy
from bibtexparser import model
from django.conf import settings
from django.urls import reverse
from rispy.writer import RisWriter

from articles.models import Article, Source
from issues.models import Issue

# GB/T 7714-2015 8.1.2: list at most three responsible persons, then "等".
MAX_AUTHORS = 3
AUTHOR_SEPARATORS = re.compile(r"[、，,;；\s]+")

# GB/T 7714-2015 Appendix B: document type codes.
NEWSPAPER, JOURNAL, ELECTRONIC = "N", "J", "EB"
SOURCE_TYPES = {
    Source.Kind.NEWSPAPER: NEWSPAPER,
    Source.Kind.JOURNAL: JOURNAL,
}
RIS_TYPES = {NEWSPAPER: "NEWS", JOURNAL: "JOUR", ELECTRONIC: "ELEC"}
LANGUAGE = "zh"


@dataclass(frozen=True)
class Citation:
    """What a citation says, independent of the format it is written in."""

    key: str
    type_code: str
    title: str
    authors: tuple[str, ...]
    # Where the cited text appeared: the newspaper, website or journal of a
    # reprinted item, the digest itself for its own items and for an issue.
    container: str
    date: datetime.date | None
    url: str
    # The digest that carries the page, for the Highwire citation_* tags.
    publication: str
    publisher: str
    # Cited as it first appeared elsewhere: the digest's issue number and
    # publisher are not the newspaper's or website's and stay out of the record.
    reprinted: bool
    year: int
    number: int
    issue_date: datetime.date | None
    pages: str = ""
    abstract: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)
    permanent_url: str = ""
    is_issue: bool = False
    article_pk: int | None = None

    def download_url(self, extension: str) -> str:
        """Where the RIS ("ris") or BibTeX ("bib") file of this citation is served."""
        if self.is_issue:
            return reverse(
                "issues:issue-citation", args=[self.year, self.number, extension]
            )
        return reverse(
            "issues:article-citation",
            args=[self.year, self.number, self.article_pk, extension],
        )


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def for_article(article: Article) -> Citation:
    """An item's citation; this reads article.issue.publication and article.source
    (queries unless select_related, as for_reading() does)."""
    issue = article.issue
    source = article.source if article.source_id else None
    permanent_url = absolute(reverse("issues:permalink", args=[article.pk]))
    reprinted = source is not None and not article.is_book
    if reprinted:
        type_code = SOURCE_TYPES.get(source.kind, ELECTRONIC)
        container = source.name
        date = article.source_date or issue.publish_date
    else:
        type_code = JOURNAL
        container = issue.publication.name
        date = issue.publish_date
    return Citation(
        key=f"{issue.publication.slug or 'bulletin'}-{issue.year}-{issue.number:02d}-{article.pk}",
        type_code=type_code,
        title=article.title,
        authors=tuple(a for a in AUTHOR_SEPARATORS.split(article.author) if a),
        container=container,
        date=date,
        url=article.original_url or permanent_url,
        publication=issue.publication.name,
        publisher=issue.publication.publisher,
        reprinted=reprinted,
        year=issue.year,
        number=issue.number,
        issue_date=issue.publish_date,
        pages=str(article.print_page or ""),
        abstract=article.abstract,
        keywords=tuple(article.keyword_list),
        permanent_url=permanent_url,
        article_pk=article.pk,
    )


def for_issue(issue: Issue) -> Citation:
    """An issue's citation; reads issue.publication."""
    publication = issue.publication
    permanent_url = absolute(issue.get_absolute_url())
    return Citation(
        key=f"{publication.slug or 'bulletin'}-{issue.year}-{issue.number:02d}",
        type_code=JOURNAL,
        title=f"{publication.name} {issue.masthead_number}",
        authors=(publication.publisher,) if publication.publisher else (),
        container=publication.name,
        date=issue.publish_date,
        url=permanent_url,
        publication=publication.name,
        publisher=publication.publisher,
        reprinted=False,
        year=issue.year,
        number=issue.number,
        issue_date=issue.publish_date,
        permanent_url=permanent_url,
        is_issue=True,
    )


def _authors(citation: Citation) -> str:
    names = list(citation.authors[:MAX_AUTHORS])
    if len(citation.authors) > MAX_AUTHORS:
        names.append("等")
    return ", ".join(names)


def gbt7714(citation: Citation) -> str:
    """The citation as GB/T 7714-2015 writes it, e.g.
    `张三. 题名[N/OL]. 人民日报, 2023-08-01. https://….`"""
    date = citation.date.isoformat() if citation.date else ""
    parts = []
    if citation.authors:
        parts.append(_authors(citation) + ". ")
    if citation.is_issue:
        # 4.3.1: 主要责任者. 题名[J/OL]. 年, (期). 出版者, 出版日期. URL.
        parts.append(f"{citation.container}[J/OL]. ")
        parts.append(f"{citation.year}({citation.number}). ")
        parts.append(", ".join(p for p in (citation.publisher, date) if p) + ". ")
    elif not citation.reprinted:
        # 4.4.1: 主要责任者. 题名[J/OL]. 刊名, 年(期): 页码. URL.
        where = f"{citation.container}, {citation.year}({citation.number})"
        if citation.pages:
            where += f": {citation.pages}"
        parts.append(f"{citation.title}[J/OL]. {where}. ")
    else:
        # 4.4.1 newspaper (and a journal whose issue we do not know), 4.8.1
        # electronic resource: 题名[N/OL]. 来源, 日期. URL.
        where = ", ".join(p for p in (citation.container, date) if p)
        parts.append(f"{citation.title}[{citation.type_code}/OL]. {where}. ")
    parts.append(citation.url + ".")
    return "".join(parts)


class _RisWriter(RisWriter):
    """rispy's writer without the "1." line it puts before each record, which
    the RIS format does not have."""

    def set_header(self, count):
        return ""


def ris(citation: Citation) -> str:
    """The citation as an RIS record (EndNote, Zotero, NoteExpress read it)."""
    record = {
        "type_of_reference": "JFULL"
        if citation.is_issue
        else RIS_TYPES[citation.type_code],
        "title": citation.title,
        "secondary_title": citation.container,
        "year": str(citation.date.year if citation.date else citation.year),
        "language": LANGUAGE,
        "urls": [citation.url],
        "id": citation.key,
    }
    if citation.authors:
        record["authors"] = list(citation.authors)
    if citation.date:
        record["date"] = citation.date.strftime("%Y/%m/%d")
    if not citation.reprinted:
        record["number"] = str(citation.number)
        record["publisher"] = citation.publisher
    if citation.pages:
        record["start_page"] = citation.pages
    if citation.abstract:
        record["abstract"] = citation.abstract
    if citation.keywords:
        record["keywords"] = list(citation.keywords)
    return rispy.dumps([record], implementation=_RisWriter)


def _bibtex_value(value: str) -> str:
    # BibTeX has no escape for a lone brace; a title's braces become brackets.
    return value.replace("{", "(").replace("}", ")")


def bibtex(citation: Citation) -> str:
    """The citation as one BibTeX entry (@article for a text, @periodical for an
    issue, as biblatex names it)."""
    fields = {
        "title": citation.title,
        "author": " and ".join(citation.authors),
        "journal": "" if citation.is_issue else citation.container,
        "year": str(citation.date.year if citation.date else citation.year),
        "date": citation.date.isoformat() if citation.date else "",
        "number": "" if citation.reprinted else str(citation.number),
        "pages": citation.pages,
        "publisher": "" if citation.reprinted else citation.publisher,
        "url": citation.url,
        "language": "chinese",
        "abstract": citation.abstract,
        "keywords": ", ".join(citation.keywords),
    }
    fields = {name: _bibtex_value(value) for name, value in fields.items() if value}
    if citation.is_issue and "author" in fields:
        # The office is one corporate name: braced, BibTeX does not split it.
        fields["author"] = "{" + fields["author"] + "}"
    entry = model.Entry(
        "periodical" if citation.is_issue else "article",
        citation.key,
        [model.Field(name, value) for name, value in fields.items()],
    )
    return bibtexparser.write_string(bibtexparser.Library([entry]))


def meta_tags(citation: Citation) -> list[tuple[str, str]]:
    """Highwire Press citation_* tags (Google Scholar reads them) and Dublin Core
    DC.* tags, as (name, content) pairs in the order pages print them."""
    tags = [("citation_title", citation.title)]
    tags += [("citation_author", author) for author in citation.authors]
    if citation.issue_date:
        tags.append(
            ("citation_publication_date", citation.issue_date.strftime("%Y/%m/%d"))
        )
    tags += [
        ("citation_journal_title", citation.publication),
        ("citation_publisher", citation.publisher),
        ("citation_issue", str(citation.number)),
    ]
    if citation.pages:
        tags.append(("citation_firstpage", citation.pages))
    tags += [
        ("citation_language", LANGUAGE),
        ("citation_public_url", citation.permanent_url),
        ("DC.title", citation.title),
    ]
    tags += [("DC.creator", author) for author in citation.authors]
    if citation.date:
        tags.append(("DC.date", citation.date.isoformat()))
    tags += [
        ("DC.publisher", citation.publisher),
        ("DC.type", "Text"),
        ("DC.language", LANGUAGE),
        ("DC.identifier", citation.permanent_url),
    ]
    if not citation.is_issue:
        tags.append(("DC.source", citation.container))
        if citation.url != citation.permanent_url:
            tags.append(("DC.relation", citation.url))
    if citation.abstract:
        tags.append(("DC.description", citation.abstract))
    tags += [("DC.subject", keyword) for keyword in citation.keywords]
    return [(name, content) for name, content in tags if content]
