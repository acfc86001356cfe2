"""Where a background import is, for the archivist watching its page.

The worker reports (stage, done, total) while it reads the file and writes its
items. The import's own transaction cannot show its progress to another
connection, so reports go to the shared cache, a few times a second; the page
reads them beside the run's status, which lives in the database.
"""

import time

from django.core.cache import cache
from django.utils.translation import gettext

from archive.importers import READING, unit_of, unit_word
from archive.models import ImportRun

REPORT_EVERY = 0.25  # seconds between two cache writes of one run
KEPT_FOR = 60 * 60
# Reading the file is counted as the first part of the bar, writing as the rest.
READING_SHARE = 40


def _key(run_id: int) -> str:
    return f"archive:progress:{run_id}"


class CachedProgress:
    """The progress callback of one run's task."""

    def __init__(self, run: ImportRun):
        self.run_id = run.pk
        self.last_stage = None
        self.last_report = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        due = now - self.last_report >= REPORT_EVERY
        if stage != self.last_stage or done >= total or due:
            cache.set(
                _key(self.run_id),
                {"stage": stage, "done": done, "total": total},
                KEPT_FOR,
            )
            self.last_stage, self.last_report = stage, now


def forget(run: ImportRun) -> None:
    cache.delete(_key(run.pk))


def progress_of(run: ImportRun) -> dict:
    """What the progress page shows: the stage in words and a percentage."""
    report = cache.get(_key(run.pk)) if run.is_busy else None
    finished = not run.is_busy
    if finished:
        stage, percent = run.get_status_display(), 100
    elif report is None:
        stage = (
            gettext("Waiting for the background task to start")
            if run.status in (ImportRun.Status.QUEUED, ImportRun.Status.IMPORT_QUEUED)
            else gettext("Preparing")
        )
        percent = 0
    else:
        stage, percent = _described(run, **report)
    return {
        "status": run.status,
        "status_label": run.get_status_display(),
        "finished": finished,
        "stage": stage,
        "percent": percent,
    }


def _described(run: ImportRun, stage: str, done: int, total: int) -> tuple[str, int]:
    total = max(total, 1)
    done = min(done, total)
    if stage == READING:
        percent = READING_SHARE * done // total
        stage = gettext("Reading the file: %(unit)s %(done)s of %(total)s") % {
            "unit": unit_word(unit_of(run.original_name)),
            "done": done,
            "total": total,
        }
        return stage, percent
    stage = (
        gettext("Writing items: %(done)s of %(total)s")
        if run.status == ImportRun.Status.IMPORTING
        else gettext("Writing items (dry run): %(done)s of %(total)s")
    ) % {"done": done, "total": total}
    percent = READING_SHARE + (100 - READING_SHARE) * done // total
    return stage, min(percent, 99)
