from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from links.models import CheckedLink


class DeadFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("dead", _("Dead")), ("failing", _("Failing"))]

    def queryset(self, request, queryset):
        if self.value() == "dead":
            return queryset.dead()
        if self.value() == "failing":
            return queryset.filter(consecutive_failures__gt=0)
        return queryset


@admin.register(CheckedLink)
class CheckedLinkAdmin(admin.ModelAdmin):
    list_display = (
        "url",
        "status_code",
        "error",
        "consecutive_failures",
        "failing_since",
        "last_alive_at",
        "checked_at",
    )
    list_filter = (DeadFilter,)
    search_fields = ("url",)
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
