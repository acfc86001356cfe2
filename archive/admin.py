"""Admin page where archivists upload a back issue, read the dry run, and confirm."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from archive.forms import ImportModeForm, ImportUploadForm
from archive.importers import ImportRefused, IssueImportError, parse_file
from archive.models import ImportRun
from archive.services import DEFAULT_REASON, issue_import
from issues.models import Section

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

    @admin.display(description="导入摘要")
    def summary_link(self, run):
        url = reverse("admin:archive_importrun_confirm", args=[run.pk])
        label = "查看并确认" if run.status == ImportRun.Status.CHECKED else "查看"
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
        return [
            path("<int:pk>/confirm/", confirm, name="archive_importrun_confirm"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        """Upload, then dry-run at once so the archivist sees what would happen."""
        self._require_permission(request)
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            run = ImportRun.objects.create(
                file=upload, original_name=upload.name, uploaded_by=request.user
            )
            publication = form.cleaned_data["publication"]
            self._check(
                request,
                run,
                publication.slug if publication else "",
                form.cleaned_data["mode"],
                form.cleaned_data["reason"],
            )
            return redirect(reverse("admin:archive_importrun_confirm", args=[run.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "导入往期期刊",
            "form": form,
        }
        return TemplateResponse(request, "admin/archive/upload.html", context)

    def confirm_view(self, request, pk):
        """Show the dry run; confirm it, or dry-run another mode on the same upload.

        Only the mode (and correction reason) just dry-run can be confirmed, so
        nothing is written that the archivist has not seen summarised first.
        """
        self._require_permission(request)
        run = get_object_or_404(ImportRun, pk=pk)
        publication = run.summary.get("publication_choice", "")
        form = ImportModeForm(
            request.POST or None,
            initial={
                "mode": run.mode,
                "reason": run.summary.get("reason") or DEFAULT_REASON,
            },
        )
        if (
            request.method == "POST"
            and run.status == ImportRun.Status.CHECKED
            and form.is_valid()
        ):
            mode, reason = form.cleaned_data["mode"], form.cleaned_data["reason"]
            if request.POST.get("action") == CONFIRM and run.was_checked_as(
                mode, reason
            ):
                if self._import(request, run, publication, mode, reason):
                    messages.success(
                        request,
                        f"{run.summary['lines'][0]}（{run.get_mode_display()}）",
                    )
                    return redirect(reverse("admin:archive_importrun_changelist"))
            else:
                self._check(request, run, publication, mode, reason)
                return redirect(
                    reverse("admin:archive_importrun_confirm", args=[run.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "确认导入",
            "run": run,
            "form": form,
            "confirmable": run.was_checked_as(run.mode, run.summary.get("reason", "")),
            "summary_lines": run.summary.get("lines", []),
            "CHECK": CHECK,
            "CONFIRM": CONFIRM,
        }
        return TemplateResponse(request, "admin/archive/confirm.html", context)

    def _require_permission(self, request):
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied

    @staticmethod
    def _parse(run: ImportRun, publication: str):
        with run.file.open("rb") as handle:
            data = handle.read()
        sections = Section.objects.all()
        if publication:
            sections = sections.filter(publication__slug=publication)
        names = list(sections.values_list("name", flat=True))
        return parse_file(run.original_name, data, known_sections=names)

    def _check(self, request, run: ImportRun, publication, mode, reason) -> None:
        """Dry-run the stored upload in this mode and keep what it said."""
        run.mode, run.error = mode, ""
        run.summary = {"publication_choice": publication, "reason": reason}
        try:
            summary = issue_import(
                self._parse(run, publication),
                publication=publication,
                mode=mode,
                reason=reason or DEFAULT_REASON,
                user=request.user,
                dry_run=True,
            )
        except ImportRefused as error:
            # The file is fine; another mode may still fit.
            run.error = str(error)
        except IssueImportError as error:
            run.status = ImportRun.Status.FAILED
            run.error = str(error)
        else:
            run.summary.update(summary.as_dict(), lines=summary.lines())
            messages.info(
                request,
                f"已按“{run.get_mode_display()}”试导入，尚未写入：请核对摘要后确认。",
            )
        run.save(update_fields=["status", "mode", "error", "summary"])

    def _import(self, request, run: ImportRun, publication, mode, reason) -> bool:
        try:
            with transaction.atomic():
                summary = issue_import(
                    self._parse(run, publication),
                    publication=publication,
                    mode=mode,
                    reason=reason or DEFAULT_REASON,
                    user=request.user,
                )
                run.status = ImportRun.Status.IMPORTED
                run.issue_id = summary.issue_id
                run.error = ""
                run.summary = {
                    **summary.as_dict(),
                    "lines": summary.lines(),
                    "publication_choice": publication,
                }
                run.save(update_fields=["status", "issue", "error", "summary"])
        except IssueImportError as error:
            messages.error(request, str(error))
            return False
        return True
