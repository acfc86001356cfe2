"""Background work: `manage.py db_worker` runs these in production.

Editions are built here and nowhere else: never in a reader's request. One build
is queued per issue at a time (a marker in the shared cache), and on PostgreSQL an
advisory lock lets only one worker build an issue at a time; SQLite deployments
run a single worker.
"""

from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection, transaction
from django.tasks import task

from editions.models import Edition
from editions.services import build_edition
from issues.models import Issue

QUEUED_FOR = 60 * 60  # a queued marker outlives a stopped worker by at most this
LOCK_SPACE = 0x4544  # "ED": keeps these advisory lock keys apart from others


def _queued_key(issue_id: int) -> str:
    return f"editions:queued:{issue_id}"


def is_queued(issue: Issue) -> bool:
    return cache.get(_queued_key(issue.pk)) is not None


def schedule_editions(issue: Issue, *, force: bool = False) -> None:
    """Queue a build of the issue's editions once the current transaction commits.

    The one hook for publication, corrections and a chief's forced rebuild. A
    build already queued covers later changes too (it reads the issue when it
    runs), so it is not queued twice; a forced rebuild always is.
    """
    issue_id = issue.pk

    def enqueue():
        newly_queued = cache.add(_queued_key(issue_id), True, QUEUED_FOR)
        if force:
            generate_editions.enqueue(issue_id=issue_id, force=True)
        elif newly_queued:
            generate_editions.enqueue(issue_id=issue_id)

    transaction.on_commit(enqueue)


@contextmanager
def _one_build_at_a_time(issue_id: int):
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_SPACE, issue_id])
        try:
            yield
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_SPACE, issue_id])


@task
def generate_editions(issue_id: int, force: bool = False) -> list[str]:
    """Build the PDF and Word editions of a published issue (skipped if unpublished
    again or already current); returns the kinds that are ready."""
    # From here on, a new change queues a new build: this one may not see it.
    cache.delete(_queued_key(issue_id))
    with _one_build_at_a_time(issue_id):
        issue = Issue.objects.with_masthead().filter(pk=issue_id).first()
        if issue is None or not issue.is_published:
            return []
        return [
            build_edition(issue, kind, force=force).kind for kind in Edition.Kind.values
        ]
