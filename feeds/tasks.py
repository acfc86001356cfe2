"""Polling in the background worker: one feed now (the admin's "poll now"), or
every active feed periodically: each periodic run queues the next
FEEDS_INTERVAL_MINUTES later (bulletin.periodic); `poll_feeds --schedule` starts
the chain."""

from django.conf import settings
from django.tasks import task

from bulletin import periodic
from collect.extract import Refused
from feeds.models import Feed
from feeds.services import poll_active_feeds, poll_feed


@task
def poll_feed_now(feed_id: int) -> int:
    """Poll one feed; returns how many items it brought."""
    feed = Feed.objects.filter(pk=feed_id).select_related("source").first()
    if feed is None:
        return 0
    return len(poll_feed(feed).collected)


@task
def poll_feeds_periodically() -> int:
    """Poll every active feed, then queue the next run; returns how many items
    came in. The next run is queued even when this one fails."""
    try:
        return sum(len(report.collected) for report in poll_active_feeds())
    except Refused:
        return 0  # fetching is off now; the chain waits for it to come back
    finally:
        periodic.queue_next(
            poll_feeds_periodically, minutes=settings.FEEDS_INTERVAL_MINUTES
        )
