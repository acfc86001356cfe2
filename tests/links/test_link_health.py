"""Link health: links checked against a real local HTTP server, dead after
several failures in a row, listed on the desk and noted on the reading page."""

import datetime
import http.server
import io
import time

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from links.checker import check_url
from links.models import CheckedLink
from links.services import check_due_links
from links.tasks import check_links_periodically
from tests.factories import (
    ArticleFactory,
    AttachmentFactory,
    IssueFactory,
    fill_issue,
)
from tests.issues.test_reading import publish
from tests.tasks import DATABASE_QUEUE, run_worker
from tests.web_server import serving

WECHAT_DELETED = "<html><body><p>该内容已被发布者删除</p></body></html>"


class Handler(http.server.BaseHTTPRequestHandler):
    seen: list = []  # (method, path, user agent), shared by the test's server

    def log_message(self, format, *args):
        pass

    def answer(self, body: bool):
        self.seen.append((self.command, self.path, self.headers["User-Agent"]))
        path = self.path
        if path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            return self.reply(301, location="/ok" if left == 0 else f"/hop/{left - 1}")
        if path == "/ok":
            return self.reply(200, b"<p>ok</p>" if body else b"")
        if path == "/gone":
            return self.reply(404)
        if path in ("/no-head", "/deleted"):
            if not body:
                return self.reply(405)
            text = WECHAT_DELETED if path == "/deleted" else "<p>文章</p>"
            return self.reply(200, text.encode())
        if path == "/slow":
            time.sleep(1.5)
            return self.reply(200)
        return self.reply(500)

    def reply(self, status, data=b"", location=None):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data and self.command == "GET":
            self.wfile.write(data)

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)


@pytest.fixture
def site(settings):
    """A local web site; its base address. Requests get 0.5 s."""
    settings.LINKS_TIMEOUT = 0.5
    Handler.seen = []
    with serving(Handler) as base:
        yield base


def test_a_live_link_answers_head_alone_with_a_polite_user_agent(site):
    result = check_url(f"{site}/ok")
    assert (result.alive, result.status_code) == (True, 200)
    assert [(method, path) for method, path, _ in Handler.seen] == [("HEAD", "/ok")]
    assert "Bulletin-LinkChecker" in Handler.seen[0][2]


def test_a_chain_of_301s_is_followed_to_its_end_within_the_limit(site, settings):
    settings.LINKS_MAX_REDIRECTS = 3
    result = check_url(f"{site}/hop/2")
    assert (result.alive, result.status_code) == (True, 200)
    assert [path for _, path, _ in Handler.seen] == [
        "/hop/2",
        "/hop/1",
        "/hop/0",
        "/ok",
    ]

    too_long = check_url(f"{site}/hop/5")
    assert not too_long.alive
    assert str(too_long.error) == "重定向次数过多。"


def test_a_404_fails(site):
    result = check_url(f"{site}/gone")
    assert (result.alive, result.status_code) == (False, 404)


def test_a_server_that_refuses_head_is_asked_with_get(site):
    result = check_url(f"{site}/no-head")
    assert (result.alive, result.status_code) == (True, 200)
    assert [method for method, _, _ in Handler.seen] == ["HEAD", "GET"]


def test_a_deleted_wechat_page_answering_200_fails(site):
    result = check_url(f"{site}/deleted")
    assert (result.alive, result.status_code) == (False, 200)
    assert str(result.error) == "页面显示内容已被删除。"


def test_a_server_slower_than_the_timeout_fails_in_time(site):
    started = time.monotonic()
    result = check_url(f"{site}/slow")
    assert not result.alive and str(result.error) == "请求超时。"
    assert time.monotonic() - started < 1.4


@pytest.mark.django_db
def test_a_link_is_dead_after_three_failures_in_a_row_not_on_the_first(site):
    article = ArticleFactory(original_url=f"{site}/gone")
    alive = AttachmentFactory(
        article=ArticleFactory(original_url=f"{site}/ok"),
        policy_document__url=f"{site}/no-head",
    )
    start = timezone.now()
    reports = []
    for hours in range(3):
        with time_machine.travel(start + datetime.timedelta(hours=25 * hours)):
            reports.append(check_due_links())
    assert [(r.checked, r.alive, r.dead) for r in reports] == [
        (3, 2, 0),
        (3, 2, 0),
        (3, 2, 1),
    ]
    gone = CheckedLink.objects.get(url=article.original_url)
    assert gone.is_dead and gone.status_code == 404
    assert gone.failing_since.date() == start.date() and gone.last_alive_at is None
    document = CheckedLink.objects.get(url=alive.policy_document.url)
    assert not document.is_dead and document.last_alive_at is not None

    # Checked within LINKS_STALE_HOURS: not again.
    assert check_due_links().checked == 0


@pytest.mark.django_db
def test_a_dead_link_that_answers_again_is_alive_again(site):
    link = CheckedLink.objects.create(
        url=f"{site}/ok", consecutive_failures=5, failing_since=timezone.now()
    )
    ArticleFactory(original_url=link.url)
    check_due_links()
    link.refresh_from_db()
    assert (link.is_dead, link.consecutive_failures, link.failing_since) == (
        False,
        0,
        None,
    )


@pytest.mark.django_db
def test_the_command_checks_links_and_reports_in_chinese(site):
    ArticleFactory(original_url=f"{site}/ok")
    ArticleFactory(original_url=f"{site}/gone")
    out = io.StringIO()
    call_command("check_links", "--stale-hours", "0", stdout=out, stderr=io.StringIO())
    assert (
        "已检查 2 个链接：1 个可访问，1 个访问失败；共 0 个已失效。" in out.getvalue()
    )


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_check_runs_and_queues_its_next_run(site, settings):
    settings.TASKS = DATABASE_QUEUE
    settings.LINKS_INTERVAL_MINUTES = 60
    settings.LINKS_STALE_HOURS = 0.5
    article = ArticleFactory(original_url=f"{site}/ok")
    out = io.StringIO()
    call_command("check_links", "--schedule", stdout=out)
    assert "定期链接检查已排入队列：后台任务运行期间每 60 分钟一次。" in out.getvalue()

    run_worker()
    first = CheckedLink.objects.get(url=article.original_url)
    assert first.checked_at is not None
    queued = DBTaskResult.objects.filter(task_path=check_links_periodically.module_path)
    waiting = queued.get(status="READY")
    assert waiting.run_after > timezone.now() + datetime.timedelta(minutes=59)

    # A second --schedule starts no second chain.
    out = io.StringIO()
    call_command("check_links", "--schedule", stdout=out)
    assert "已在队列中" in out.getvalue()
    assert queued.filter(status="READY").count() == 1

    run_worker()  # not due yet
    assert queued.filter(status="READY").get() == waiting
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        run_worker()
        again = CheckedLink.objects.get(url=article.original_url)
        assert again.checked_at > first.checked_at
        assert queued.filter(status="SUCCESSFUL").count() == 2
        assert queued.filter(status="READY").count() == 1


def dead(url: str, since=None) -> CheckedLink:
    return CheckedLink.objects.create(
        url=url,
        status_code=404,
        consecutive_failures=3,
        failing_since=since or timezone.now(),
    )


@pytest.mark.django_db
def test_editors_see_dead_links_on_the_desk_with_item_link_and_date(
    client, editor, archivist
):
    article = ArticleFactory(original_url="https://example.org/gone", title="失效条目")
    document = AttachmentFactory(
        policy_document__url="https://example.org/policy-gone",
        policy_document__title="失效文件",
    ).policy_document
    ArticleFactory(original_url="https://example.org/fine", title="正常条目")
    CheckedLink.objects.create(url="https://example.org/fine", consecutive_failures=2)
    dead(article.original_url, datetime.datetime(2026, 3, 5, 8, tzinfo=datetime.UTC))
    dead(document.url, datetime.datetime(2026, 4, 1, 8, tzinfo=datetime.UTC))

    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert "失效链接" in html
    panel = html.split('id="desk-dead-links"', 1)[1].split("</section>", 1)[0]
    assert "失效条目" in panel and "https://example.org/gone" in panel
    assert "《失效文件》" in panel and "https://example.org/policy-gone" in panel
    assert "自 2026-03-05 起失效" in panel and "自 2026-04-01 起失效" in panel
    assert panel.index("失效条目") < panel.index("失效文件")  # longest dead first
    assert "正常条目" not in panel
    assert reverse("admin:articles_article_change", args=[article.pk]) in panel

    client.force_login(archivist)
    assert (
        'id="desk-dead-links"'
        not in client.get(reverse("admin:index")).content.decode()
    )


@pytest.mark.django_db
def test_the_reading_page_notes_a_dead_original_link_once_it_is_found_dead(
    client, site, settings
):
    settings.LINKS_DEAD_AFTER = 1
    issue = IssueFactory(number=8)
    gone, fine, *others = fill_issue(issue)
    Article.objects.filter(pk__in=[a.pk for a in others]).update(original_url="")
    Article.objects.filter(pk=gone.pk).update(original_url=f"{site}/gone")
    Article.objects.filter(pk=fine.pk).update(original_url=f"{site}/ok")
    publish(issue)
    page = client.get(gone.get_absolute_url()).content.decode()
    assert "原文链接已失效" not in page  # cached before the check

    check_due_links()
    page = client.get(gone.get_absolute_url()).content.decode()
    assert "原文链接已失效" in page
    assert "原文链接已失效" not in client.get(fine.get_absolute_url()).content.decode()
    # The issue's page keeps its bylines plain.
    assert "原文链接已失效" not in client.get(issue.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_note_costs_one_query_and_the_kept_copy_is_linked_once(
    client, django_assert_num_queries
):
    from django.template import Context, Template

    from collect.models import Snapshot

    article = ArticleFactory(original_url="https://example.org/gone")
    live = ArticleFactory(original_url="https://example.org/fine")
    dead(article.original_url)
    note = Template("{% load link_health %}{% dead_link_note article %}")
    with django_assert_num_queries(1):
        assert "原文链接已失效" in note.render(Context({"article": article}))
    with django_assert_num_queries(1):
        assert note.render(Context({"article": live})).strip() == ""

    issue = IssueFactory(number=8, cumulative_number=26)
    fill_issue(issue)
    item = issue.articles.first()
    item.original_url = article.original_url
    item.save()
    publish(issue)
    Snapshot.objects.create(
        article=item, html="<p>原文</p>", text="原文", sha256="0" * 64
    )
    page = client.get(item.get_absolute_url()).content.decode()
    assert "原文链接已失效" in page and page.count("原文存档") == 1


@pytest.mark.django_db
def test_scheduling_on_a_queue_that_cannot_wait_is_refused_in_chinese(settings):
    from django.core.management import CommandError

    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    }
    with pytest.raises(CommandError, match="任务队列无法延后运行任务"):
        call_command("check_links", "--schedule", stdout=io.StringIO())
