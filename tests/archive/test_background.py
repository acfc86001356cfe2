"""The admin import runs in the background: the request stores and queues, the
worker reads and writes, and the run's page follows its progress."""

import io
import os
import pty
import select

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from archive.importers import READING, WRITING, parse_file
from archive.models import ImportMode, ImportRun
from archive.progress import CachedProgress, forget, progress_of
from archive.services import issue_import
from archive.tasks import CRASHED, queue_check, queue_import
from issues.models import Issue
from tests.archive.test_formats import build_docx, build_pdf
from tests.factories import PublicationFactory
from tests.tasks import run_worker


class Recorder:
    def __init__(self):
        self.reports = []

    def __call__(self, stage, done, total):
        self.reports.append((stage, done, total))

    def last(self, stage):
        return [r for r in self.reports if r[0] == stage][-1]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("sample.txt", None),
        ("issue.docx", build_docx),
        ("issue.pdf", build_pdf),
    ],
)
def test_each_parser_reports_reading_to_the_end(name, data, sample_bytes):
    recorder = Recorder()
    parse_file(name, data() if data else sample_bytes, progress=recorder)
    stage, done, total = recorder.last(READING)
    assert done == total > 1
    readings = [done for _stage, done, _total in recorder.reports]
    assert readings == sorted(readings)


@pytest.mark.django_db
def test_the_import_reports_each_item_written(parsed_sample):
    PublicationFactory()
    recorder = Recorder()
    issue_import(parsed_sample, dry_run=True, progress=recorder)
    written = [r for r in recorder.reports if r[0] == WRITING]
    assert written[0] == (WRITING, 1, 62) and written[-1] == (WRITING, 62, 62)
    assert len(written) == 62


def stored_run(data: bytes, name="xinxi-zhaibian-2023-08.txt", **fields) -> ImportRun:
    run = ImportRun(original_name=name, **fields)
    run.file.save(name, ContentFile(data))
    return run


@pytest.mark.django_db(transaction=True)
def test_the_progress_answer_follows_the_run(client, archivist, sample_bytes):
    PublicationFactory()
    run = stored_run(sample_bytes, uploaded_by=archivist)
    queue_check(run, user=archivist, mode=ImportMode.NEW, reason="")
    client.force_login(archivist)
    url = reverse("admin:archive_importrun_progress", args=[run.pk])
    queued = client.get(url).json()
    assert queued == {
        "status": "queued",
        "status_label": "排队等待试导入",
        "finished": False,
        "stage": "等待后台任务开始",
        "percent": 0,
    }

    # What the worker reports while it has the run, as the page sees it.
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.CHECKING)
    report = CachedProgress(run)
    report(READING, 50, 100)
    reading = client.get(url).json()
    assert reading["stage"] == "正在读取文件：第 50 / 100 行"
    assert reading["percent"] == 20
    report(WRITING, 31, 62)
    writing = client.get(url).json()
    assert writing["stage"] == "正在试写入条目：31 / 62 篇"
    assert writing["percent"] == 70

    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.QUEUED)
    run_worker()
    done = client.get(url).json()
    assert done["finished"] and done["status"] == "checked" and done["percent"] == 100


@pytest.mark.django_db(transaction=True)
def test_a_double_confirm_queues_one_import(archivist, sample_bytes):
    PublicationFactory()
    run = stored_run(sample_bytes, uploaded_by=archivist)
    queue_check(run, user=archivist, mode=ImportMode.NEW, reason="")
    run_worker()
    run.refresh_from_db()
    first, second = queue_import(run, user=archivist), queue_import(run, user=archivist)
    assert (first, second) == (True, False)
    assert DBTaskResult.objects.filter(task_path__endswith="write_import").count() == 1
    # A run being imported cannot be dry-run again either.
    assert not queue_check(run, user=archivist, mode=ImportMode.NEW, reason="")
    run_worker()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORTED
    assert Issue.objects.get().articles.count() == 62


@pytest.mark.django_db(transaction=True)
def test_a_run_whose_file_is_gone_fails_with_a_message(client, archivist, sample_bytes):
    run = stored_run(sample_bytes, uploaded_by=archivist)
    queue_check(run, user=archivist, mode=ImportMode.NEW, reason="")
    run.file.storage.delete(run.file.name)
    run_worker()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.error == CRASHED.format(name="FileNotFoundError")
    client.force_login(archivist)
    page = client.get(reverse("admin:archive_importrun_confirm", args=[run.pk]))
    assert page.status_code == 200 and "后台任务出错" in page.content.decode()
    assert progress_of(run)["finished"]


@pytest.mark.django_db
def test_the_command_draws_a_progress_bar_on_a_terminal(sample_file):
    PublicationFactory()
    controller, terminal = pty.openpty()
    with os.fdopen(terminal, "w") as stream:
        call_command("import_issue", str(sample_file), "--dry-run", stderr=stream)
    drawn = b""
    while select.select([controller], [], [], 0.2)[0]:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal side is closed: everything was read
            break
        if not chunk:
            break
        drawn += chunk
    os.close(controller)
    text = drawn.decode()
    assert "读取文件" in text and "写入条目" in text
    assert "100%" in text and "62/62" in text


@pytest.mark.django_db
def test_the_command_draws_no_bar_into_a_pipe(sample_file):
    PublicationFactory()
    errors = io.StringIO()
    call_command("import_issue", str(sample_file), "--dry-run", stderr=errors)
    assert errors.getvalue() == ""


@pytest.mark.django_db
def test_progress_reaches_the_page_through_redis_as_between_two_hosts(
    settings, archivist, sample_bytes
):
    """Web and worker share only Redis (REDIS_URL): what one reports the other reads."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"test-progress-{os.getpid()}",
        }
    }
    run = stored_run(sample_bytes, uploaded_by=archivist)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.IMPORTING)
    run.refresh_from_db()
    try:
        CachedProgress(run)(WRITING, 10, 62)
        caches["default"].close()  # a fresh connection, as the web host has
        assert progress_of(run)["stage"] == "正在写入条目：10 / 62 篇"
    finally:
        forget(run)
