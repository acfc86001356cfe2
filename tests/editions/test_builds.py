"""Editions are built in the background, once per change, never in a request."""

import io
import threading

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from archive.backup import orphan_files
from articles import corrections
from editions.models import Edition
from editions.services import build_edition
from tests.editions.helpers import printable_issue
from tests.factories import arranged
from tests.tasks import DATABASE_QUEUE, run_worker


@pytest.mark.django_db(transaction=True)
def test_five_readers_right_after_a_correction_get_the_last_edition_and_one_build(
    settings, chief, reader
):
    settings.TASKS = DATABASE_QUEUE
    issue = printable_issue(published=True, per_section=1)
    served = build_edition(issue, "pdf").file.read()
    build_edition(issue, "docx")
    before = set(Edition.objects.values_list("pk", flat=True))
    article = issue.articles.first()
    article.title = "更正后的标题"
    corrections.correct(
        user=chief, reason="标题有误", articles=[article], apply=article.save
    )

    bodies, statuses = [], []

    def download():
        client = Client()
        client.force_login(reader)
        response = client.get(reverse("editions:pdf", args=[issue.year, issue.number]))
        statuses.append(response.status_code)
        bodies.append(b"".join(response.streaming_content))

    readers = [threading.Thread(target=download) for _ in range(5)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()

    assert statuses == [200] * 5
    assert bodies == [served] * 5  # the last good edition, while the new one waits
    assert set(Edition.objects.values_list("pk", flat=True)) == before
    assert DBTaskResult.objects.count() == 1

    run_worker()
    new = Edition.objects.exclude(pk__in=before)
    assert sorted(new.values_list("kind", flat=True)) == ["docx", "pdf"]
    assert orphan_files() == []


@pytest.mark.django_db(transaction=True)
def test_the_first_download_queues_one_build_and_says_it_is_being_made(
    settings, client, reader
):
    settings.TASKS = DATABASE_QUEUE
    issue = printable_issue(published=True, per_section=1)
    client.force_login(reader)
    url = reverse("editions:pdf", args=[issue.year, issue.number])
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Refresh"] == "5"
        assert "正在生成" in response.content.decode()
    assert DBTaskResult.objects.count() == 1
    assert not Edition.objects.exists()

    run_worker()
    response = client.get(url)
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.django_db(transaction=True)
def test_a_chief_forces_a_rebuild_from_the_issue_page(settings, client, chief, editor):
    settings.TASKS = DATABASE_QUEUE
    issue = printable_issue(published=True, per_section=1)
    build_edition(issue, "pdf")
    url = reverse("editions:rebuild", args=[issue.year, issue.number])
    client.force_login(editor)
    assert "重新生成" not in client.get(issue.get_absolute_url()).content.decode()
    assert client.post(url).status_code == 403
    client.force_login(chief)
    assert "重新生成" in client.get(issue.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "已安排重新生成" in response.content.decode()
    assert DBTaskResult.objects.count() == 1

    run_worker()
    assert Edition.objects.filter(kind="pdf").count() == 2


def test_a_replaced_cover_is_an_orphan_the_command_removes(db):
    from django.core.files.storage import default_storage

    issue = printable_issue(published=False, per_section=1)
    issue.cover.save("first.png", ContentFile(b"png"))
    old = issue.cover.name
    with arranged():
        issue.cover.save("second.png", ContentFile(b"png"))
    assert orphan_files() == [old]
    out = io.StringIO()
    call_command("orphan_files", stdout=out)
    assert old in out.getvalue() and default_storage.exists(old)
    call_command("orphan_files", "--delete", stdout=io.StringIO())
    assert not default_storage.exists(old)
    assert default_storage.exists(issue.cover.name)
    assert orphan_files() == []


@pytest.mark.django_db(transaction=True)
def test_an_edition_whose_file_is_missing_here_is_rebuilt_not_a_server_error(
    settings, client, reader
):
    from django.core.files.storage import default_storage

    settings.TASKS = DATABASE_QUEUE
    issue = printable_issue(published=True, per_section=1)
    edition = build_edition(issue, "pdf")
    default_storage.delete(edition.file.name)  # another host's media folder
    client.force_login(reader)
    url = reverse("editions:pdf", args=[issue.year, issue.number])
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        assert "正在生成" in response.content.decode()
    assert DBTaskResult.objects.count() == 1

    run_worker()
    response = client.get(url)
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
