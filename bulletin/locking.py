"""Optimistic locking: two people edit the same record, the second save is refused.

Each versioned row carries a counter. A save claims the version it was loaded
with in one conditional UPDATE; if somebody saved in between, nothing is written
and StaleEdit says who changed what (from the model's history) so the editor can
reapply their change on top.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.http import HttpResponseRedirect
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _


class StaleEdit(Exception):
    """The record changed after it was loaded; the save was not made."""

    def __init__(self, instance, loaded_version: int):
        self.instance = instance
        self.loaded_version = loaded_version
        super().__init__(describe_changes_since(instance, loaded_version))


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            claimed = (
                type(self)
                ._base_manager.filter(pk=self.pk, version=self.version)
                .update(version=F("version") + 1)
            )
            if not claimed:
                raise StaleEdit(self, self.version)
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


def describe_changes_since(instance, loaded_version: int) -> str:
    """'chief 于 2023-08-20 14:05 修改了：标题（“旧” → “新”）' for each save since then."""
    history = getattr(instance, "history", None)
    lines = []
    if history is not None:
        records = list(
            history.model.objects.filter(
                **{instance._meta.pk.attname: instance.pk}, version__gt=loaded_version
            )
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        for record in records:
            changes = []
            previous = record.prev_record
            if previous is not None:
                delta = record.diff_against(previous, excluded_fields=["version"])
                for change in delta.changes:
                    label = instance._meta.get_field(change.field).verbose_name
                    changes.append(
                        _("%(field)s (“%(old)s” → “%(new)s”)")
                        % {
                            "field": label,
                            "old": _short(change.old),
                            "new": _short(change.new),
                        }
                    )
            who = record.history_user or _("system")
            when = date_format(localtime(record.history_date), "Y-m-d H:i")
            lines.append(
                _("%(who)s changed it on %(when)s: %(changes)s")
                % {
                    "who": who,
                    "when": when,
                    "changes": "；".join(changes) or _("(no field changed)"),
                }
            )
    if not lines:
        return _("Someone else changed this record after you opened it.")
    return _("Someone else changed this record after you opened it: %(changes)s") % {
        "changes": " ".join(lines)
    }


def _short(value, limit: int = 40) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


class OptimisticLockingForm(forms.ModelForm):
    """Carries the version the editor loaded and refuses the save if it moved on."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is None:
            # Without the version we cannot tell whether someone saved in between:
            # refuse, as for a conflict, rather than overwrite blindly.
            raise ValidationError(
                _(
                    "Cannot tell whether someone else changed this record after you "
                    "opened it (the version number is missing)."
                )
                + " "
                + _(
                    "Your changes were not saved: copy them, open this page again and "
                    "make them there."
                ),
                code="stale",
            )
        if self.instance.pk and loaded is not None:
            current = (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and current != loaded:
                raise ValidationError(
                    describe_changes_since(self.instance, loaded)
                    + " "
                    + _(
                        "Your changes were not saved: copy them, open this page again "
                        "and make them there."
                    ),
                    code="stale",
                )
            self.instance.version = loaded
        return cleaned


class OptimisticLockingAdminMixin:
    """Admin side: restoring an old version starts from the current one, and a race
    lost between validation and saving is reported instead of raising."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit as stale:
            self.message_user(
                request,
                str(stale) + " " + _("Your changes were not saved."),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)

    def get_fieldsets(self, request, obj=None):
        """Someone who may only look has no version to send back: the hidden
        field would show as a bare "None"."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (
                name,
                {
                    **opts,
                    "fields": [f for f in opts["fields"] if f != "loaded_version"],
                },
            )
            for name, opts in fieldsets
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and getattr(request, "resolver_match", None):
            if request.resolver_match.url_name.endswith("_simple_history"):
                # A restore writes the old content as a new version on top of today's.
                obj.version = (
                    type(obj)
                    ._base_manager.filter(pk=obj.pk)
                    .values_list("version", flat=True)
                    .first()
                    or obj.version
                )
        return super().get_form(request, obj, change, **kwargs)
