from django.contrib import admin

from collect.models import Snapshot


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    """Snapshots are made by collecting, never typed in: read-only here."""

    list_display = ("article", "url", "collected_at")
    list_select_related = ("article",)
    search_fields = ("article__title", "url", "sha256")
    readonly_fields = ("article", "url", "sha256", "collected_at", "text")
    exclude = ("html",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
