"""Uploaded files served through the storage API, behind the same login as the pages."""

import mimetypes

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET


@require_GET
def media(request, path: str):
    """Covers and policy documents; storages with their own URLs (S3) never reach here."""
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
