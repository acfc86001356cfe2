"""Polling in the background worker: one feed now (the admin's "poll now"), or
every active feed periodically. As with the link check (links/tasks.py), each
periodic run queues the next FEEDS_INTERVAL_MINUTES later, so one
`poll_feeds --schedule` starts a chain that a running `db_worker` keeps going."""

import datetime

from django.conf import settings
from django.tasks import TaskResultStatus, task
from django.utils import timezone

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
        schedule_next()


def schedule_next(delay: datetime.timedelta | None = None):
    if delay is None:
        delay = datetime.timedelta(minutes=settings.FEEDS_INTERVAL_MINUTES)
    return poll_feeds_periodically.using(run_after=timezone.now() + delay).enqueue()


def queued_run():
    """The next periodic run waiting in the database queue, if a chain is going."""
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(
            task_path=poll_feeds_periodically.module_path,
            status=TaskResultStatus.READY,
        )
        .order_by("run_after")
        .first()
    )
