"""The search dictionary in the admin, for archivists and chief editors."""

from django.contrib import admin

from search.models import SearchTerm


@admin.register(SearchTerm)
class SearchTermAdmin(admin.ModelAdmin):
    list_display = ("term", "note", "created_by", "updated_at")
    search_fields = ("term", "note")
    readonly_fields = ("created_by", "updated_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
