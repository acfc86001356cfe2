"""Admin page where archivists upload a back issue, read the dry run, and confirm."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from archive.forms import ImportConfirmForm, ImportUploadForm
from archive.importers import ImportRefused, IssueImportError, parse_file
from archive.models import ImportRun
from archive.services import issue_import
from issues.models import Section

IMPORT_PERMISSION = "issues.import_issue"


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
        "original_name",
        "status",
        "issue",
        "uploaded_by",
        "created_at",
        "summary_link",
    )
    list_filter = ("status",)
    readonly_fields = (
        "original_name",
        "status",
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
                run,
                publication.slug if publication else "",
                form.cleaned_data["replace"],
            )
            url = reverse("admin:archive_importrun_confirm", args=[run.pk])
            query = "?replace=1" if form.cleaned_data["replace"] else ""
            return redirect(url + query)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "导入往期期刊",
            "form": form,
        }
        return TemplateResponse(request, "admin/archive/upload.html", context)

    def confirm_view(self, request, pk):
        self._require_permission(request)
        run = get_object_or_404(ImportRun, pk=pk)
        publication = run.summary.get("publication_choice", "")
        if request.method == "POST" and run.status == ImportRun.Status.CHECKED:
            form = ImportConfirmForm(request.POST)
            if form.is_valid():
                if self._import(
                    request, run, publication, form.cleaned_data["replace"]
                ):
                    messages.success(
                        request, f"已导入：{run.summary.get('issue_label', '')}"
                    )
                    return redirect(reverse("admin:archive_importrun_changelist"))
        else:
            form = ImportConfirmForm(
                initial={"replace": bool(request.GET.get("replace"))}
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "确认导入",
            "run": run,
            "form": form,
            "summary_lines": run.summary.get("lines", []),
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

    def _check(self, run: ImportRun, publication: str, replace: bool) -> None:
        try:
            summary = issue_import(
                self._parse(run, publication),
                publication=publication,
                replace=replace,
                dry_run=True,
            )
        except ImportRefused as error:
            # The file is fine; the archivist may still confirm with "replace".
            run.error = str(error)
            run.summary = {"publication_choice": publication}
        except IssueImportError as error:
            run.status = ImportRun.Status.FAILED
            run.error = str(error)
            run.summary = {"publication_choice": publication}
        else:
            run.summary = {
                **summary.as_dict(),
                "lines": summary.lines(),
                "publication_choice": publication,
            }
        run.save(update_fields=["status", "error", "summary"])

    def _import(self, request, run: ImportRun, publication: str, replace: bool) -> bool:
        try:
            with transaction.atomic():
                summary = issue_import(
                    self._parse(run, publication),
                    publication=publication,
                    replace=replace,
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
