"""The admin import page: archivists upload, the worker dry-runs, they read the
summary and confirm, the worker imports; others get 403."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.importers.txt_format import parse_txt
from archive.models import ImportRun
from archive.services import issue_import
from articles.models import Article, Correction
from issues.models import Issue, IssueTransition
from tests.factories import PublicationFactory
from tests.tasks import run_worker

# The real worker runs the queued tasks, and closes its connection when done.
pytestmark = pytest.mark.django_db(transaction=True)

ADD_URL = "admin:archive_importrun_add"


CONFIRM_NEW = {"mode": "new", "action": "confirm"}


def upload(client, data: bytes, name="xinxi-zhaibian-2023-08.txt", **extra):
    fields = {"mode": "new", "reason": "按往期文件更正", **extra}
    return client.post(
        reverse(ADD_URL), {"file": SimpleUploadedFile(name, data), **fields}
    )


def checked(client, data: bytes, **fields):
    """Upload, and let the worker dry-run it."""
    response = upload(client, data, **fields)
    run_worker()
    return response


def post_and_work(client, url, fields):
    response = client.post(url, fields)
    run_worker()
    return response


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
    # The request only stored the file and queued its dry run.
    assert run.status == ImportRun.Status.QUEUED and run.uploaded_by == archivist
    waiting = client.get(response["Location"]).content.decode()
    assert "排队等待试导入" in waiting and "<progress" in waiting
    assert "确认导入（" not in waiting

    run_worker()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CHECKED
    assert Issue.objects.count() == 0  # the dry run wrote nothing
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "试导入（未写入）：信息摘编 2023 年第八期（总第二十六期）" in text
    assert "国内动态：20 篇" in text
    assert "确认导入" in text and "csrfmiddlewaretoken" in text

    done = client.post(response["Location"], CONFIRM_NEW)
    assert done.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORT_QUEUED
    assert Issue.objects.count() == 0
    run_worker()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORTED
    issue = Issue.objects.get()
    assert run.issue == issue and issue.articles.count() == 62
    assert Article.objects.filter(created_by=archivist).count() == 62


def test_confirming_needs_a_dry_run_of_the_same_mode(client, archivist, sample_bytes):
    PublicationFactory()
    client.force_login(archivist)
    issue_import(parse_txt(sample_bytes))
    run = _checked(client, sample_bytes)
    url = reverse("admin:archive_importrun_confirm", args=[run.pk])
    page = client.get(url).content.decode()
    assert "不能重复导入" in page and "替换草稿" in page
    assert "确认导入（" not in page  # the dry run was refused: nothing to confirm

    before = everything()
    # Confirming another mode than the one dry-run only dry-runs it.
    rerun = post_and_work(client, url, {"mode": "replace", "action": "confirm"})
    assert rerun.status_code == 302 and rerun["Location"] == url
    assert everything() == before
    run.refresh_from_db()
    assert (run.mode, run.status, run.error) == ("replace", "checked", "")
    page = client.get(url).content.decode()
    assert "保留未变 62 篇，修改 0 篇，新增 0 篇，删除 0 篇" in page
    assert "确认导入（替换草稿" in page

    done = post_and_work(client, url, {"mode": "replace", "action": "confirm"})
    assert done.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORTED
    assert Issue.objects.count() == 1 and Article.objects.count() == 62


def test_replace_shows_kept_changed_added_removed_before_writing(
    client, archivist, sample_bytes
):
    PublicationFactory()
    issue_import(parse_txt(sample_bytes))
    ids = set(Article.objects.values_list("pk", flat=True))
    edited = sample_bytes.decode().replace(
        "要求持续优化民营经济发展环境", "要求持续优化民营企业发展环境"
    )
    client.force_login(archivist)
    before = everything()
    response = checked(client, edited.encode(), mode="replace")
    assert response.status_code == 302
    assert everything() == before  # the upload only dry-ran

    text = client.get(response["Location"]).content.decode()
    assert "试导入（未写入）" in text
    assert "保留未变 61 篇，修改 1 篇，新增 0 篇，删除 0 篇" in text
    assert "修改：《民营经济是推进中国式现代化的生力军》（正文）" in text
    assert "确认导入（替换草稿" in text

    done = post_and_work(
        client, response["Location"], {"mode": "replace", "action": "confirm"}
    )
    assert done.status_code == 302
    assert set(Article.objects.values_list("pk", flat=True)) == ids
    assert Article.objects.filter(body__contains="民营企业发展环境").count() == 1


def test_corrections_in_the_admin(client, superuser, archivist, chief, sample_bytes):
    issue = Issue.objects.get(
        pk=issue_import(parse_txt(sample_bytes), publish=True, user=chief).issue_id
    )
    edited = sample_bytes.decode().replace(
        "要求持续优化民营经济发展环境", "要求持续优化民营企业发展环境"
    )
    # An archivist may import but not correct: the dry run already says who may.
    client.force_login(archivist)
    response = checked(client, edited.encode(), mode="corrections", reason="改错字")
    page = client.get(response["Location"]).content.decode()
    assert "已发布的内容只能由主编（chief）通过更正修改" in page
    assert "确认导入（" not in page

    client.force_login(superuser)
    before = everything()
    response = checked(client, edited.encode(), mode="corrections", reason="改错字")
    assert everything() == before
    page = client.get(response["Location"]).content.decode()
    assert "更正 1 处" in page and "正文：" in page and "民营企业发展环境" in page
    # Changing the reason after the dry run needs another dry run first.
    url = response["Location"]
    again = {"mode": "corrections", "reason": "别的说明", "action": "confirm"}
    post_and_work(client, url, again)
    assert not Correction.objects.exists()
    post_and_work(client, url, again)
    correction = Correction.objects.get()
    assert (correction.user, correction.reason, correction.issue) == (
        superuser,
        "别的说明",
        issue,
    )


def test_the_upload_page_offers_the_modes(client, archivist):
    client.force_login(archivist)
    page = client.get(reverse(ADD_URL)).content.decode()
    for label in ("新导入", "替换草稿", "作为更正应用", "更正说明"):
        assert label in page


def everything() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Issue, Article, Correction, IssueTransition)
    }


def _checked(client, data) -> ImportRun:
    checked(client, data)
    return ImportRun.objects.order_by("-id").first()


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
    response = checked(client, "只有一行字。\n".encode())
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
    checked(client, sample_bytes)
    run = ImportRun.objects.get()
    page = client.get(reverse("admin:archive_importrun_changelist")).content.decode()
    assert reverse("admin:archive_importrun_confirm", args=[run.pk]) in page
    assert "查看并确认" in page
