"""Downloads of the printed editions: readers get the latest stored edition of a
published issue, editors also a draft of any issue, rendered on demand; staff may
fetch any earlier edition by its own URL."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bulletin.files import send_stored_file
from editions.models import CONTENT_TYPES, Edition
from editions.services import render_edition
from editions.tasks import is_queued, schedule_editions
from issues.access import can_preview, get_issue_for_user


def _base_name(issue) -> str:
    return f"{issue.publication.name}-{issue.year}-{issue.number:02d}"


def _file_response(request, edition: Edition, filename: str):
    return send_stored_file(
        request,
        edition.file,
        filename=filename,
        as_attachment=edition.kind == Edition.Kind.DOCX,
    )


BUILDING_REFRESH_SECONDS = 5


def download(request, year: int, number: int, kind: str):
    """The latest edition of a published issue. While one is being built (never in
    this request), a page that says so and refreshes itself."""
    if kind not in Edition.Kind.values:
        raise Http404
    issue = get_issue_for_user(request.user, year=year, number=number)
    if issue.is_published:
        edition = Edition.objects.latest_ready(issue, kind)
        if edition is not None and edition.file.storage.exists(edition.file.name):
            return _file_response(request, edition, f"{_base_name(issue)}.{kind}")
        if not is_queued(issue):
            # None built yet, or its file is gone from this storage: build anew.
            schedule_editions(issue, force=edition is not None)
        response = render(
            request,
            "editions/building.html",
            {"issue": issue, "kind": kind, "refresh": BUILDING_REFRESH_SECONDS},
        )
        response["Refresh"] = str(BUILDING_REFRESH_SECONDS)
        add_never_cache_headers(response)
        return response
    content, *_rest = render_edition(issue, kind, draft=True)
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = content_disposition_header(
        kind == Edition.Kind.DOCX,
        _("%(name)s-draft.%(extension)s")
        % {"name": _base_name(issue), "extension": kind},
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
    return _file_response(
        request, edition, f"{_base_name(edition.issue)}-{stamp}.{edition.kind}"
    )


@require_POST
def rebuild(request, year: int, number: int):
    """A chief editor queues fresh editions of a published issue (layout changes,
    a failed build): the readers keep the current ones until they are ready."""
    if not request.user.has_perm("issues.publish_issue"):
        raise PermissionDenied
    issue = get_issue_for_user(request.user, year=year, number=number)
    if not issue.is_published:
        raise Http404
    schedule_editions(issue, force=True)
    messages.success(
        request,
        _(
            "The PDF and Word editions of this issue will be built again; "
            "they can be downloaded once ready."
        ),
    )
    return redirect(issue)
