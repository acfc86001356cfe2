"""Polling a feed: its new entries are collected through the one path of
collecting (collect.services.collect_page), each in its own transaction."""

import calendar
import datetime
from dataclasses import dataclass, field

import feedparser
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from collect.extract import Refused
from collect.fetch import fetch_conditional
from collect.services import collect_page
from feeds.models import Feed, FeedEntry

# Problems feedparser reports of a feed it still read whole.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


@dataclass
class PollReport:
    feed: Feed
    collected: list = field(default_factory=list)  # the items made
    refused: list = field(default_factory=list)  # (entry link, reason)
    error: str = ""  # the feed itself could not be read
    not_modified: bool = False


def refuse_unless_fetching() -> None:
    if not settings.COLLECT_FETCH:
        raise Refused(
            _(
                "Polling feeds fetches their pages, and fetching links is turned "
                "off on this server (COLLECT_FETCH)."
            )
        )


def poll_active_feeds(progress=None) -> list[PollReport]:
    """Poll every active feed; progress(feed, done, total) after each entry."""
    refuse_unless_fetching()
    return [
        poll_feed(feed, progress=progress)
        for feed in Feed.objects.filter(active=True).select_related("source")
    ]


def poll_feed(feed: Feed, *, progress=None, user=None) -> PollReport:
    """Fetch the feed (a 304 when unchanged) and collect up to FEEDS_MAX_ENTRIES
    entries not seen before. A feed that cannot be fetched or read is left with
    the error and nothing of it stored."""
    refuse_unless_fetching()
    report = PollReport(feed)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            entries = _new_entries(feed, report)
        except Refused as error:
            report.error = str(error)
            entries = []
        for done, entry in enumerate(entries, 1):
            _collect_entry(feed, entry, report, user)
            if progress is not None:
                progress(str(feed), done, len(entries))
    feed.last_polled_at = timezone.now()
    feed.last_error = report.error
    feed.save(update_fields=["last_polled_at", "last_error", "etag", "modified"])
    return report


def _new_entries(feed: Feed, report: PollReport) -> list[dict]:
    fetched = fetch_conditional(feed.url, etag=feed.etag, modified=feed.modified)
    if fetched.not_modified:
        report.not_modified = True
        return []
    parsed = feedparser.parse(
        fetched.data, response_headers={"content-location": fetched.url}
    )
    problem = parsed.get("bozo_exception")
    if not parsed.version or (parsed.bozo and not isinstance(problem, _HARMLESS)):
        raise Refused(
            _("The address does not give a readable RSS or Atom feed: %(error)s")
            % {"error": problem or _("no feed found")}
        )
    # The validators are kept only once the feed was read.
    feed.etag, feed.modified = fetched.etag[:300], fetched.last_modified[:100]
    wanted, keys = [], set()
    for entry in parsed.entries:
        key = (entry.get("id") or entry.get("link") or "")[:500]
        if key and key not in keys:
            keys.add(key)
            wanted.append({**entry, "key": key})
    seen = set(
        FeedEntry.objects.filter(
            feed=feed, key__in=[e["key"] for e in wanted]
        ).values_list("key", flat=True)
    )
    return [e for e in wanted if e["key"] not in seen][: settings.FEEDS_MAX_ENTRIES]


def _collect_entry(feed: Feed, entry: dict, report: PollReport, user) -> None:
    link = entry.get("link", "")
    record = FeedEntry(
        feed=feed, key=entry["key"], link=link[:500], title=entry.get("title", "")[:300]
    )
    try:
        with transaction.atomic():
            if FeedEntry.objects.filter(feed=feed, key=record.key).exists():
                return  # another poll of the same feed took it meanwhile
            if not link.startswith(("http://", "https://")):
                raise Refused(_("The entry has no web link."))
            article, _repeats = collect_page(link, user=user)
            _fill_provenance(article, feed, entry, link)
            record.article = article
            record.save()
        report.collected.append(article)
    except (Refused, ValidationError) as error:
        record.article = None
        record.refusal = (
            "; ".join(error.messages)
            if isinstance(error, ValidationError)
            else str(error)
        )
        record.save()
        report.refused.append((link, record.refusal))


def _fill_provenance(article, feed: Feed, entry: dict, link: str) -> None:
    """What the page did not say, from the feed: the outlet, the date, the link."""
    changed = []
    if article.source_id is None and feed.source_id is not None:
        article.source = feed.source
        changed.append("source")
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    if article.source_date is None and published:
        moment = datetime.datetime.fromtimestamp(
            calendar.timegm(published), tz=datetime.UTC
        )
        article.source_date = timezone.localtime(moment).date()
        changed.append("source_date")
    if not article.original_url:
        article.original_url = link[:500]
        changed.append("original_url")
    if changed:
        article.save(update_fields=changed)
