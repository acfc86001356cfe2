"""The periodic link check: each run checks a batch of due links and queues the
next LINKS_INTERVAL_MINUTES later (bulletin.periodic); `check_links --schedule`
starts the chain."""

from django.conf import settings
from django.tasks import task

from bulletin import periodic
from links.services import check_due_links


@task
def check_links_periodically() -> int:
    """Check up to LINKS_BATCH due links, then queue the next run; returns how
    many were checked. The next run is queued even when this one fails."""
    try:
        return check_due_links(limit=settings.LINKS_BATCH).checked
    finally:
        periodic.queue_next(
            check_links_periodically, minutes=settings.LINKS_INTERVAL_MINUTES
        )
