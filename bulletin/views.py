"""Site-wide views: uploaded files behind the same login as the pages, and errors."""

import mimetypes
import posixpath
import sys

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

# Files with views of their own that apply their page's rule (editions: only
# while the issue is published; imports: archivists), never served by path.
PRIVATE_MEDIA = ("editions/", "imports/")


@require_GET
def media(request, path: str):
    """Covers and policy documents; storages with their own URLs (S3) never reach here."""
    if posixpath.normpath(path).lstrip("/").startswith(PRIVATE_MEDIA):
        raise Http404(path)
    try:
        handle = default_storage.open(path)
    except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation) as missing:
        raise Http404(path) from missing
    content_type, _ = mimetypes.guess_type(path)
    response = FileResponse(
        handle, content_type=content_type or "application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    if content_type not in (
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/gif",
        "application/pdf",
    ):
        response["Content-Disposition"] = "attachment"
    return response


RETRY_AFTER_SECONDS = 5


def server_error(request):
    """handler500: a database that is away (restart, failover) is a 503 to retry.

    Django's CONN_HEALTH_CHECKS drops the broken connection, so the next request
    reconnects by itself: no restart of the web workers is needed. This sees
    failures from middleware (sessions, login) as well as from views.
    """
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        response = HttpResponse(
            render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS}),
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(render_to_string("500.html"))
