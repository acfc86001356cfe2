from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from collect.extract import Refused
from feeds.models import Feed, FeedEntry
from feeds.services import refuse_unless_fetching
from feeds.tasks import poll_feed_now


class FeedEntryInline(admin.TabularInline):
    """What came of each entry: made by polling, never typed in."""

    model = FeedEntry
    extra = 0
    can_delete = False
    fields = ("title", "entry_link", "item", "refusal", "seen_at")
    readonly_fields = fields
    ordering = ("-seen_at", "-id")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("link"))
    def entry_link(self, entry):
        if not entry.link:
            return "-"
        return format_html(
            '<a href="{}" rel="noopener noreferrer">{}</a>', entry.link, entry.link
        )

    @admin.display(description=_("item"))
    def item(self, entry):
        if entry.article_id is None:
            return "-"
        url = reverse("admin:articles_article_change", args=[entry.article_id])
        return format_html('<a href="{}">{}</a>', url, entry.article.title)


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "url",
        "source",
        "active",
        "last_polled_at",
        "last_error",
        "entry_count",
    )
    list_filter = ("active",)
    list_select_related = ("source",)
    search_fields = ("title", "url")
    autocomplete_fields = ("source",)
    readonly_fields = ("last_polled_at", "last_error")
    inlines = (FeedEntryInline,)
    actions = ("poll_now",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_total=Count("entries"))

    @admin.display(description=_("entries"), ordering="entry_total")
    def entry_count(self, feed):
        return feed.entry_total

    @admin.action(description=_("Poll the selected feeds now"), permissions=["change"])
    def poll_now(self, request, queryset):
        """Queue the polls for the worker: fetching many pages has no place in
        a web request."""
        try:
            refuse_unless_fetching()
        except Refused as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        feeds = list(queryset.values_list("pk", flat=True))
        for pk in feeds:
            poll_feed_now.enqueue(pk)
        self.message_user(
            request,
            ngettext(
                "%(count)d feed is queued for polling; its new entries arrive in "
                "the pool shortly.",
                "%(count)d feeds are queued for polling; their new entries arrive "
                "in the pool shortly.",
                len(feeds),
            )
            % {"count": len(feeds)},
            messages.SUCCESS,
        )
