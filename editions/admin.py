from django.contrib import admin

from editions.models import Edition


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    """Generated files are read-only: they follow the issue, not manual edits."""

    list_display = ("issue", "kind", "status", "page_count", "generated_at")
    list_filter = ("kind", "status")
    list_select_related = ("issue",)
    readonly_fields = (
        "issue",
        "kind",
        "status",
        "file",
        "fingerprint",
        "page_count",
        "error",
        "generated_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
