"""Downloads of the printed editions: readers get the latest stored edition of a
published issue, editors also a draft of any issue, rendered on demand; staff may
fetch any earlier edition by its own URL."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header

from editions.models import CONTENT_TYPES, Edition
from editions.services import build_edition, render_edition
from issues.views import can_preview, get_issue_for_user


def _base_name(issue) -> str:
    return f"{issue.publication.name}-{issue.year}-{issue.number:02d}"


def _file_response(edition: Edition, filename: str) -> FileResponse:
    return FileResponse(
        edition.file.open("rb"),
        as_attachment=edition.kind == Edition.Kind.DOCX,
        filename=filename,
        content_type=CONTENT_TYPES[edition.kind],
    )


def download(request, year: int, number: int, kind: str):
    if kind not in Edition.Kind.values:
        raise Http404
    issue = get_issue_for_user(request.user, year=year, number=number)
    if issue.is_published:
        edition = build_edition(issue, kind)
        return _file_response(edition, f"{_base_name(issue)}.{kind}")
    content, *_rest = render_edition(issue, kind)
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = content_disposition_header(
        kind == Edition.Kind.DOCX, f"{_base_name(issue)}-样稿.{kind}"
    )
    add_never_cache_headers(response)
    return response


def _may_download(user, edition: Edition) -> bool:
    """Readers: the latest edition of a published issue. Editors, chief editors and
    archivists (editions.view_edition): any edition of a published issue. Editors
    (issues.change_issue): also those of an issue unpublished again."""
    if not edition.issue.is_published:
        return can_preview(user)
    if user.has_perm("editions.view_edition"):
        return True
    latest = Edition.objects.latest_ready(edition.issue, edition.kind)
    return latest is not None and latest.pk == edition.pk


def edition_file(request, pk: int):
    """One stored edition, current or earlier; 404 for anyone who may not have it."""
    edition = get_object_or_404(
        Edition.objects.ready().select_related("issue__publication"), pk=pk
    )
    if not _may_download(request.user, edition):
        raise Http404("No edition matches the given query.")
    stamp = timezone.localtime(edition.generated_at).strftime("%Y%m%d-%H%M")
    response = _file_response(
        edition, f"{_base_name(edition.issue)}-{stamp}.{edition.kind}"
    )
    # Whether this file may be served changes with the next build or an unpublish.
    add_never_cache_headers(response)
    return response
