"""Upload validation: files are checked by content, not by their names."""

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_IMAGE_PIXELS = 40_000_000
DOCUMENT_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}


def validate_cover_image(upload) -> None:
    """Refuse anything Pillow cannot open as a normal-sized image."""
    if upload.size > settings.MAX_IMAGE_UPLOAD_BYTES:
        raise ValidationError(
            _("The image is too large (%(size)d bytes); the limit is %(max)d bytes."),
            params={"size": upload.size, "max": settings.MAX_IMAGE_UPLOAD_BYTES},
            code="too_large",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in IMAGE_FORMATS:
                raise ValidationError(
                    _(
                        "Unsupported image format %(format)s: please upload a JPEG, "
                        "PNG, WebP or GIF."
                    ),
                    params={"format": image.format},
                    code="bad_format",
                )
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image has too many pixels (%(w)d×%(h)d)."),
                    params={"w": width, "h": height},
                    code="too_many_pixels",
                )
            image.verify()
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("The file is not a valid image: %(error)s"),
            params={"error": exc},
            code="invalid_image",
        ) from exc
    finally:
        upload.seek(position)


def validate_policy_file(upload) -> None:
    """Accept PDF and Word files whose first bytes match their extension."""
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in DOCUMENT_SIGNATURES:
        raise ValidationError(
            _("Only PDF, DOCX or DOC files are accepted, not “%(name)s”."),
            params={"name": upload.name},
            code="bad_extension",
        )
    if upload.size > settings.MAX_DOCUMENT_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)d bytes); the limit is %(max)d bytes."),
            params={"size": upload.size, "max": settings.MAX_DOCUMENT_UPLOAD_BYTES},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(DOCUMENT_SIGNATURES[suffix]) or (
        suffix == ".docx" and not _is_word_package(upload)
    ):
        raise ValidationError(
            _("The file's content does not match its extension %(suffix)s."),
            params={"suffix": suffix},
            code="bad_content",
        )


# A .docx is a zip with these parts; any other zip is not a Word file.
WORD_PARTS = {"[Content_Types].xml", "word/document.xml"}


def _is_word_package(upload) -> bool:
    try:
        with zipfile.ZipFile(upload) as package:
            return WORD_PARTS <= set(package.namelist())
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


@deconstructible
class SafeUploadPath:
    """upload_to that keeps only a safe basename under a fixed folder."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        name = get_valid_filename(PurePath(filename).name) or "file"
        return f"{self.folder}/{name}"

    def __eq__(self, other):
        return isinstance(other, SafeUploadPath) and other.folder == self.folder
