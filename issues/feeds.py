"""Atom and RSS feeds of published issues and of their articles."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article
from bulletin.pages import cached_page
from issues.models import Issue, Publication

FEED_SIZE = 50


def entry_id(kind: str, record) -> str:
    """A tag: URI (RFC 4151) that names the record for good: feed readers keep
    it even when an issue is renumbered and its address changes."""
    return (
        f"tag:{settings.FEED_ID_AUTHORITY},{record.created_at:%Y-%m-%d}:"
        f"{kind}/{record.pk}"
    )


def _as_datetime(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))


class CachedFeed(Feed):
    """A feed is the same for every reader: one cached copy, with ETag and
    Last-Modified, for all of them.

    RFC 4287 4.1.1: a feed needs an author unless every entry has one; both
    have one here (the feed's is the office that publishes the digest).
    """

    @method_decorator(cached_page(shared=True))
    def __call__(self, request, *args, **kwargs):
        return super().__call__(request, *args, **kwargs)

    def author_name(self):
        publisher = (
            Publication.objects.order_by("pk")
            .values_list("publisher", flat=True)
            .first()
        )
        return publisher or str(self.title)


class IssuesFeed(CachedFeed):
    title = gettext_lazy("Information Digest · latest issues")
    link = reverse_lazy("issues:home")
    description = gettext_lazy(
        "Newly published issues of the monthly Information Digest."
    )

    def items(self):
        return (
            Issue.objects.published()
            .select_related("publication")
            .order_by("-year", "-number")[:FEED_SIZE]
        )

    def item_title(self, item):
        return f"{item.publication.name} {item.masthead_number}"

    def item_description(self, item):
        return _("Period covered %(period)s") % {"period": item.period_display}

    def item_author_name(self, item):
        return item.publication.publisher or item.publication.name

    def item_pubdate(self, item):
        return _as_datetime(item.publish_date) or item.updated_at

    def item_guid(self, item):
        return entry_id("issue", item)

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item.updated_at


class IssuesAtomFeed(IssuesFeed):
    feed_type = Atom1Feed
    subtitle = IssuesFeed.description


class ArticlesFeed(CachedFeed):
    title = gettext_lazy("Information Digest · latest items")
    link = reverse_lazy("issues:home")
    description = gettext_lazy("News and policy items from the published issues.")

    def items(self):
        return (
            Article.objects.published()
            .select_related("issue__publication", "source")
            .order_by("-issue__year", "-issue__number", "position", "id")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        """The abstract, the body's start or a book's synopsis; None (no summary
        element, which Atom allows) rather than an empty one."""
        for text in (item.abstract, strip_tags(item.body), item.book_summary):
            if text.strip():
                return Truncator(text.strip()).chars(200)
        return None

    def item_author_name(self, item):
        """The item's author, else its source outlet, else the publishing office."""
        return (
            item.author
            or (item.source.name if item.source_id else "")
            or item.issue.publication.publisher
            or item.issue.publication.name
        )

    def item_pubdate(self, item):
        return (
            _as_datetime(item.source_date or item.issue.publish_date) or item.updated_at
        )

    def item_guid(self, item):
        return entry_id("item", item)

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [str(item.issue)]


class ArticlesAtomFeed(ArticlesFeed):
    feed_type = Atom1Feed
    subtitle = ArticlesFeed.description
