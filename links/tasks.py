"""The periodic link check. django_tasks_db has no scheduler: each run checks a
batch of due links and queues the next run LINKS_INTERVAL_MINUTES later, so one
`check_links --schedule` starts a chain that a running `db_worker` keeps going."""

import datetime

from django.conf import settings
from django.tasks import TaskResultStatus, task
from django.utils import timezone

from links.services import check_due_links


@task
def check_links_periodically() -> int:
    """Check up to LINKS_BATCH due links, then queue the next run; returns how
    many were checked. The next run is queued even when this one fails."""
    try:
        return check_due_links(limit=settings.LINKS_BATCH).checked
    finally:
        schedule_next()


def schedule_next(delay: datetime.timedelta | None = None):
    if delay is None:
        delay = datetime.timedelta(minutes=settings.LINKS_INTERVAL_MINUTES)
    return check_links_periodically.using(run_after=timezone.now() + delay).enqueue()


def queued_run():
    """The next run waiting in the database queue, if a chain is going."""
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(
            task_path=check_links_periodically.module_path,
            status=TaskResultStatus.READY,
        )
        .order_by("run_after")
        .first()
    )
