"""/health/ for load balancers and compose's healthchecks (django-health-check).

200 when the database answers, the cache and the file storage take a write and
read it back, and the task queue is being worked off; 500 otherwise. It answers
without a login and is never cached; ``Accept: application/json`` (or
``?format=json``) gives one line per check. The messages are the library's
own: which check failed and its kind of failure, never a setting or a path.
"""

import dataclasses
import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """The database task queue (django_tasks_db) is being worked off: no more
    than `max_ready` tasks wait, and none has waited longer than `max_wait`
    (a worker that stopped leaves the editions and mail queued for good)."""

    max_ready: int = dataclasses.field(
        default_factory=lambda: settings.HEALTH_TASK_QUEUE_MAX_READY
    )
    max_wait: datetime.timedelta = dataclasses.field(
        default_factory=lambda: datetime.timedelta(
            minutes=settings.HEALTH_TASK_QUEUE_MAX_WAIT_MINUTES
        )
    )

    async def run(self):
        if not any(
            options["BACKEND"] == "django_tasks_db.DatabaseBackend"
            for options in settings.TASKS.values()
        ):
            return  # another backend (tests run tasks at once): no queue here
        # One query, on the request's own connection (the async ORM runs it in
        # the request's thread). Nothing here queues a task to run later, so a
        # ready task has waited since it was enqueued.
        try:
            queue = await DBTaskResult.objects.ready().aaggregate(
                waiting=Count("pk"), oldest=Min("enqueued_at")
            )
        except DatabaseError as error:
            raise ServiceUnavailable("The task queue cannot be read") from error
        if queue["waiting"] > self.max_ready:
            raise ServiceUnavailable(f"{queue['waiting']} tasks waiting")
        if queue["oldest"] and timezone.now() - queue["oldest"] > self.max_wait:
            raise ServiceUnavailable("The oldest task has waited too long")


CHECKS = (
    "health_check.checks.Database",
    "health_check.checks.Cache",
    "health_check.checks.Storage",
    TaskQueue,
)

health = login_not_required(HealthCheckView.as_view(checks=CHECKS))
