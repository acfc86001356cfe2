"""Admin pages where archivists upload a back issue, follow its dry run in the
background, read the summary, and confirm."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.forms import ImportModeForm, ImportUploadForm
from archive.models import ImportMode, ImportRun
from archive.progress import progress_of
from archive.services import DEFAULT_REASON
from archive.tasks import queue_check, queue_import
from bulletin.files import send_stored_file

IMPORT_PERMISSION = "issues.import_issue"
# The confirm page's two buttons: dry-run the chosen mode, or import it.
CHECK, CONFIRM = "check", "confirm"


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
        "original_name",
        "status",
        "mode",
        "issue",
        "uploaded_by",
        "created_at",
        "summary_link",
    )
    list_filter = ("status",)
    readonly_fields = (
        "original_name",
        "status",
        "mode",
        "issue",
        "uploaded_by",
        "created_at",
        "error",
    )
    exclude = ("file", "summary")

    @admin.display(description=gettext_lazy("Import summary"))
    def summary_link(self, run):
        url = reverse("admin:archive_importrun_confirm", args=[run.pk])
        label = _("View")
        if run.status == ImportRun.Status.CHECKED:
            label = _("View and confirm")
        elif run.is_busy:
            label = _("View progress")
        return format_html('<a href="{}">{}</a>', url, label)

    # Only archivists (and superusers) import; everyone else gets 403.
    def has_module_permission(self, request):
        return request.user.has_perm(IMPORT_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(IMPORT_PERMISSION)

    def has_add_permission(self, request):
        return request.user.has_perm(IMPORT_PERMISSION)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        confirm = self.admin_site.admin_view(self.confirm_view)
        progress = self.admin_site.admin_view(self.progress_view)
        upload = self.admin_site.admin_view(self.file_view)
        return [
            path("<int:pk>/confirm/", confirm, name="archive_importrun_confirm"),
            path("<int:pk>/progress/", progress, name="archive_importrun_progress"),
            path("<int:pk>/file/", upload, name="archive_importrun_file"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        """Store the upload and queue its dry run; the run's page follows it."""
        self._require_permission(request)
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            publication = form.cleaned_data["publication"]
            run = ImportRun.objects.create(
                file=upload,
                original_name=upload.name,
                uploaded_by=request.user,
                publication_choice=publication.slug if publication else "",
            )
            queue_check(
                run,
                user=request.user,
                mode=form.cleaned_data["mode"],
                reason=form.cleaned_data["reason"],
            )
            return redirect(self._run_url(run))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import a back issue"),
            "form": form,
        }
        return TemplateResponse(request, "admin/archive/upload.html", context)

    def confirm_view(self, request, pk):
        """The run's page: its progress while the worker has it, then the dry run
        to confirm, or to dry-run again in another mode.

        Only the mode (and correction reason) just dry-run can be confirmed, so
        nothing is written that the archivist has not seen summarised first.
        """
        self._require_permission(request)
        run = get_object_or_404(ImportRun, pk=pk)
        form = ImportModeForm(
            request.POST or None,
            initial={"mode": run.mode, "reason": run.reason or DEFAULT_REASON},
        )
        if request.method == "POST" and form.is_valid():
            mode, reason = form.cleaned_data["mode"], form.cleaned_data["reason"]
            if request.POST.get("action") == CONFIRM and run.was_checked_as(
                mode, reason
            ):
                if not queue_import(run, user=request.user):
                    messages.warning(
                        request,
                        _(
                            "This dry run was confirmed already; it cannot be imported twice."
                        ),
                    )
            elif queue_check(run, user=request.user, mode=mode, reason=reason):
                messages.info(
                    request,
                    _("A new dry run as “%(mode)s” is queued.")
                    % {"mode": ImportMode(mode).label},
                )
            else:
                messages.warning(
                    request,
                    _("This import is %(status)s; it cannot be dry-run again now.")
                    % {"status": run.get_status_display()},
                )
            return redirect(self._run_url(run))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Back-issue import"),
            "run": run,
            "form": form,
            "progress": progress_of(run),
            "confirmable": run.was_checked_as(run.mode, run.reason),
            "summary_lines": run.summary.get("lines", []),
            "CHECK": CHECK,
            "CONFIRM": CONFIRM,
        }
        return TemplateResponse(request, "admin/archive/confirm.html", context)

    def progress_view(self, request, pk):
        """The run's progress as JSON, for the page's script to poll."""
        self._require_permission(request)
        return JsonResponse(progress_of(get_object_or_404(ImportRun, pk=pk)))

    def file_view(self, request, pk):
        """The uploaded file as it was received: for importers only, like its run."""
        self._require_permission(request)
        run = get_object_or_404(ImportRun, pk=pk)
        return send_stored_file(
            request, run.file, filename=run.original_name, as_attachment=True
        )

    @staticmethod
    def _run_url(run: ImportRun) -> str:
        return reverse("admin:archive_importrun_confirm", args=[run.pk])

    def _require_permission(self, request):
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
