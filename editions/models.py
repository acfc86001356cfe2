"""Printed editions of an issue (PDF, Word), stored through the storage API."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bulletin.validators import SafeUploadPath


class EditionQuerySet(models.QuerySet):
    def ready(self):
        """Built and stored: the editions that can be downloaded."""
        return self.filter(status=Edition.Status.READY).exclude(file="")

    def latest_ready(self, issue, kind: str) -> "Edition | None":
        """The edition served for this issue and kind; None before the first build."""
        return (
            self.ready()
            .filter(issue=issue, kind=kind)
            .order_by("-generated_at", "-pk")
            .first()
        )

    def history(self):
        """Ready editions, newest first, each marked `is_current` if it is the one
        served for its issue and kind (a subquery: still one query)."""
        newer = (
            Edition.objects.ready()
            .filter(issue=OuterRef("issue"), kind=OuterRef("kind"))
            .filter(
                Q(generated_at__gt=OuterRef("generated_at"))
                | Q(generated_at=OuterRef("generated_at"), pk__gt=OuterRef("pk"))
            )
        )
        return (
            self.ready()
            .annotate(is_current=~Exists(newer))
            .order_by("-generated_at", "-pk")
        )


class Edition(models.Model):
    """One build of an issue's PDF or Word file, and the content it was built from.

    Builds are never overwritten: each published or corrected state of the issue
    keeps its own row and file, and the newest ready one is served.
    """

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

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("印刷版")
        verbose_name_plural = _("印刷版")
        ordering = ("-generated_at", "-pk")
        get_latest_by = "generated_at"
        indexes = [
            # latest_ready() and the history on the issue page.
            models.Index(
                fields=["issue", "kind", "-generated_at"],
                name="editions_edition_latest_idx",
            )
        ]

    def __str__(self):
        return f"{self.issue} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("editions:file", kwargs={"pk": self.pk})


CONTENT_TYPES = {
    Edition.Kind.PDF: "application/pdf",
    Edition.Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
