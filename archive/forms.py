"""The forms of the admin import pages: the upload, checked before anything parses
it, and the mode (new, replace a draft, apply as corrections) each dry run uses."""

import zipfile
from pathlib import PurePath

from django import forms
from django.conf import settings

from archive.importers import SUPPORTED_EXTENSIONS
from archive.models import ImportMode
from archive.services import DEFAULT_REASON
from issues.models import Publication

SNIFF_BYTES = 4096


class ImportModeForm(forms.Form):
    """How to import: every mode is dry-run and shown before it is confirmed."""

    mode = forms.ChoiceField(
        label="导入方式",
        choices=ImportMode.choices,
        initial=ImportMode.NEW,
        widget=forms.RadioSelect,
        help_text=(
            "本期已导入且尚未签发时选“替换草稿”：与文件相符的条目保留编号，"
            "流程记录和更正都保留。本期已发布时选“作为更正应用”：每处修改登记为更正，"
            "不增删条目。"
        ),
    )
    reason = forms.CharField(
        label="更正说明",
        required=False,
        initial=DEFAULT_REASON,
        max_length=500,
        help_text="作为更正应用时，登记在每条更正上，读者可见。",
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["reason"] = cleaned.get("reason", "").strip()
        if cleaned.get("mode") != ImportMode.CORRECTIONS:
            cleaned["reason"] = ""
        elif not cleaned["reason"]:
            self.add_error("reason", "作为更正应用时须填写更正说明。")
        return cleaned


class ImportUploadForm(ImportModeForm):
    field_order = ("file", "publication", "mode", "reason")

    file = forms.FileField(
        label="期刊文件", help_text="接受 .txt（UTF-8 或 GB18030）、.pdf、.docx。"
    )
    publication = forms.ModelChoiceField(
        Publication.objects.all(),
        required=False,
        label="刊物",
        empty_label="按刊头识别（没有则新建）",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in SUPPORTED_EXTENSIONS:
            raise forms.ValidationError(
                "只接受 .txt、.pdf 或 .docx 文件，收到的是“%(name)s”。",
                params={"name": upload.name},
            )
        limit = settings.MAX_IMPORT_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                "文件过大（%(size)d 字节），上限为 %(max)d 字节。",
                params={"size": upload.size, "max": limit},
            )
        if not content_matches(suffix, upload):
            raise forms.ValidationError(
                "文件内容与扩展名 %(suffix)s 不符。", params={"suffix": suffix}
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
