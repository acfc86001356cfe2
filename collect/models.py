"""The page an item was collected from, kept beside it for when the link dies."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bulletin.validators import SafeUploadPath


class Snapshot(models.Model):
    """The page as collected: sanitised HTML (nothing that runs), its plain text,
    the SHA-256 of the bytes received and where they came from."""

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="snapshot",
        verbose_name=_("item"),
    )
    html = models.TextField(_("archived page"))
    text = models.TextField(_("plain text"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    url = models.URLField(_("address"), max_length=500, blank=True)
    collected_at = models.DateTimeField(_("collected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("archived original")
        verbose_name_plural = _("archived originals")

    def __str__(self):
        return str(self.article)

    def get_absolute_url(self):
        return reverse("collect:snapshot", kwargs={"pk": self.article_id})


class CollectBatch(models.Model):
    """Pages an editor pasted or dropped in the admin at once, collected one by one
    in the background (collect.tasks); each page ends collected or refused."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the background task")
        RUNNING = "running", _("Collecting")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("collected by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("collecting batch")
        verbose_name_plural = _("collecting batches")
        ordering = ("-created_at", "-id")

    def __str__(self):
        return gettext("Batch of %(date)s") % {
            "date": formats.date_format(
                timezone.localtime(self.created_at), "Y-m-d H:i"
            )
        }

    @property
    def is_busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class CollectedPage(models.Model):
    """One pasted link or uploaded saved page of a batch, and what became of it.
    Uploads are stored under collect/ in the default storage, which is never
    served by its path (bulletin/files.py)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        COLLECTED = "collected", _("Collected")
        REFUSED = "refused", _("Refused")

    batch = models.ForeignKey(
        CollectBatch,
        on_delete=models.CASCADE,
        related_name="pages",
        verbose_name=_("batch"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=SafeUploadPath("collect"), blank=True)
    original_name = models.CharField(
        _("original file name"), max_length=255, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item"),
    )
    repeats = models.JSONField(_("repeats"), default=list, blank=True)
    message = models.TextField(_("reason refused"), blank=True)

    class Meta:
        verbose_name = _("collected page")
        verbose_name_plural = _("collected pages")
        ordering = ("batch", "position")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "position"], name="collect_page_one_per_position"
            )
        ]

    def __str__(self):
        return self.url or self.original_name
