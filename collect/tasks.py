"""The worker's side of a collecting batch made in the admin.

One task per batch collects its pages in order, each in its own transaction
(collect.services.collect), so a refused page loses nothing and the rest of the
batch is still collected. Each page's row is saved as soon as it is done: the
batch's page reads its progress from the database.
"""

import logging

from django.db import transaction
from django.tasks import task
from django.utils.translation import gettext

from collect.extract import Refused
from collect.models import CollectBatch, CollectedPage
from collect.services import collect_page

logger = logging.getLogger(__name__)
Status = CollectBatch.Status


def queue_batch(batch: CollectBatch) -> None:
    """Hand a saved batch to the worker once it is committed."""
    transaction.on_commit(lambda: collect_batch.enqueue(batch_id=batch.pk))


@task()
def collect_batch(batch_id: int) -> str:
    # Claimed by the statement that checks it is still queued: a task delivered
    # twice collects nothing twice.
    if not CollectBatch.objects.filter(pk=batch_id, status=Status.QUEUED).update(
        status=Status.RUNNING
    ):
        return "skipped"
    batch = CollectBatch.objects.select_related("created_by").get(pk=batch_id)
    try:
        for page in batch.pages.filter(status=CollectedPage.Status.WAITING):
            _collect(page, user=batch.created_by)
    except Exception as error:
        logger.exception("Collecting batch %s failed", batch_id)
        CollectBatch.objects.filter(pk=batch_id).update(
            status=Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    CollectBatch.objects.filter(pk=batch_id).update(status=Status.DONE)
    return Status.DONE


def _collect(page: CollectedPage, *, user) -> None:
    try:
        article, repeats = collect_page(page.url or page.file, user=user)
    except Refused as error:
        page.status, page.message = CollectedPage.Status.REFUSED, str(error)
        page.save(update_fields=["status", "message"])
        return
    except Exception as error:
        # Nothing of this page was written (collect is all or nothing); the
        # editor reads a reason, the log the whole story, and the rest goes on.
        logger.exception("Collecting page %s failed", page.pk)
        page.status = CollectedPage.Status.REFUSED
        page.message = gettext(
            "The page could not be collected (%(name)s); ask an administrator to "
            "read the log."
        ) % {"name": type(error).__name__}
        page.save(update_fields=["status", "message"])
        return
    page.status, page.article, page.repeats = (
        CollectedPage.Status.COLLECTED,
        article,
        repeats,
    )
    page.save(update_fields=["status", "article", "repeats"])
