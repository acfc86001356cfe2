"""Downloads of the printed editions: readers get the stored edition of a published
issue, editors also a draft of any issue, rendered on demand."""

from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header

from editions.models import CONTENT_TYPES, Edition
from editions.services import build_edition, render_edition
from issues.views import get_issue_for_user


def download(request, year: int, number: int, kind: str):
    if kind not in Edition.Kind.values:
        raise Http404
    issue = get_issue_for_user(request.user, year=year, number=number)
    base_name = f"{issue.publication.name}-{issue.year}-{issue.number:02d}"
    if issue.is_published:
        edition = build_edition(issue, kind)
        return FileResponse(
            edition.file.open("rb"),
            as_attachment=kind == Edition.Kind.DOCX,
            filename=f"{base_name}.{kind}",
            content_type=CONTENT_TYPES[kind],
        )
    content, *_rest = render_edition(issue, kind)
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = content_disposition_header(
        kind == Edition.Kind.DOCX, f"{base_name}-样稿.{kind}"
    )
    add_never_cache_headers(response)
    return response
