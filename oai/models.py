"""What harvesters have been told: one row per item or issue ever published.

A row outlives what it describes: when an issue is unpublished (or an item
leaves a published issue) its rows stay, marked deleted, so harvesters learn
to drop them (Identify says deletedRecord "persistent"). The datestamp is the
moment the record last changed for a harvester: published, corrected, deleted.
Rows are written only by the receivers in oai/signals.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Record(models.Model):
    class Kind(models.TextChoices):
        ITEM = "item", _("item")
        ISSUE = "issue", _("issue")

    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    # Plain numbers, not foreign keys: a tombstone outlives the row it names.
    object_id = models.PositiveIntegerField(_("object id"))
    issue_ref = models.PositiveIntegerField(_("issue id"), db_index=True)
    datestamp = models.DateTimeField(_("datestamp"))
    deleted = models.BooleanField(_("deleted"), default=False)
    # The record's sets (setSpec parts), kept so a deleted record keeps them.
    publication_spec = models.CharField(_("publication set"), max_length=60)
    section_spec = models.CharField(_("section set"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("harvesting record")
        verbose_name_plural = _("harvesting records")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="oai_record_one_per_object"
            )
        ]
        # ListIdentifiers/ListRecords page through (datestamp, id).
        indexes = [models.Index(fields=["datestamp", "id"], name="oai_record_list_idx")]

    def __str__(self):
        state = " (deleted)" if self.deleted else ""
        return f"{self.kind}/{self.object_id}{state}"


class MetadataExport(models.Model):
    """The whole published archive's metadata, written by the worker into one file
    (oai/export.py) for a system that takes it whole rather than harvesting."""

    class Format(models.TextChoices):
        XML = "xml", _("Dublin Core XML")
        CSV = "csv", _("CSV (one Dublin Core element a column)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("exporting")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    format = models.CharField(
        _("format"), max_length=3, choices=Format.choices, default=Format.XML
    )
    status = models.CharField(
        _("status"), max_length=7, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, editable=False)
    done = models.PositiveIntegerField(_("records written"), default=0, editable=False)
    total = models.PositiveIntegerField(_("records in all"), default=0, editable=False)
    file = models.FileField(_("file"), upload_to="exports/", blank=True, editable=False)
    error = models.TextField(_("error"), blank=True, editable=False)

    class Meta:
        verbose_name = _("metadata export")
        verbose_name_plural = _("metadata exports")
        ordering = ("-created_at", "-id")

    def __str__(self):
        return f"{self.get_format_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def filename(self) -> str:
        return f"bulletin-metadata-{self.created_at:%Y%m%d-%H%M%S}.{self.format}"
