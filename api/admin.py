"""API tokens, for superusers only: a token reads everything its owner may."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "hint", "created_at", "last_used_at")
    list_select_related = ("owner",)
    search_fields = ("name", "owner__username", "hint")
    raw_id_fields = ("owner",)
    readonly_fields = ("hint", "created_at", "last_used_at")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "owner")
        return ("name", "owner", "hint", "created_at", "last_used_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # A token's owner is fixed: give another user a token of their own.
        return ("owner", *self.readonly_fields)

    def save_model(self, request, obj, form, change):
        if not change:
            token = obj.generate()
            self.message_user(
                request,
                _(
                    "The new token is %(token)s — copy it now: it is stored only "
                    "as a hash and cannot be shown again."
                )
                % {"token": token},
                messages.WARNING,
            )
        super().save_model(request, obj, form, change)
