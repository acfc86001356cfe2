"""Building and scheduling editions: they write the Edition row, its file in storage
and, for the PDF, the printed page of every article."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from editions.models import Edition
from editions.printing import fingerprint, print_context, render_pdf, render_print_html
from editions.word import render_docx
from issues import caching
from issues.models import Issue

logger = logging.getLogger(__name__)


def render_edition(issue: Issue, kind: str) -> tuple[bytes, str, int | None, dict]:
    """(file content, fingerprint, page count, {article pk: print page}) for one kind."""
    context = print_context(issue)
    html = render_print_html(issue, context)
    if kind == Edition.Kind.PDF:
        printed = render_pdf(html)
        return (
            printed.content,
            fingerprint(html),
            printed.page_count,
            printed.print_pages,
        )
    return render_docx(context), fingerprint(html), None, {}


def current_fingerprint(issue: Issue) -> str:
    return fingerprint(render_print_html(issue))


def build_edition(issue: Issue, kind: str, *, force: bool = False) -> Edition:
    """Store a fresh edition unless the stored one was built from the same content."""
    edition, _created = Edition.objects.get_or_create(issue=issue, kind=kind)
    if not force and edition.is_current(current_fingerprint(issue)):
        return edition
    try:
        content, digest, page_count, print_pages = render_edition(issue, kind)
    except Exception as error:
        logger.exception("Could not build the %s edition of %s", kind, issue)
        edition.status, edition.error = Edition.Status.FAILED, str(error)
        edition.save(update_fields=["status", "error"])
        raise
    old_name = edition.file.name if edition.file else ""
    edition.file.save(
        f"{issue.year}-{issue.number:02d}-{issue.pk}.{kind}",
        ContentFile(content),
        save=False,
    )
    edition.fingerprint, edition.page_count = digest, page_count
    edition.status, edition.error = Edition.Status.READY, ""
    edition.generated_at = timezone.now()
    edition.save()
    if old_name and old_name != edition.file.name:
        edition.file.storage.delete(old_name)
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


def schedule_editions(issue: Issue) -> None:
    """Rebuild the published issue's editions in the background once the change commits.

    The one hook for publishing and for later changes to a published issue.
    """
    from editions.tasks import generate_editions

    issue_id = issue.pk
    transaction.on_commit(lambda: generate_editions.enqueue(issue_id=issue_id))
