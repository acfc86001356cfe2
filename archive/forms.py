"""The upload form of the admin import page: checks a file before anything parses it."""

import io
import zipfile
from pathlib import PurePath

from django import forms
from django.conf import settings

from archive.importers import SUPPORTED_EXTENSIONS, ParseError
from archive.importers.txt_format import decode_text
from issues.models import Publication


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="期刊文件", help_text="接受 .txt（UTF-8 或 GB18030）、.pdf、.docx。"
    )
    publication = forms.ModelChoiceField(
        Publication.objects.all(),
        required=False,
        label="刊物",
        empty_label="按刊头识别（没有则新建）",
    )
    replace = forms.BooleanField(
        required=False, label="替换已导入的同一期", help_text="删除旧的一期后重新导入。"
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
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        if not content_matches(suffix, data):
            raise forms.ValidationError(
                "文件内容与扩展名 %(suffix)s 不符。", params={"suffix": suffix}
            )
        if suffix == ".txt":
            try:
                decode_text(data)
            except ParseError as error:
                raise forms.ValidationError(str(error)) from None
        return upload


def content_matches(suffix: str, data: bytes) -> bool:
    """Sniff the first bytes (and, for Word, the package's main part)."""
    if suffix == ".pdf":
        return data.startswith(b"%PDF-")
    if suffix == ".docx":
        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                return "word/document.xml" in package.namelist()
        except zipfile.BadZipFile:
            return False
    return b"\x00" not in data[:4096]


class ImportConfirmForm(forms.Form):
    replace = forms.BooleanField(
        required=False, label="替换已导入的同一期", help_text="删除旧的一期后重新导入。"
    )
