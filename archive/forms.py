"""The forms of the admin import pages: the upload, checked before anything parses
it, and the mode (new, replace a draft, apply as corrections) each dry run uses."""

import zipfile
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from archive.importers import SUPPORTED_EXTENSIONS
from archive.models import ImportMode
from archive.services import DEFAULT_REASON
from issues.models import Publication

SNIFF_BYTES = 4096


class ImportModeForm(forms.Form):
    """How to import: every mode is dry-run and shown before it is confirmed."""

    mode = forms.ChoiceField(
        label=_("Import mode"),
        choices=ImportMode.choices,
        initial=ImportMode.NEW,
        widget=forms.RadioSelect,
        help_text=_(
            "Choose “Replace the draft” when the issue is imported and not signed off "
            "yet: items that match the file keep their ids, and the workflow history "
            "and corrections are kept. Choose “Apply as corrections” when the issue "
            "is published: each change is recorded as a correction, and no item is "
            "added or removed."
        ),
    )
    reason = forms.CharField(
        label=_("Correction note"),
        required=False,
        initial=DEFAULT_REASON,
        max_length=500,
        help_text=_(
            "When applying as corrections: recorded on each correction, for readers "
            "to see."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["reason"] = cleaned.get("reason", "").strip()
        if cleaned.get("mode") != ImportMode.CORRECTIONS:
            cleaned["reason"] = ""
        elif not cleaned["reason"]:
            self.add_error(
                "reason", _("Applying as corrections needs a correction note.")
            )
        return cleaned


class ImportUploadForm(ImportModeForm):
    field_order = ("file", "publication", "mode", "reason")

    file = forms.FileField(
        label=_("Issue file"),
        help_text=_("Accepts .txt (UTF-8 or GB18030), .pdf and .docx."),
    )
    publication = forms.ModelChoiceField(
        Publication.objects.all(),
        required=False,
        label=_("Publication"),
        empty_label=_("From the masthead (created if new)"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in SUPPORTED_EXTENSIONS:
            raise forms.ValidationError(
                _("Only .txt, .pdf or .docx files are accepted; this is “%(name)s”."),
                params={"name": upload.name},
            )
        limit = settings.MAX_IMPORT_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _(
                    "The file is too large (%(size)d bytes); the limit is %(max)d bytes."
                ),
                params={"size": upload.size, "max": limit},
            )
        if not content_matches(suffix, upload):
            raise forms.ValidationError(
                _("The file’s content does not match its extension %(suffix)s."),
                params={"suffix": suffix},
            )
        return upload


def content_matches(suffix: str, upload) -> bool:
    """Sniff the first bytes (and, for Word, the package's table of contents):
    enough to refuse a mislabelled file here; reading it is the worker's job."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if suffix == ".pdf":
        return head.startswith(b"%PDF-")
    if suffix == ".docx":
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(upload) as package:
                return "word/document.xml" in package.namelist()
        except zipfile.BadZipFile:
            return False
        finally:
            upload.seek(0)
    return b"\x00" not in head
