"""Building and scheduling editions: each build writes a new Edition row, its file
in storage and, for the PDF, the printed page of every article."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from bulletin import caching
from editions.models import Edition
from editions.printing import (
    archival_metadata,
    fingerprint,
    print_context,
    render_pdf,
    render_print_html,
)
from editions.word import render_docx
from issues.models import Issue

logger = logging.getLogger(__name__)


def render_edition(
    issue: Issue, kind: str, *, draft: bool = False
) -> tuple[bytes, str, int | None, dict]:
    """(file content, fingerprint, page count, {article pk: print page}) for one kind.

    A draft is rendered in an editor's request: the Word 目录 then skips the
    LibreOffice layout (seconds of work) and lists the titles only."""
    context = print_context(issue)
    html = render_print_html(issue, context)
    if kind == Edition.Kind.PDF:
        printed = render_pdf(html, archival_metadata(issue))
        return (
            printed.content,
            fingerprint(html),
            printed.page_count,
            printed.print_pages,
        )
    return (
        render_docx(context, page_numbers=not draft),
        fingerprint(html),
        None,
        {},
    )


def current_fingerprint(issue: Issue) -> str:
    return fingerprint(render_print_html(issue))


def edition_file_name(issue: Issue, kind: str, generated_at) -> str:
    """'2023-08-<issue pk>-20230901-080000.pdf': each build under its own name.

    The seconds matter: S3 storage overwrites an existing name by default
    (AWS_S3_FILE_OVERWRITE), and two corrections may come within a minute.
    """
    stamp = timezone.localtime(generated_at).strftime("%Y%m%d-%H%M%S")
    return f"{issue.year}-{issue.number:02d}-{issue.pk}-{stamp}.{kind}"


def build_edition(issue: Issue, kind: str, *, force: bool = False) -> Edition:
    """The latest ready edition if it shows the issue as it is now, else a new one.

    Earlier rows and files are kept as the issue's history. A failed build is
    recorded as a FAILED row and re-raised; the last good edition stays served.
    """
    latest = Edition.objects.latest_ready(issue, kind)
    if (
        not force
        and latest is not None
        and latest.fingerprint == current_fingerprint(issue)
    ):
        return latest
    # Taken before rendering, so the newest edition is the newest content.
    generated_at = timezone.now()
    try:
        content, digest, page_count, print_pages = render_edition(issue, kind)
    except Exception as error:
        logger.exception("Could not build the %s edition of %s", kind, issue)
        Edition.objects.create(
            issue=issue,
            kind=kind,
            status=Edition.Status.FAILED,
            error=str(error),
            generated_at=generated_at,
        )
        raise
    edition = Edition(
        issue=issue,
        kind=kind,
        status=Edition.Status.READY,
        fingerprint=digest,
        page_count=page_count,
        generated_at=generated_at,
    )
    # FileSystemStorage adds a suffix to a taken name; earlier files stay as they are.
    edition.file.save(
        edition_file_name(issue, kind, generated_at), ContentFile(content), save=True
    )
    if print_pages:
        record_print_pages(issue, print_pages)
    return edition


def record_print_pages(issue: Issue, print_pages: dict[int, int]) -> None:
    """Write the PDF's page numbers back to the articles, for the web contents.

    A queryset update: no save signals, so this does not schedule another build;
    the cached reading pages are invalidated by hand instead.
    """
    with transaction.atomic():
        for article in issue.articles.only("pk", "print_page"):
            page = print_pages.get(article.pk)
            if article.print_page != page:
                Article.objects.filter(pk=article.pk).update(print_page=page)
    caching.invalidate()
