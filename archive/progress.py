"""Where a background import is, for the archivist watching its page.

The worker reports (stage, done, total) while it reads the file and writes its
items. The import's own transaction cannot show its progress to another
connection, so reports go to the shared cache, a few times a second; the page
reads them beside the run's status, which lives in the database.
"""

import time
from pathlib import PurePath

from django.core.cache import cache

from archive.importers import READING
from archive.models import ImportRun

REPORT_EVERY = 0.25  # seconds between two cache writes of one run
KEPT_FOR = 60 * 60
# Reading the file is counted as the first part of the bar, writing as the rest.
READING_SHARE = 40
UNITS = {".txt": "行", ".docx": "段", ".pdf": "页"}


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
            "等待后台任务开始"
            if run.status in (ImportRun.Status.QUEUED, ImportRun.Status.IMPORT_QUEUED)
            else "正在准备"
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
        unit = UNITS.get(PurePath(run.original_name).suffix.lower(), "行")
        percent = READING_SHARE * done // total
        return f"正在读取文件：第 {done} / {total} {unit}", percent
    verb = "正在写入" if run.status == ImportRun.Status.IMPORTING else "正在试写入"
    percent = READING_SHARE + (100 - READING_SHARE) * done // total
    return f"{verb}条目：{done} / {total} 篇", min(percent, 99)
