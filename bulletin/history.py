"""History pages in Chinese: django-simple-history's change lists, with values
shown as editors read them (no "None", no "Deleted 栏目 (pk=None)"), and text
changes marked character by character (Chinese has no spaces between words)."""

import difflib

from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from bulletin.text import html_to_text

# Unchanged text kept either side of a change; longer stretches are cut to "…".
CONTEXT = 20
# Past this many characters the two versions are shown shortened, not compared.
MAX_COMPARED = 20_000
HTML_FIELDS = {"body"}


def marked_difference(old: str, new: str) -> tuple[str, str]:
    """Both texts with what was removed in <del> and what was added in <ins>."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    codes = matcher.get_opcodes()
    old_parts, new_parts = [], []
    for index, (tag, i1, i2, j1, j2) in enumerate(codes):
        if tag == "equal":
            same = _cut(old[i1:i2], first=index == 0, last=index == len(codes) - 1)
            old_parts.append(escape(same))
            new_parts.append(escape(same))
            continue
        if i2 > i1:
            old_parts.append(format_html("<del>{}</del>", old[i1:i2]))
        if j2 > j1:
            new_parts.append(format_html("<ins>{}</ins>", new[j1:j2]))
    return _joined(old_parts), _joined(new_parts)


def _joined(parts) -> str:
    return format_html_join("", "{}", ((part,) for part in parts))


def _cut(text: str, *, first: bool, last: bool) -> str:
    if len(text) <= 2 * CONTEXT:
        return text
    head = "" if first else text[:CONTEXT]
    tail = "" if last else text[-CONTEXT:]
    return f"{head}…{tail}"


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
        if len(old) + len(new) > MAX_COMPARED:
            return super().stringify_delta_change_values(change, old, new)
        return marked_difference(old, new)


class ChineseHistoryAdminMixin:
    """For SimpleHistoryAdmin subclasses: the history page's values in Chinese."""

    object_history_list_template = "admin/history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ChineseValuesHelper(self.model, historical_record)

    def history_view_title(self, request, obj):
        return _("Change history: %(record)s") % {"record": obj}

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return _("View version: %(record)s") % {"record": obj}
        return _("Restore version: %(record)s") % {"record": obj}
