"""Background work of the admin import: every dry run and every confirmed import
runs here, in `manage.py db_worker`, never in a web request.

The page queues work by moving the run to a queued status in the same statement
that checks it may (so a double click queues nothing twice); the database queue
commits the task with that change. Each task claims its run the same way before
it starts, reads the stored upload, reports its progress, and leaves the run
with a summary or an error the archivist can read.
"""

import logging

from django.db import transaction
from django.tasks import task
from django.utils.translation import gettext_lazy

from archive.importers import ImportRefused, IssueImportError, parse_file
from archive.models import ImportRun
from archive.progress import CachedProgress, forget
from archive.services import DEFAULT_REASON, issue_import
from issues.models import Section

logger = logging.getLogger(__name__)
Status = ImportRun.Status
# Filled in with str.format (name=the exception's class).
CRASHED = gettext_lazy(
    "The background task failed ({name}) and wrote nothing; dry-run the file "
    "again, or ask an administrator to read the log."
)


def queue_check(run: ImportRun, *, user, mode: str, reason: str) -> bool:
    """Queue a dry run of the stored upload in this mode, as `user`; False while
    the run is busy or after it was imported."""
    claimed = ImportRun.objects.filter(
        pk=run.pk, status__in=(Status.QUEUED, Status.CHECKED)
    ).update(
        status=Status.QUEUED,
        mode=mode,
        reason=reason,
        requested_by=user,
        error="",
        summary={},
    )
    if claimed:
        check_import.enqueue(run_id=run.pk)
    return bool(claimed)


def queue_import(run: ImportRun, *, user) -> bool:
    """Queue the import the archivist just saw dry-run; False if it was not that."""
    if not run.was_checked_as(run.mode, run.reason):
        return False
    claimed = ImportRun.objects.filter(
        pk=run.pk, status=Status.CHECKED, mode=run.mode, reason=run.reason, error=""
    ).update(status=Status.IMPORT_QUEUED, requested_by=user)
    if claimed:
        write_import.enqueue(run_id=run.pk)
    return bool(claimed)


def _claim(run_id: int, queued: str, running: str) -> ImportRun | None:
    """Move the run from queued to running; None if another task has it."""
    if not ImportRun.objects.filter(pk=run_id, status=queued).update(status=running):
        return None
    return ImportRun.objects.select_related("requested_by").get(pk=run_id)


def _parse(run: ImportRun, progress):
    with run.file.open("rb") as handle:
        data = handle.read()
    sections = Section.objects.all()
    if run.publication_choice:
        sections = sections.filter(publication__slug=run.publication_choice)
    names = list(sections.values_list("name", flat=True))
    return parse_file(run.original_name, data, known_sections=names, progress=progress)


def _import(run: ImportRun, *, dry_run: bool):
    progress = CachedProgress(run)
    return issue_import(
        _parse(run, progress),
        publication=run.publication_choice,
        mode=run.mode,
        reason=run.reason or DEFAULT_REASON,
        user=run.requested_by,
        dry_run=dry_run,
        progress=progress,
    )


def _end(run: ImportRun, status: str, *, error: str = "", summary=None) -> None:
    run.status, run.error = status, error
    fields = ["status", "error"]
    if summary is not None:
        run.summary = {**summary.as_dict(), "lines": summary.lines()}
        fields.append("summary")
        if not summary.dry_run:
            run.issue_id = summary.issue_id
            fields.append("issue")
    run.save(update_fields=fields)
    forget(run)


def _crashed(run: ImportRun, error: Exception) -> None:
    logger.exception("Import run %s failed", run.pk)
    _end(run, Status.FAILED, error=CRASHED.format(name=type(error).__name__))


@task
def check_import(run_id: int) -> str:
    """Dry-run the upload in its chosen mode and keep what the run would do."""
    run = _claim(run_id, Status.QUEUED, Status.CHECKING)
    if run is None:
        return "skipped"
    try:
        summary = _import(run, dry_run=True)
    except ImportRefused as error:
        # The file is fine; another mode may still fit.
        _end(run, Status.CHECKED, error=str(error))
    except IssueImportError as error:
        _end(run, Status.FAILED, error=str(error))
    except Exception as error:
        _crashed(run, error)
        raise
    else:
        _end(run, Status.CHECKED, summary=summary)
    return run.status


@task
def write_import(run_id: int) -> str:
    """Import what was dry-run, all or nothing, as the archivist who confirmed."""
    run = _claim(run_id, Status.IMPORT_QUEUED, Status.IMPORTING)
    if run is None:
        return "skipped"
    try:
        with transaction.atomic():
            summary = _import(run, dry_run=False)
            _end(run, Status.IMPORTED, summary=summary)
    except IssueImportError as error:
        # Something changed since the dry run: it must be dry-run again.
        _end(run, Status.CHECKED, error=str(error))
    except Exception as error:
        _crashed(run, error)
        raise
    return run.status
