"""The worker's side of a metadata export queued in the admin."""

import logging
import tempfile

from django.core.files import File
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from oai import export
from oai.models import MetadataExport

logger = logging.getLogger(__name__)
Status = MetadataExport.Status


def queue_export(job: MetadataExport) -> None:
    """Hand a saved request to the worker once it is committed."""
    transaction.on_commit(lambda: build_export.enqueue(export_id=job.pk))


@task()
def build_export(export_id: int) -> None:
    # Claimed by the same statement that checks it is still queued: a task
    # delivered twice writes the file once.
    if not MetadataExport.objects.filter(pk=export_id, status=Status.QUEUED).update(
        status=Status.RUNNING
    ):
        return
    job = MetadataExport.objects.get(pk=export_id)

    def progress(done: int, total: int) -> None:
        MetadataExport.objects.filter(pk=export_id).update(done=done, total=total)

    try:
        with tempfile.TemporaryFile() as scratch:
            written = export.write(job.format, scratch, progress)
            scratch.seek(0)
            job.file.save(job.filename, File(scratch), save=False)
    except Exception as error:
        logger.exception("Metadata export %s failed", export_id)
        MetadataExport.objects.filter(pk=export_id).update(
            status=Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return
    MetadataExport.objects.filter(pk=export_id).update(
        status=Status.DONE,
        file=job.file.name,
        done=written,
        total=written,
        finished_at=timezone.now(),
    )
