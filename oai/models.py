"""What harvesters have been told: one row per item or issue ever published.

A row outlives what it describes: when an issue is unpublished (or an item
leaves a published issue) its rows stay, marked deleted, so harvesters learn
to drop them (Identify says deletedRecord "persistent"). The datestamp is the
moment the record last changed for a harvester: published, corrected, deleted.
Rows are written only by the receivers in oai/signals.py.
"""

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
