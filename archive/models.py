"""A record of each file an archivist uploaded for import, and what became of it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bulletin.validators import SafeUploadPath


class ImportMode(models.TextChoices):
    """What an import does when the issue is already stored."""

    NEW = "new", _("新导入（本期尚未导入）")
    REPLACE = "replace", _("替换草稿（保留已有条目的编号）")
    CORRECTIONS = "corrections", _("作为更正应用（已发布的期刊）")


class ImportRun(models.Model):
    """One uploaded back issue: checked by a dry run, then imported on confirmation."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("已试导入，待确认")
        IMPORTED = "imported", _("已导入")
        FAILED = "failed", _("失败")

    file = models.FileField(_("文件"), upload_to=SafeUploadPath("imports"))
    original_name = models.CharField(_("原文件名"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.CHECKED
    )
    mode = models.CharField(
        _("导入方式"),
        max_length=20,
        choices=ImportMode.choices,
        default=ImportMode.NEW,
        help_text=_("最近一次试导入所用的方式；确认时只能按这一方式导入。"),
    )
    summary = models.JSONField(_("导入摘要"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)
    issue = models.ForeignKey(
        "issues.Issue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("期刊"),
    )

    class Meta:
        verbose_name = _("往期导入")
        verbose_name_plural = _("往期导入")
        ordering = ("-created_at", "-id")

    def __str__(self):
        return f"{self.original_name}（{self.get_status_display()}）"

    def was_checked_as(self, mode: str, reason: str) -> bool:
        """A confirmation imports only what the archivist just saw: a successful
        dry run in this mode (and, for corrections, with this reason)."""
        return (
            self.status == self.Status.CHECKED
            and not self.error
            and "lines" in self.summary
            and self.mode == mode
            and self.summary.get("reason", "") == reason
        )
