"""Editors manage feeds in the admin; "poll now" queues the poll for the worker,
which collects the entries; the feed's page lists them read-only."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from feeds.models import Feed, FeedEntry
from feeds.tasks import poll_feed_now, poll_feeds_periodically
from tests.feeds.test_polling import Handler
from tests.tasks import DATABASE_QUEUE, run_worker
from tests.web_server import serving

CHANGELIST = reverse("admin:feeds_feed_changelist")


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def server(settings, db):
    settings.COLLECT_FETCH = True
    settings.COLLECT_TIMEOUT = 2
    with serving(Handler) as base:
        yield base


def test_an_editor_subscribes_the_pool_to_a_feed(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:feeds_feed_add"),
        {
            "url": "https://www.example.com/rss.xml",
            "title": "示例",
            "active": "on",
            "entries-TOTAL_FORMS": "0",
            "entries-INITIAL_FORMS": "0",
            "entries-MIN_NUM_FORMS": "0",
            "entries-MAX_NUM_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Feed.objects.get().url == "https://www.example.com/rss.xml"


@pytest.mark.django_db(transaction=True)
def test_poll_now_queues_the_poll_and_the_worker_collects(
    client, editor, server, queue
):
    feed = Feed.objects.create(url=f"{server}/rss.xml", title="文化新闻")
    client.force_login(editor)
    response = client.post(
        CHANGELIST,
        {"action": "poll_now", "_selected_action": [feed.pk]},
        follow=True,
    )
    assert "已将 1 个订阅源排入轮询队列" in response.content.decode()
    # Nothing fetched in the request: the task waits for the worker.
    assert not FeedEntry.objects.exists()
    assert DBTaskResult.objects.filter(task_path=poll_feed_now.module_path).exists()
    run_worker()
    assert Article.objects.count() == 2
    page = client.get(reverse("admin:feeds_feed_change", args=[feed.pk]))
    text = page.content.decode()
    article = Article.objects.get(title="图书馆古籍修复人才培养提速")
    assert reverse("admin:articles_article_change", args=[article.pk]) in text
    assert "链接返回 HTTP 状态码 404。" in text
    assert 'name="entries-0-title"' not in text  # read-only


def test_poll_now_is_refused_when_fetching_is_off(client, editor, settings, queue):
    settings.COLLECT_FETCH = False
    feed = Feed.objects.create(url="https://www.example.com/rss.xml", title="示例")
    client.force_login(editor)
    response = client.post(
        CHANGELIST, {"action": "poll_now", "_selected_action": [feed.pk]}, follow=True
    )
    assert "已关闭链接抓取（COLLECT_FETCH）" in response.content.decode()
    assert not DBTaskResult.objects.exists()


def test_an_archivist_may_not_see_feeds(client, archivist):
    client.force_login(archivist)
    assert client.get(CHANGELIST).status_code == 403


def test_schedule_starts_one_periodic_chain(db, queue, settings):
    settings.FEEDS_INTERVAL_MINUTES = 30
    out = StringIO()
    call_command("poll_feeds", "--schedule", stdout=out)
    assert "每 30 分钟一次" in out.getvalue()
    call_command("poll_feeds", "--schedule", stdout=out)
    assert "已在队列中" in out.getvalue()
    assert (
        DBTaskResult.objects.filter(
            task_path=poll_feeds_periodically.module_path
        ).count()
        == 1
    )


@pytest.mark.django_db(transaction=True)
def test_the_periodic_run_polls_and_queues_the_next(server, queue):
    Feed.objects.create(url=f"{server}/atom.xml", title="档案那些事")
    call_command("poll_feeds", "--schedule", stdout=StringIO())
    run_worker()
    assert Article.objects.get().title == "档案数字化转型的三个关键"
    waiting = DBTaskResult.objects.filter(
        task_path=poll_feeds_periodically.module_path, status="READY"
    )
    assert waiting.count() == 1
