"""The admin import page: archivists upload, read the dry run and confirm; others get 403."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.models import ImportRun
from articles.models import Article
from issues.models import Issue
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db

ADD_URL = "admin:archive_importrun_add"


def upload(client, data: bytes, name="xinxi-zhaibian-2023-08.txt", **extra):
    return client.post(
        reverse(ADD_URL), {"file": SimpleUploadedFile(name, data), **extra}
    )


def test_archivist_uploads_sees_summary_and_confirms(client, archivist, sample_bytes):
    PublicationFactory()
    client.force_login(archivist)
    assert client.get(reverse(ADD_URL)).status_code == 200

    response = upload(client, sample_bytes)
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:archive_importrun_confirm", args=[run.pk]
    )
    assert run.status == ImportRun.Status.CHECKED and run.uploaded_by == archivist
    assert Issue.objects.count() == 0  # the dry run wrote nothing

    page = client.get(response["Location"])
    text = page.content.decode()
    assert "试导入（未写入）：信息摘编 2023 年第八期（总第二十六期）" in text
    assert "国内动态：20 篇" in text
    assert "确认导入" in text and "csrfmiddlewaretoken" in text

    done = client.post(response["Location"], {})
    assert done.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORTED
    issue = Issue.objects.get()
    assert run.issue == issue and issue.articles.count() == 62
    assert Article.objects.filter(created_by=archivist).count() == 62


def test_second_upload_needs_replace(client, archivist, sample_bytes):
    PublicationFactory()
    client.force_login(archivist)
    client.post(
        reverse(
            "admin:archive_importrun_confirm", args=[_checked(client, sample_bytes)]
        ),
        {},
    )
    run_pk = _checked(client, sample_bytes)
    page = client.get(reverse("admin:archive_importrun_confirm", args=[run_pk]))
    assert "不能重复导入" in page.content.decode()

    refused = client.post(reverse("admin:archive_importrun_confirm", args=[run_pk]), {})
    assert refused.status_code == 200 and "不能重复导入" in refused.content.decode()
    replaced = client.post(
        reverse("admin:archive_importrun_confirm", args=[run_pk]), {"replace": "on"}
    )
    assert replaced.status_code == 302
    assert Issue.objects.count() == 1 and Article.objects.count() == 62


def _checked(client, data) -> int:
    upload(client, data)
    return ImportRun.objects.order_by("-id").first().pk


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("issue.exe", b"MZ\x90\x00", "只接受 .txt、.pdf 或 .docx 文件"),
        ("issue.pdf", b"just text", "文件内容与扩展名 .pdf 不符"),
        ("issue.docx", b"%PDF-1.4", "文件内容与扩展名 .docx 不符"),
        ("issue.txt", b"\x00\x01\x02binary", "文件内容与扩展名 .txt 不符"),
        ("issue.txt", b"", "所提交的是空文件"),
    ],
)
def test_upload_is_validated(client, archivist, name, data, message):
    client.force_login(archivist)
    response = upload(client, data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_upload_size_limit(client, archivist, settings):
    settings.MAX_IMPORT_UPLOAD_BYTES = 10
    client.force_login(archivist)
    response = upload(client, "2023 年 第八期\n".encode())
    assert "文件过大" in response.content.decode()


def test_unparseable_upload_is_recorded_as_failed(client, archivist):
    client.force_login(archivist)
    response = upload(client, "只有一行字。\n".encode())
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert "应为栏目标题" in client.get(response["Location"]).content.decode()
    assert client.post(response["Location"], {}).status_code == 200
    assert not Issue.objects.exists()


@pytest.mark.parametrize("role", ["editor", "chief"])
def test_staff_without_permission_get_403(client, request, role, sample_bytes):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(ADD_URL)).status_code == 403
    assert upload(client, sample_bytes).status_code == 403
    assert (
        client.get(reverse("admin:archive_importrun_confirm", args=[1])).status_code
        == 403
    )
    assert client.get(reverse("admin:archive_importrun_changelist")).status_code == 403


def test_reader_is_sent_to_login(client, reader):
    client.force_login(reader)
    response = client.get(reverse(ADD_URL))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_superuser_may_import(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse(ADD_URL)).status_code == 200
    assert client.get(reverse("admin:archive_importrun_changelist")).status_code == 200


def test_changelist_links_each_run_to_its_summary(client, archivist, sample_bytes):
    client.force_login(archivist)
    upload(client, sample_bytes)
    run = ImportRun.objects.get()
    page = client.get(reverse("admin:archive_importrun_changelist")).content.decode()
    assert reverse("admin:archive_importrun_confirm", args=[run.pk]) in page
    assert "查看并确认" in page
