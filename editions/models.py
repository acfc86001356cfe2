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
        PENDING = "pending", _("queued")
        READY = "ready", _("generated")
        FAILED = "failed", _("failed")

    issue = models.ForeignKey(
        "issues.Issue",
        on_delete=models.CASCADE,
        related_name="editions",
        verbose_name=_("issue"),
    )
    kind = models.CharField(_("format"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(_("file"), upload_to=SafeUploadPath("editions"), blank=True)
    fingerprint = models.CharField(
        _("content fingerprint"),
        max_length=64,
        blank=True,
        help_text=_(
            "A hash of the issue's content when the file was built; "
            "once the content changes the file must be built again."
        ),
    )
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error message"), blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("printed edition")
        verbose_name_plural = _("printed editions")
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
