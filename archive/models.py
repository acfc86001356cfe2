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
    """One uploaded back issue: checked by a dry run, then imported on confirmation.

    Both run in the background (archive.tasks); the status says which is queued or
    under way, so the page can follow it and nothing is asked for twice.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队等待试导入")
        CHECKING = "checking", _("正在试导入")
        CHECKED = "checked", _("已试导入，待确认")
        IMPORT_QUEUED = "import_queued", _("排队等待导入")
        IMPORTING = "importing", _("正在导入")
        IMPORTED = "imported", _("已导入")
        FAILED = "failed", _("失败")

    BUSY = (Status.QUEUED, Status.CHECKING, Status.IMPORT_QUEUED, Status.IMPORTING)

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
        _("状态"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("操作人"),
        help_text=_("最近一次要求试导入或导入的人；导入以其名义进行。"),
    )
    publication_choice = models.CharField(
        _("指定刊物"),
        max_length=100,
        blank=True,
        help_text=_("刊物的网址标识；空则按刊头识别。"),
    )
    mode = models.CharField(
        _("导入方式"),
        max_length=20,
        choices=ImportMode.choices,
        default=ImportMode.NEW,
        help_text=_("最近一次试导入所用的方式；确认时只能按这一方式导入。"),
    )
    reason = models.CharField(_("更正说明"), max_length=500, blank=True)
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

    @property
    def is_busy(self) -> bool:
        return self.status in self.BUSY

    def was_checked_as(self, mode: str, reason: str) -> bool:
        """A confirmation imports only what the archivist just saw: a successful
        dry run in this mode (and, for corrections, with this reason)."""
        return (
            self.status == self.Status.CHECKED
            and not self.error
            and "lines" in self.summary
            and self.mode == mode
            and self.reason == reason
        )
