from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from collect.forms import CollectForm
from collect.models import CollectBatch, CollectedPage, Snapshot
from collect.tasks import queue_batch

# Whoever may add items (editors, chief editors) may collect them.
COLLECT_PERMISSION = "articles.add_article"


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


@admin.register(CollectBatch)
class CollectBatchAdmin(admin.ModelAdmin):
    """Editors paste links or drop saved pages; the worker collects them and the
    batch's page follows it, then lists what became of each page."""

    list_display = ("__str__", "status", "created_by", "page_count", "results_link")
    list_select_related = ("created_by",)
    list_filter = ("status",)

    def has_module_permission(self, request):
        return request.user.has_perm(COLLECT_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(COLLECT_PERMISSION)

    def has_add_permission(self, request):
        return request.user.has_perm(COLLECT_PERMISSION)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(page_total=Count("pages"))

    @admin.display(description=gettext_lazy("pages"), ordering="page_total")
    def page_count(self, batch):
        return batch.page_total

    @admin.display(description=gettext_lazy("results"))
    def results_link(self, batch):
        url = reverse("admin:collect_collectbatch_change", args=[batch.pk])
        label = _("View progress") if batch.is_busy else _("View results")
        return format_html('<a href="{}">{}</a>', url, label)

    def get_urls(self):
        progress = self.admin_site.admin_view(self.progress_view)
        return [
            path("<int:pk>/progress/", progress, name="collect_collectbatch_progress"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        """Store the links and files as one batch and queue its collecting."""
        self._require_permission(request)
        form = CollectForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                batch = CollectBatch.objects.create(created_by=request.user)
                rows = [{"url": url} for url in form.cleaned_data["links"]]
                rows += [
                    {"file": upload, "original_name": upload.name[:255]}
                    for upload in form.cleaned_data["files"]
                ]
                for position, row in enumerate(rows, 1):
                    CollectedPage.objects.create(batch=batch, position=position, **row)
                queue_batch(batch)
            return redirect(
                reverse("admin:collect_collectbatch_change", args=[batch.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Collect from the web"),
            "form": form,
        }
        return TemplateResponse(request, "admin/collect/collectbatch/add.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The batch's page: its progress while the worker has it, then each page's
        result (the item made and its repeats, or why it was refused)."""
        self._require_permission(request)
        batch = get_object_or_404(CollectBatch, pk=object_id)
        pages = batch.pages.select_related("article__source")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(batch),
            "batch": batch,
            "pages": pages,
            "progress": progress_of(batch),
        }
        return TemplateResponse(
            request, "admin/collect/collectbatch/batch.html", context
        )

    def progress_view(self, request, pk):
        """The batch's progress as JSON, for the page's script to poll."""
        self._require_permission(request)
        return JsonResponse(progress_of(get_object_or_404(CollectBatch, pk=pk)))

    def _require_permission(self, request):
        if not request.user.has_perm(COLLECT_PERMISSION):
            raise PermissionDenied


def progress_of(batch: CollectBatch) -> dict:
    """What the batch's page shows, in the shape of the import's progress (so
    static/js/import-progress.js follows it): the stage in words, a percentage."""
    counts = dict(batch.pages.order_by().values_list("status").annotate(n=Count("id")))
    total = sum(counts.values())
    collected = counts.get(CollectedPage.Status.COLLECTED, 0)
    refused = counts.get(CollectedPage.Status.REFUSED, 0)
    done = collected + refused
    finished = not batch.is_busy
    if batch.status == CollectBatch.Status.QUEUED:
        stage = _("Waiting for the background task to start")
    else:
        stage = _(
            "%(done)d of %(total)d pages done: %(collected)d collected, "
            "%(refused)d refused"
        ) % {"done": done, "total": total, "collected": collected, "refused": refused}
    return {
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "finished": finished,
        "stage": stage,
        "percent": 100 if finished else 100 * done // max(total, 1),
        "done": done,
        "total": total,
        "collected": collected,
        "refused": refused,
    }
