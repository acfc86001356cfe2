from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from editions.models import Edition


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    """Generated files are read-only: they follow the issue, not manual edits. Each
    build is its own row, so an issue's rows are its history."""

    list_display = ("issue", "kind", "status", "page_count", "generated_at")
    list_filter = ("kind", "status")
    list_select_related = ("issue",)
    # The file shows as a link to its download view, not to the storage's own URL.
    fields = readonly_fields = (
        "issue",
        "kind",
        "status",
        "download",
        "fingerprint",
        "page_count",
        "error",
        "generated_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        """Through the edition's own view, which checks who may have the file."""
        if obj.status != Edition.Status.READY or not obj.file:
            return "-"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.file.name)
