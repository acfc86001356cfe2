"""The admin's collecting form: links pasted one a line and saved pages dropped,
checked here before anything is stored or queued."""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# Pages of one batch, links and files together: one batch is a morning's
# reading, and each page may take COLLECT_TIMEOUT seconds to fetch.
MAX_BATCH_PAGES = 30
PAGE_SUFFIXES = (".html", ".htm", ".mhtml", ".mht")
SNIFF_BYTES = 4096


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ",".join(PAGE_SUFFIXES)})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class CollectForm(forms.Form):
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60, "class": "collect-links"}),
        help_text=_("One link a line (http:// or https://)."),
    )
    files = MultipleFileField(
        label=_("Saved pages"),
        required=False,
        help_text=_(
            "Web pages saved by a browser or WeChat: .html, .htm, .mhtml or .mht, "
            "several at once."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.COLLECT_FETCH:
            # Ignored when posted: the worker could not fetch them anyway.
            self.fields["links"].disabled = True
            self.fields["links"].help_text = _(
                "Fetching links is turned off on this server: save the pages in a "
                "browser and choose the files below instead."
            )

    def clean_links(self):
        links, bad = [], []
        check = URLValidator(schemes=["http", "https"])
        for number, line in enumerate(self.cleaned_data["links"].splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            try:
                check(line)
                if len(line) > 500:
                    raise ValidationError("too long")
            except ValidationError:
                bad.append(number)
                continue
            links.append(line)
        if bad:
            raise ValidationError(
                ngettext(
                    "Line %(lines)s is not a web link (http:// or https://).",
                    "Lines %(lines)s are not web links (http:// or https://).",
                    len(bad),
                ),
                params={"lines": ", ".join(str(number) for number in bad)},
            )
        return links

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = settings.MAX_DOCUMENT_UPLOAD_BYTES
        errors = []
        for upload in files:
            suffix = PurePath(upload.name).suffix.lower()
            if suffix not in PAGE_SUFFIXES:
                errors.append(
                    ValidationError(
                        _(
                            "“%(name)s” is not a saved web page: only .html, .htm, "
                            ".mhtml or .mht files are accepted."
                        ),
                        params={"name": upload.name},
                    )
                )
            elif upload.size > limit:
                errors.append(
                    ValidationError(
                        _(
                            "“%(name)s” is too large (%(size)d bytes); the limit is "
                            "%(max)d bytes."
                        ),
                        params={"name": upload.name, "size": upload.size, "max": limit},
                    )
                )
            elif not _looks_like_text(upload):
                errors.append(
                    ValidationError(
                        _("“%(name)s” is not a text file, so not a saved web page."),
                        params={"name": upload.name},
                    )
                )
        if errors:
            raise ValidationError(errors)
        return files

    def clean(self):
        cleaned = super().clean()
        links, files = cleaned.get("links"), cleaned.get("files")
        if links is None or files is None:
            return cleaned  # a field's own error is shown
        count = len(links) + len(files)
        if not count:
            raise ValidationError(
                _("Paste at least one link or choose at least one saved page.")
                if settings.COLLECT_FETCH
                else _("Choose at least one saved page.")
            )
        if count > MAX_BATCH_PAGES:
            raise ValidationError(
                _(
                    "%(count)d pages at once are too many; at most %(max)d pages "
                    "can be collected in one batch."
                ),
                params={"count": count, "max": MAX_BATCH_PAGES},
            )
        return cleaned


def _looks_like_text(upload) -> bool:
    """HTML and MHTML are text: a NUL byte in the first bytes means another kind of
    file under a page's name. Reading it is the worker's job."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return b"\x00" not in head
