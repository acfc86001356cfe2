"""Work the background worker repeats. django_tasks_db has no scheduler: each
run of a periodic task queues the next one an interval later, so one start
(a command's `--schedule`) begins a chain that a running `db_worker` keeps
going."""

import datetime

from django.tasks import TaskResultStatus
from django.utils import timezone


def queue_next(task, *, minutes: float, delay: datetime.timedelta | None = None):
    """Queue task's next run `minutes` from now (or after delay)."""
    if delay is None:
        delay = datetime.timedelta(minutes=minutes)
    return task.using(run_after=timezone.now() + delay).enqueue()


def queued_run(task):
    """The task's next run waiting in the database queue, if a chain is going."""
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(
            task_path=task.module_path, status=TaskResultStatus.READY
        )
        .order_by("run_after")
        .first()
    )


def start(task, *, minutes: float):
    """Start the chain now unless a run is waiting already: that waiting run, or
    None when this call started it. InvalidTask when the queue cannot run tasks
    later."""
    waiting = queued_run(task)
    if waiting is None:
        queue_next(task, minutes=minutes, delay=datetime.timedelta(0))
    return waiting
