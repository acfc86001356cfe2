"""History pages in Chinese: django-simple-history's change lists, with values
shown as editors read them (no "None", no "Deleted 栏目 (pk=None)")."""

from django.utils.translation import gettext as _
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper


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
