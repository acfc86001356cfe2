"""Metadata exports in the admin: an archivist asks for one, the worker writes it,
its page follows the progress and then offers the file."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from bulletin.files import send_stored_file
from oai.models import MetadataExport
from oai.tasks import queue_export


@admin.register(MetadataExport)
class MetadataExportAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "progress", "requested_by", "download")
    list_select_related = ("requested_by",)
    list_filter = ("format", "status")
    readonly_fields = (
        "status",
        "progress",
        "requested_by",
        "created_at",
        "finished_at",
        "download",
        "error",
    )
    # Refreshes itself while the worker writes the file.
    change_form_template = "admin/oai/metadataexport/change_form.html"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("format",)
        return ("format", *self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("format", *self.readonly_fields)

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.requested_by = request.user
        super().save_model(request, obj, form, change)
        queue_export(obj)

    def response_add(self, request, obj, post_url_continue=None):
        return redirect(reverse("admin:oai_metadataexport_change", args=[obj.pk]))

    def get_urls(self):
        download = self.admin_site.admin_view(self.file_view)
        return [
            path("<int:pk>/file/", download, name="oai_metadataexport_file"),
            *super().get_urls(),
        ]

    def file_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = get_object_or_404(
            MetadataExport, pk=pk, status=MetadataExport.Status.DONE
        )
        return send_stored_file(
            request, job.file, filename=job.filename, as_attachment=True
        )

    @admin.display(description=_("progress"))
    def progress(self, job):
        if job.status == MetadataExport.Status.DONE:
            return _("%(count)s records") % {"count": job.done}
        return format_html(
            '<progress max="{}" value="{}"></progress> {} / {}',
            job.total or 1,
            job.done,
            job.done,
            job.total or "?",
        )

    @admin.display(description=_("file"))
    def download(self, job):
        if job.status != MetadataExport.Status.DONE:
            return "—"
        url = reverse("admin:oai_metadataexport_file", args=[job.pk])
        return format_html('<a href="{}">{}</a>', url, job.filename)
