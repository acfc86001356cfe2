"""A record of each file an archivist uploaded for import, and what became of it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bulletin.validators import SafeUploadPath


class ImportMode(models.TextChoices):
    """What an import does when the issue is already stored."""

    NEW = "new", _("New import (the issue is not imported yet)")
    REPLACE = "replace", _("Replace the draft (stored items keep their ids)")
    CORRECTIONS = "corrections", _("Apply as corrections (a published issue)")


class ImportRun(models.Model):
    """One uploaded back issue: checked by a dry run, then imported on confirmation.

    Both run in the background (archive.tasks); the status says which is queued or
    under way, so the page can follow it and nothing is asked for twice.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued for a dry run")
        CHECKING = "checking", _("Dry run under way")
        CHECKED = "checked", _("Dry-run, awaiting confirmation")
        IMPORT_QUEUED = "import_queued", _("Queued for import")
        IMPORTING = "importing", _("Import under way")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")

    BUSY = (Status.QUEUED, Status.CHECKING, Status.IMPORT_QUEUED, Status.IMPORTING)

    file = models.FileField(_("file"), upload_to=SafeUploadPath("imports"))
    original_name = models.CharField(_("original file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
        help_text=_(
            "Who last asked for a dry run or the import; the import acts in their name."
        ),
    )
    publication_choice = models.CharField(
        _("chosen publication"),
        max_length=100,
        blank=True,
        help_text=_("The publication’s slug; empty to go by the masthead."),
    )
    mode = models.CharField(
        _("import mode"),
        max_length=20,
        choices=ImportMode.choices,
        default=ImportMode.NEW,
        help_text=_(
            "The mode of the last dry run; a confirmation imports in this mode only."
        ),
    )
    reason = models.CharField(_("correction note"), max_length=500, blank=True)
    summary = models.JSONField(_("import summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    issue = models.ForeignKey(
        "issues.Issue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issue"),
    )

    class Meta:
        verbose_name = _("back-issue import")
        verbose_name_plural = _("back-issue imports")
        ordering = ("-created_at", "-id")

    def __str__(self):
        return gettext("%(name)s (%(status)s)") % {
            "name": self.original_name,
            "status": self.get_status_display(),
        }

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
