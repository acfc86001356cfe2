"""Sending a stored file once a view has applied its page's access rule.

No stored file is served by its path: each kind of file has one view that checks
the rule of the page it belongs to, then calls `send_stored_file`. How the bytes
travel is configuration:
- embedded default: Django streams the file (FileResponse, chunk by chunk);
- behind nginx or Apache (`SENDFILE_BACKEND`, django-sendfile2): the view only
  answers with X-Accel-Redirect / X-Sendfile and the web server sends the file,
  so no Python worker is held for the download;
- storage without local paths (S3-compatible): a redirect to the storage's
  short-lived signed URL (`AWS_QUERYSTRING_EXPIRE`).
"""

import mimetypes
import os

from django.conf import settings
from django.forms import ClearableFileInput
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers

# Types a browser may show inline; anything else is a download.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"}


def send_stored_file(request, field_file, *, filename: str, as_attachment=None):
    """The response for one stored file the user may have; Http404 if it is gone."""
    if not field_file:
        raise Http404("No file.")
    storage, name = field_file.storage, field_file.name
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if as_attachment is None:
        as_attachment = content_type not in INLINE_TYPES
    try:
        path = storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None and os.path.isfile(path):
        response = _local_file(request, path, filename, as_attachment, content_type)
    elif not storage.exists(name):
        raise Http404(name)
    elif path is None:
        response = HttpResponseRedirect(storage.url(name))
    else:
        # A storage whose paths are not files on this host (in memory): stream it.
        response = FileResponse(
            storage.open(name, "rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
    response["X-Content-Type-Options"] = "nosniff"
    # Whether the file may be had changes with its page (unpublish, a new edition).
    add_never_cache_headers(response)
    return response


def _local_file(request, path, filename, as_attachment, content_type):
    if settings.SENDFILE_BACKEND:
        from django_sendfile import sendfile

        return sendfile(
            request,
            path,
            attachment=as_attachment,
            attachment_filename=filename,
            mimetype=content_type,
        )
    try:
        handle = open(path, "rb")  # FileResponse closes it
    except (FileNotFoundError, IsADirectoryError) as missing:
        raise Http404(filename) from missing
    return FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=filename,
        content_type=content_type,
    )


class _LinkedFile:
    """A stored file as the admin widget shows it: its name, linked to its view."""

    def __init__(self, field_file, url: str):
        self.url = url
        self.name = field_file.name

    def __str__(self):
        return self.name.rsplit("/", 1)[-1]


class FileViewInput(ClearableFileInput):
    """The admin's file input, with "currently" linking to the file's view (the
    storage path is never served)."""

    link = ""

    def format_value(self, value):
        if self.link and self.is_initial(value):
            return _LinkedFile(value, self.link)
        return super().format_value(value)


def link_file_field(form, name: str, url: str) -> None:
    """Show the form's stored file `name` through `url`."""
    if name in form.fields and form.instance.pk and getattr(form.instance, name):
        widget = FileViewInput(attrs=form.fields[name].widget.attrs)
        widget.link = url
        form.fields[name].widget = widget
