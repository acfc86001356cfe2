"""The admin's collecting screen: editors paste links or drop saved pages, the
worker collects them one by one, the batch's page shows each result."""

from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from collect.forms import MAX_BATCH_PAGES, CollectForm
from collect.models import CollectBatch, CollectedPage, Snapshot
from tests.tasks import DATABASE_QUEUE, run_worker
from tests.web_server import serving

PAGES = Path(__file__).parent / "pages"
ADD = reverse("admin:collect_collectbatch_add")


def upload(name, data=None):
    if data is None:
        data = (PAGES / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="text/html")


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/people.html":
            body, status = (PAGES / "people.html").read_bytes(), 200
        else:
            body, status = b"<h1>Not found</h1>", 404
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fetching(settings):
    settings.COLLECT_FETCH = True


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_QUEUE


def form_errors(data=None, files=None):
    form = CollectForm(data or {}, files or {})
    assert not form.is_valid()
    return [str(message) for messages in form.errors.values() for message in messages]


# -- the form ------------------------------------------------------------------


def test_bad_link_lines_are_named_by_number(fetching):
    links = "https://example.com/a\n\nnot a link\nftp://example.com/b\n"
    assert form_errors({"links": links}) == [
        "第 3, 4 行不是网页链接（http:// 或 https://）。"
    ]


def test_a_batch_has_at_most_so_many_pages(fetching):
    links = "\n".join(f"https://example.com/{n}" for n in range(MAX_BATCH_PAGES))
    (message,) = form_errors({"links": links}, {"files": [upload("wechat.html")]})
    assert message == (
        f"一次 {MAX_BATCH_PAGES + 1} 个网页过多，每批最多采集 {MAX_BATCH_PAGES} 个网页。"
    )


def test_a_file_over_the_upload_limit_is_refused_by_name(settings):
    settings.MAX_DOCUMENT_UPLOAD_BYTES = 1000
    (message,) = form_errors(files={"files": [upload("wechat.html")]})
    size = (PAGES / "wechat.html").stat().st_size
    assert message == f"“wechat.html”过大（{size} 字节），上限为 1000 字节。"


def test_a_file_that_is_not_a_saved_page_is_refused_by_name():
    assert form_errors(files={"files": [upload("report.pdf", b"%PDF-1.7")]}) == [
        "“report.pdf”不是保存的网页：只接受 .html、.htm、.mhtml 或 .mht 文件。"
    ]
    assert form_errors(files={"files": [upload("photo.html", b"\x89PNG\x00\x00")]}) == [
        "“photo.html”不是文本文件，因此不是保存的网页。"
    ]


def test_at_least_one_link_or_file_is_asked_for(fetching):
    assert form_errors({"links": "\n  \n"}) == [
        "请至少粘贴一个链接或选择一个保存的网页。"
    ]


def test_links_are_ignored_and_the_form_says_so_when_fetching_is_off(settings):
    settings.COLLECT_FETCH = False
    form = CollectForm({"links": "https://example.com/a"}, {})
    assert form.fields["links"].disabled
    assert "未开启链接抓取" in str(form.fields["links"].help_text)
    assert form_errors({"links": "https://example.com/a"}) == [
        "请至少选择一个保存的网页。"
    ]


# -- the batch, through the worker ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_batch_is_collected_in_the_background_and_a_refused_page_loses_nothing(
    client, editor, queue, fetching
):
    client.force_login(editor)
    with serving(Handler) as base:
        response = client.post(
            ADD,
            {
                "links": f"{base}/people.html\n{base}/gone.html",
                "files": [upload("wechat.html"), upload("deleted_wechat.html")],
            },
        )
        batch = CollectBatch.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "admin:collect_collectbatch_change", args=[batch.pk]
        )
        # One task for the whole batch; nothing collected by the request itself.
        assert DBTaskResult.objects.count() == 1
        assert not Article.objects.exists()
        progress = client.get(
            reverse("admin:collect_collectbatch_progress", args=[batch.pk])
        ).json()
        assert (progress["finished"], progress["percent"], progress["total"]) == (
            False,
            0,
            4,
        )
        assert progress["stage"] == "等待后台任务开始"

        run_worker()

    batch.refresh_from_db()
    assert batch.status == CollectBatch.Status.DONE
    pages = list(batch.pages.all())
    assert [page.status for page in pages] == [
        CollectedPage.Status.COLLECTED,
        CollectedPage.Status.REFUSED,
        CollectedPage.Status.COLLECTED,
        CollectedPage.Status.REFUSED,
    ]
    assert pages[1].message == "链接返回 HTTP 状态码 404。"
    assert pages[3].message == "该微信文章已被发布者删除。"
    assert pages[0].article.original_url and pages[0].article.created_by == editor
    assert pages[2].article.title == "档案数字化转型的三个关键"
    assert pages[2].original_name == "wechat.html"
    assert pages[2].file.name.startswith("collect/")
    # The refused pages made nothing: two items, two snapshots.
    assert Article.objects.count() == Snapshot.objects.count() == 2
    progress = client.get(
        reverse("admin:collect_collectbatch_progress", args=[batch.pk])
    ).json()
    assert progress == {
        "status": "done",
        "status_label": "已完成",
        "finished": True,
        "stage": "已处理 4 / 4 个网页：采集 2 个，未采集 2 个",
        "percent": 100,
        "done": 4,
        "total": 4,
        "collected": 2,
        "refused": 2,
    }

    page = client.get(reverse("admin:collect_collectbatch_change", args=[batch.pk]))
    html = page.content.decode()
    assert "data-progress-url" not in html
    assert reverse("admin:articles_article_change", args=[pages[2].article.pk]) in html
    assert "档案那些事" in html and "2023-08-20" in html
    assert "该微信文章已被发布者删除。" in html


@pytest.mark.django_db(transaction=True)
def test_a_collected_page_lists_its_repeats(client, editor, queue):
    client.force_login(editor)
    client.post(ADD, {"files": [upload("wechat.html")]})
    client.post(ADD, {"files": [upload("wechat.html")]})
    run_worker()
    first, second = CollectedPage.objects.order_by("batch_id")
    assert first.repeats == []
    assert second.status == CollectedPage.Status.COLLECTED
    assert second.repeats  # the same text as the first one's item, named
    page = client.get(
        reverse("admin:collect_collectbatch_change", args=[second.batch_id])
    )
    for message in second.repeats:
        assert message in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_batch_page_polls_while_the_worker_has_not_finished(client, editor, queue):
    client.force_login(editor)
    client.post(ADD, {"files": [upload("chinanews.html")]})
    batch = CollectBatch.objects.get()
    html = client.get(
        reverse("admin:collect_collectbatch_change", args=[batch.pk])
    ).content.decode()
    progress_url = reverse("admin:collect_collectbatch_progress", args=[batch.pk])
    assert f'data-progress-url="{progress_url}"' in html
    assert 'http-equiv="refresh"' in html  # the page without scripts reloads
    assert "等待后台任务" in html


# -- who may collect ------------------------------------------------------------


@pytest.mark.django_db
def test_editors_and_chief_editors_may_collect_other_staff_get_403(
    client, editor, chief, reader, archivist
):
    batch = CollectBatch.objects.create(created_by=editor)
    urls = [
        ADD,
        reverse("admin:collect_collectbatch_change", args=[batch.pk]),
        reverse("admin:collect_collectbatch_progress", args=[batch.pk]),
        reverse("admin:collect_collectbatch_changelist"),
    ]
    for user in (editor, chief):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [200] * 4
    client.force_login(archivist)
    assert [client.get(url).status_code for url in urls] == [403] * 4
    assert client.post(ADD, {"files": [upload("wechat.html")]}).status_code == 403
    # Readers are not staff: the admin sends them to its login, serving nothing.
    client.force_login(reader)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    assert client.post(ADD, {"files": [upload("wechat.html")]}).status_code == 302
    assert CollectBatch.objects.count() == 1


@pytest.mark.django_db
def test_the_form_is_posted_with_its_csrf_token(editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(ADD, {"files": [upload("wechat.html")]}).status_code == 403
    assert not CollectBatch.objects.exists()


@pytest.mark.django_db
def test_the_items_list_links_the_collecting_screen_for_editors(client, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert f'href="{ADD}"' in html and "从网页采集" in html
