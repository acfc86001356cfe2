"""Published means permanent: records a signed-off or published issue shows refuse
to change, except inside the one correction workflow.

Each app registers the records its pages show (`guard`): which fields readers see,
and which frozen issues show a given row. A pre_save / pre_delete receiver then
compares the stored row with the one being written; if a field readers see would
change and a frozen issue shows the row, the write is refused with a message that
names the record and the issues. The check sits under every path (admin forms and
actions, imports, the shell), so no caller can forget it. `QuerySet.update()` and
raw fixture loads are not checked: they are for derived data and restores. Nor
is `bulk_create`: its caller answers for the rows (a new source, document or
section is in no issue yet; the importer checks the one issue its new items,
attachments, board and section links show in once, with `refuse_if_frozen`).
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.utils.translation import gettext as _

# Who is writing: nobody special, the correction service (published issues may
# change, signed-off ones not), or the workflow service (status and publish date).
ORDINARY, CORRECTING, WORKFLOW = "ordinary", "correcting", "workflow"
_mode: ContextVar[str] = ContextVar("bulletin_freezing_mode", default=ORDINARY)


@contextmanager
def _writing_as(mode: str):
    token = _mode.set(mode)
    try:
        yield
    finally:
        _mode.reset(token)


def correcting():
    """Writes made by the correction service: published content may change."""
    return _writing_as(CORRECTING)


def workflow():
    """Writes made by the workflow service itself (status, publish date)."""
    return _writing_as(WORKFLOW)


class PublishedRecordFrozen(ValidationError):
    """A write would change what a signed-off or published issue shows."""

    def __init__(self, record, issues):
        self.record = record
        self.issues = list(issues)
        published = [i for i in self.issues if i.is_published]
        approved = [i for i in self.issues if not i.is_published]
        parts = []
        if published:
            parts.append(
                _("A published issue changes only through a correction: %(issues)s")
                % {"issues": "、".join(str(i) for i in published)}
            )
        if approved:
            parts.append(
                _(
                    "A signed-off issue changes only after a chief editor sends it "
                    "back: %(issues)s"
                )
                % {"issues": "、".join(str(i) for i in approved)}
            )
        label = record_label(record)
        message = "；".join(parts)
        if label:
            message = _("%(record)s: %(refusal)s") % {
                "record": label,
                "refusal": message,
            }
        super().__init__(message, code="frozen")


def record_label(record) -> str:
    """'来源“人民日报”' — the record's kind and name, as the refusal names it."""
    name = str(record)
    kind = str(record._meta.verbose_name)
    if name.startswith("《"):
        return f"{kind}{name}"
    return _("%(kind)s “%(name)s”") % {"kind": kind, "name": name}


@dataclass(frozen=True)
class Guard:
    fields: tuple[str, ...]
    # (instance, stored values or None for a new row) -> iterable of frozen issues
    frozen_issues: Callable


_guards: dict[type, Guard] = {}


def guard(model: type[models.Model], *, fields, frozen_issues) -> None:
    """Protect what readers see of `model`'s rows while a frozen issue shows them."""
    _guards[model] = Guard(tuple(fields), frozen_issues)
    uid = f"freezing-{model._meta.label_lower}"
    pre_save.connect(_check_save, sender=model, dispatch_uid=f"{uid}-save")
    pre_delete.connect(_check_delete, sender=model, dispatch_uid=f"{uid}-delete")


def guard_m2m(through: type[models.Model], *, owner: type, issues_of) -> None:
    """Refuse adding or removing rows of `through` by a relation manager (which
    bypasses save) on either side: `owner` is the side whose ids `issues_of(ids)`
    turns into the frozen issues that show them."""

    def check(sender, instance, action, pk_set, **kwargs):
        if action not in ("pre_add", "pre_remove", "pre_clear"):
            return
        if action != "pre_clear" and not pk_set:
            return
        ids = [instance.pk] if isinstance(instance, owner) else list(pk_set or [])
        refuse_if_frozen(instance, issues_of(ids))

    m2m_changed.connect(
        check,
        sender=through,
        dispatch_uid=f"freezing-m2m-{through._meta.label_lower}",
        weak=False,
    )


def refuse_if_frozen(record, issues) -> None:
    """Raise unless the current writer may change what these frozen issues show."""
    mode = _mode.get()
    if mode == WORKFLOW:
        return
    issues = list(issues)
    if mode == CORRECTING:
        issues = [issue for issue in issues if not issue.is_published]
    if issues:
        raise PublishedRecordFrozen(record, issues)


def stored_values(instance, fields) -> dict | None:
    """The row as stored, or None for a new one."""
    if instance._state.adding or instance.pk is None:
        return None
    return type(instance)._base_manager.filter(pk=instance.pk).values(*fields).first()


def _attnames(model, fields) -> list[str]:
    return [model._meta.get_field(name).attname for name in fields]


def _check_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or _mode.get() == WORKFLOW:
        return
    rule = _guards[sender]
    guarded = names = _attnames(sender, rule.fields)
    if update_fields is not None:
        watched = {sender._meta.get_field(f).attname for f in update_fields}
        names = [name for name in names if name in watched]
        if not names:
            return
    # All guarded fields are read: the rule finds the issues through them even
    # when only some are saved.
    stored = stored_values(instance, guarded)
    if stored is not None and all(
        stored[name] == getattr(instance, name) for name in names
    ):
        return
    refuse_if_frozen(instance, rule.frozen_issues(instance, stored))


def _check_delete(sender, instance, **kwargs):
    if _mode.get() == WORKFLOW:
        return
    rule = _guards[sender]
    stored = stored_values(instance, _attnames(sender, rule.fields))
    refuse_if_frozen(instance, rule.frozen_issues(instance, stored))


class FrozenRecordAdminMixin:
    """Admin side of the guard: a refused write is reported on the page it came
    from, with everything rolled back, instead of raising a server error."""

    def _refusal_redirect(self, request, error):
        from django.contrib import messages
        from django.http import HttpResponseRedirect

        for message in error.messages:
            self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with transaction.atomic():
                return super().changeform_view(
                    request, object_id, form_url, extra_context
                )
        except ValidationError as error:
            return self._refusal_redirect(request, error)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            with transaction.atomic():
                return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            return self._refusal_redirect(request, error)

    def changelist_view(self, request, extra_context=None):
        # Actions run here; a refused one must undo all it did.
        try:
            with transaction.atomic():
                return super().changelist_view(request, extra_context)
        except ValidationError as error:
            return self._refusal_redirect(request, error)
