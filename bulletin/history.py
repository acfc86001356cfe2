"""History pages in Chinese: django-simple-history's change lists, with values
shown as editors read them (no "None", no "Deleted 栏目 (pk=None)"), and text
changes marked character by character (Chinese has no spaces between words)."""

import difflib

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from bulletin.text import html_to_text

# Unchanged text kept either side of a change; longer stretches are cut to "…".
CONTEXT = 20
# Past this many changed characters (after the common start and end) the change
# is marked as one replacement rather than compared character by character:
# the comparison grows with the square of its length, and runs in the request.
MAX_COMPARED = 4_000
HTML_FIELDS = {"body"}


def marked_difference(old: str, new: str) -> tuple[str, str]:
    """Both texts with what was removed in <del> and what was added in <ins>."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    old_middle, new_middle = old[start : len(old) - end], new[start : len(new) - end]
    if len(old_middle) + len(new_middle) > MAX_COMPARED:
        codes = [("replace", 0, len(old_middle), 0, len(new_middle))]
    else:
        matcher = difflib.SequenceMatcher(None, old_middle, new_middle, autojunk=False)
        codes = matcher.get_opcodes()
    old_parts, new_parts = [], []
    if start:
        old_parts.append(escape(_cut(old[:start], first=True, last=False)))
        new_parts.append(old_parts[-1])
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal":
            same = escape(_cut(old_middle[i1:i2], first=False, last=False))
            old_parts.append(same)
            new_parts.append(same)
            continue
        if i2 > i1:
            old_parts.append(format_html("<del>{}</del>", old_middle[i1:i2]))
        if j2 > j1:
            new_parts.append(format_html("<ins>{}</ins>", new_middle[j1:j2]))
    if end:
        old_parts.append(escape(_cut(old[len(old) - end :], first=False, last=True)))
        new_parts.append(old_parts[-1])
    return _joined(old_parts), _joined(new_parts)


def _cut(text: str, *, first: bool, last: bool) -> str:
    if len(text) <= 2 * CONTEXT:
        return text
    head = "" if first else text[:CONTEXT]
    tail = "" if last else text[-CONTEXT:]
    return f"{head}…{tail}"


def _joined(parts) -> str:
    return format_html_join("", "{}", ((part,) for part in parts))


class ChineseValuesHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, DeletedObject):
            if value.pk is None:
                return _("(empty)")
            return _("deleted %(kind)s (no. %(pk)s)") % {
                "kind": value.model._meta.verbose_name,
                "pk": value.pk,
            }
        if value is None or value == "":
            return _("(empty)")
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return value

    def stringify_delta_change_values(self, change, old, new):
        if not (isinstance(old, str) and isinstance(new, str)):
            return super().stringify_delta_change_values(change, old, new)
        if change.field in HTML_FIELDS:
            old, new = html_to_text(old).strip(), html_to_text(new).strip()
        return marked_difference(old, new)


class ChineseHistoryAdminMixin:
    """For SimpleHistoryAdmin subclasses: the history page's values in Chinese."""

    object_history_list_template = "admin/history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ChineseValuesHelper(self.model, historical_record)

    def history_view_title(self, request, obj):
        return _("Change history: %(record)s") % {"record": obj}

    def get_urls(self):
        """Before simple_history's own: its version page would take "compare"
        for a version number."""
        name = f"{self.opts.app_label}_{self.opts.model_name}_history_compare"
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.history_compare_view),
            name=name,
        )
        return [compare, *super().get_urls()]

    def history_compare_view(self, request, object_id):
        """Any two versions of a record side by side, field by field, with the
        same character-level marks as the history list."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        history_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_history",
            args=[obj.pk],
        )
        wanted = [request.GET.get("old", ""), request.GET.get("new", "")]
        versions = {
            str(record.history_id): record
            for record in obj.history.filter(
                history_id__in=[v for v in wanted if v.isdigit()]
            )
        }
        if len(set(wanted)) != 2 or not all(v in versions for v in wanted):
            self.message_user(
                request, _("Choose two different versions to compare."), messages.ERROR
            )
            return redirect(history_url)
        older, newer = sorted(
            (versions[v] for v in wanted), key=lambda r: (r.history_date, r.history_id)
        )
        delta = newer.diff_against(older, foreign_keys_are_objs=True)
        helper = self.get_historical_record_context_helper(request, newer)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "older": older,
            "newer": newer,
            "changes": helper.context_for_delta_changes(delta),
            "history_url": history_url,
            "title": _("Compare versions: %(record)s") % {"record": obj},
        }
        return TemplateResponse(request, "admin/history_compare.html", context)

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return _("View version: %(record)s") % {"record": obj}
        return _("Restore version: %(record)s") % {"record": obj}
