"""Printed editions of an issue (PDF, Word), stored through the storage API."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bulletin.validators import SafeUploadPath


class Edition(models.Model):
    """The latest PDF or Word file of an issue, and the content it was built from."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word"

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        READY = "ready", _("已生成")
        FAILED = "failed", _("生成失败")

    issue = models.ForeignKey(
        "issues.Issue",
        on_delete=models.CASCADE,
        related_name="editions",
        verbose_name=_("期刊"),
    )
    kind = models.CharField(_("格式"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(_("文件"), upload_to=SafeUploadPath("editions"), blank=True)
    fingerprint = models.CharField(
        _("内容指纹"),
        max_length=64,
        blank=True,
        help_text=_("生成时期刊内容的哈希值；内容变化后需重新生成。"),
    )
    page_count = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("印刷版")
        verbose_name_plural = _("印刷版")
        ordering = ("issue", "kind")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "kind"], name="editions_edition_unique_kind"
            )
        ]

    def __str__(self):
        return f"{self.issue} {self.get_kind_display()}"

    def is_current(self, fingerprint: str) -> bool:
        return (
            self.status == self.Status.READY
            and bool(self.file)
            and self.fingerprint == fingerprint
        )


CONTENT_TYPES = {
    Edition.Kind.PDF: "application/pdf",
    Edition.Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
