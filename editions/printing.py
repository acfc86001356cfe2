"""The issue as a printed bulletin: one context, rendered to PDF (WeasyPrint) or Word.

Both editions are built from `print_context`, so they carry the same content; the
fingerprint of the print HTML tells whether a stored edition is still current.
"""

import datetime
import hashlib
import io
from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import pgettext

from issues.models import BoardMember, Issue

# Bump when the layout changes, so stored editions are rebuilt.
LAYOUT_VERSION = "1"

# BCP 47 tag of the editions' language, as archives' catalogues and readers expect
# it (the print HTML says zh-Hans to the browser; both mean Simplified Chinese).
DOCUMENT_LANGUAGE = "zh-CN"
# PDF/A-3u for preservation (every glyph mapped to Unicode, sRGB output intent),
# tagged too so screen readers and reflow get headings, lists and reading order.
PDF_VARIANT = "pdf/a-3u"


@dataclass(frozen=True)
class PrintedCorrection:
    """One line of the 更正 page, the same in the PDF and the Word file."""

    item: str  # the item's title, or 本期 for a correction of the issue itself
    date: datetime.date
    reason: str
    fields: str


def printed_corrections(issue: Issue) -> list[PrintedCorrection]:
    """The issue's corrections, oldest first (one query)."""
    corrections = issue.corrections.select_related("article").order_by(
        "created_at", "pk"
    )
    this_issue = pgettext("printed edition", "This issue")
    return [
        PrintedCorrection(
            item=c.article.title if c.article_id else this_issue,
            date=timezone.localdate(c.created_at),
            reason=c.reason,
            fields=c.fields_display,
        )
        for c in corrections
    ]


def print_context(issue: Issue) -> dict:
    """Everything the print templates and the Word writer need, in print order."""
    toc = issue.table_of_contents()
    articles = [
        article for _section, section_articles in toc for article in section_articles
    ]
    prefetch_related_objects(articles, "attachments__policy_document")
    board = list(issue.board_members.all())
    website = issue.publication.website
    return {
        "issue": issue,
        "toc": toc,
        "articles": articles,
        "website": website.split("://", 1)[-1].rstrip("/"),
        "chief_editors": [
            m.name for m in board if m.role == BoardMember.Role.CHIEF_EDITOR
        ],
        "deputy_editors": [
            m.name for m in board if m.role == BoardMember.Role.DEPUTY_EDITOR
        ],
        "corrections": printed_corrections(issue),
    }


def render_print_html(issue: Issue, context: dict | None = None) -> str:
    return render_to_string(
        "editions/issue_print.html", context or print_context(issue)
    )


def fingerprint(html: str) -> str:
    """Hash of what an edition shows: equal fingerprints, equal editions."""
    return hashlib.sha256(f"{LAYOUT_VERSION}\n{html}".encode()).hexdigest()


@dataclass(frozen=True)
class PrintedPdf:
    content: bytes
    page_count: int
    print_pages: dict[int, int]  # article pk -> printed page number it starts on


@dataclass(frozen=True)
class ArchivalMetadata:
    """What the PDF says about itself: info dictionary and XMP."""

    title: str
    publisher: str
    date: datetime.date | None


def archival_metadata(issue: Issue) -> ArchivalMetadata:
    return ArchivalMetadata(
        title=f"{issue.publication.name} {issue.masthead_number}",
        publisher=issue.publication.publisher,
        date=issue.publish_date,
    )


def render_pdf(html: str, metadata: ArchivalMetadata | None = None) -> PrintedPdf:
    """Lay the issue out and read back on which page each article starts.

    Printed numbers restart at 1 with the first section (cover and contents are
    unnumbered), as CSS `counter-reset` does for the footer and the contents.
    The file is PDF/A-3u and tagged, its outline lists the sections and items
    (from the headings), and its page labels match the printed numbers.
    """
    from weasyprint import HTML

    document = HTML(string=html, base_url=None).render()
    document.metadata.lang = DOCUMENT_LANGUAGE
    if metadata is not None:
        document.metadata.title = metadata.title
        document.metadata.authors = [metadata.publisher]
        if metadata.date:
            document.metadata.created = metadata.date.isoformat()
            document.metadata.modified = metadata.date.isoformat()
    first_body_page = None
    starts = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("section-") and first_body_page is None:
                first_body_page = index
            if anchor.startswith("article-"):
                starts.setdefault(int(anchor.removeprefix("article-")), index)
    offset = first_body_page if first_body_page is not None else 0
    content = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    return PrintedPdf(
        content=_label_pages_and_describe(content, offset, metadata),
        page_count=len(document.pages),
        print_pages={pk: index - offset + 1 for pk, index in starts.items()},
    )


def _label_pages_and_describe(
    content: bytes, first_body_page: int, metadata: ArchivalMetadata | None
) -> bytes:
    """Page labels (front matter i, ii…; body 1, 2… as printed) and the Dublin Core
    WeasyPrint's XMP leaves out (language, publisher, date), as an incremental
    update: WeasyPrint's bytes, tags and PDF/A identification stay as written."""
    import pypdf

    writer = pypdf.PdfWriter(io.BytesIO(content), incremental=True)
    last = len(writer.pages) - 1
    if first_body_page > 0:
        writer.set_page_label(0, first_body_page - 1, "/r", start=1)
    writer.set_page_label(first_body_page, last, "/D", start=1)
    xmp = writer.xmp_metadata
    xmp.dc_language = [DOCUMENT_LANGUAGE]
    if metadata is not None:
        xmp.dc_publisher = [metadata.publisher]
        if metadata.date:
            xmp.dc_date = [metadata.date.isoformat()]
    writer.xmp_metadata = xmp
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
