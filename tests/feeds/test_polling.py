"""Feeds polled from a real local web server: new entries become pool items
through the one path of collecting, each once, a bad entry or feed told apart."""

import datetime
from http.server import BaseHTTPRequestHandler
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Source
from collect.extract import Refused
from collect.models import Snapshot
from feeds.models import Feed, FeedEntry
from feeds.services import poll_feed
from tests.factories import SourceFactory
from tests.web_server import serving

PAGES = Path(__file__).parent.parent / "collect" / "pages"
ETAG = '"feed-v1"'
MODIFIED = "Tue, 15 Aug 2023 08:00:00 GMT"

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>文化新闻</title><link>{base}/</link><description>d</description>
<item><title>图书馆古籍修复人才培养提速</title><link>{base}/chinanews.html</link>
<guid isPermaLink="false">urn:chinanews:10061234</guid><pubDate>Tue, 15 Aug 2023 06:30:00 GMT</pubDate></item>
<item><title>已删除</title><link>{base}/missing.html</link><guid isPermaLink="false">urn:gone:1</guid></item>
<item><title>国家档案局部署开展档案安全检查</title><link>{base}/people.html</link>
<guid isPermaLink="false">urn:people:1</guid></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>档案那些事</title><id>urn:feed:wechat</id><updated>2023-08-20T08:00:00Z</updated>
<entry><title>档案数字化转型的三个关键</title><id>urn:entry:wechat-1</id>
<link href="/wechat.html"/><updated>2023-08-20T08:00:00Z</updated></entry>
</feed>"""

UNNAMED_LINE = ' | 来源：<a href="http://www.xinhuanet.com/">新华社</a>'
UNNAMED_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>档案</title><link>{base}/</link><description>d</description>
<item><title>国家档案局部署开展档案安全检查</title><link>{base}/unnamed.html</link></item>
</channel></rss>"""

requests_seen = []


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        base = f"http://{self.headers['Host']}"
        requests_seen.append((self.path, dict(self.headers)))
        if self.path in ("/rss.xml", "/atom.xml"):
            if (
                self.headers.get("If-None-Match") == ETAG
                and self.headers.get("If-Modified-Since") == MODIFIED
            ):
                self.send_response(304)
                self.end_headers()
                return None
            text = RSS if self.path == "/rss.xml" else ATOM
            return self._send(
                200,
                text.format(base=base).encode(),
                "application/rss+xml",
                {"ETag": ETAG, "Last-Modified": MODIFIED},
            )
        if self.path == "/unnamed.xml":
            return self._send(
                200, UNNAMED_RSS.format(base=base).encode(), "application/rss+xml"
            )
        if self.path == "/garbage.xml":
            return self._send(200, b"<html><body><p>not a feed", "text/html")
        if self.path == "/unnamed.html":
            page = (PAGES / "people.html").read_text("utf-8")
            page = page.replace(UNNAMED_LINE, "")
            return self._send(200, page.encode(), "text/html")
        name = self.path.lstrip("/")
        if name in ("chinanews.html", "people.html", "wechat.html"):
            return self._send(200, (PAGES / name).read_bytes(), "text/html")
        return self._send(404, b"<h1>Not found</h1>", "text/html")

    def _send(self, status, body, kind, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings, db):
    settings.COLLECT_FETCH = True
    settings.COLLECT_TIMEOUT = 2
    requests_seen.clear()
    with serving(Handler) as base:
        yield base


def test_new_rss_entries_are_collected_with_their_provenance(server):
    feed = Feed.objects.create(url=f"{server}/rss.xml", title="文化新闻")
    report = poll_feed(feed)
    assert report.error == ""
    assert [a.title for a in report.collected] == [
        "图书馆古籍修复人才培养提速",
        "国家档案局部署开展档案安全检查",
    ]
    article = Article.objects.get(title="图书馆古籍修复人才培养提速")
    assert article in Article.objects.in_pool()
    assert (article.source.name, article.source_date, article.original_url) == (
        "中国新闻网",
        datetime.date(2023, 8, 15),
        "https://www.chinanews.com.cn/cul/2023/08-15/10061234.shtml",
    )
    assert Snapshot.objects.get(article=article).url == f"{server}/chinanews.html"
    people = Article.objects.get(title="国家档案局部署开展档案安全检查")
    assert people.source.name == "新华社"
    assert people.original_url == f"{server}/people.html"
    entry = FeedEntry.objects.get(feed=feed, key="urn:chinanews:10061234")
    assert (entry.article, entry.refusal) == (article, "")
    feed.refresh_from_db()
    assert feed.last_polled_at is not None and feed.last_error == ""
    assert (feed.etag, feed.modified) == (ETAG, MODIFIED)


def test_a_missing_entry_is_recorded_as_refused_and_the_rest_come_in(server):
    feed = Feed.objects.create(url=f"{server}/rss.xml", title="文化新闻")
    report = poll_feed(feed)
    assert len(report.collected) == 2
    gone = FeedEntry.objects.get(feed=feed, key="urn:gone:1")
    assert gone.article is None
    assert gone.refusal == "链接返回 HTTP 状态码 404。"
    assert report.refused == [(f"{server}/missing.html", gone.refusal)]


def test_a_second_poll_asks_for_changes_only_and_collects_nothing_new(server):
    feed = Feed.objects.create(url=f"{server}/rss.xml", title="文化新闻")
    poll_feed(feed)
    requests_seen.clear()
    report = poll_feed(feed)
    assert report.not_modified and report.collected == []
    path, headers = requests_seen[0]
    assert path == "/rss.xml"
    assert headers["If-None-Match"] == ETAG
    assert headers["If-Modified-Since"] == MODIFIED
    assert [p for p, _h in requests_seen] == ["/rss.xml"]
    assert Article.objects.count() == 2 and FeedEntry.objects.count() == 3


def test_entries_seen_before_are_not_collected_again_when_the_feed_changed(server):
    feed = Feed.objects.create(url=f"{server}/rss.xml", title="文化新闻")
    poll_feed(feed)
    Feed.objects.filter(pk=feed.pk).update(etag="", modified="")
    feed.refresh_from_db()
    requests_seen.clear()
    report = poll_feed(feed)
    assert (report.collected, report.refused) == ([], [])
    assert [p for p, _h in requests_seen] == ["/rss.xml"]
    assert Article.objects.count() == 2


def test_an_atom_entry_is_collected_and_its_relative_link_resolved(server):
    feed = Feed.objects.create(url=f"{server}/atom.xml", title="档案那些事")
    report = poll_feed(feed)
    (article,) = report.collected
    assert article.title == "档案数字化转型的三个关键"
    assert article.source.kind == Source.Kind.WECHAT
    assert article.source_date == datetime.date(2023, 8, 20)
    assert FeedEntry.objects.get().link == f"{server}/wechat.html"


def test_the_outlet_a_page_names_wins_over_the_feeds_source(server):
    wire = SourceFactory(name="新华社", kind=Source.Kind.NEWS_AGENCY)
    feed = Feed.objects.create(url=f"{server}/rss.xml", title="文化新闻", source=wire)
    poll_feed(feed)
    # Both pages name their outlet: the page wins over the feed.
    assert Article.objects.get(title="图书馆古籍修复人才培养提速").source.name == (
        "中国新闻网"
    )


def test_the_feeds_source_is_given_to_an_entry_whose_page_names_none(server):
    archives = SourceFactory(name="国家档案局", kind=Source.Kind.ASSOCIATION)
    feed = Feed.objects.create(
        url=f"{server}/unnamed.xml", title="档案", source=archives
    )
    (article,) = poll_feed(feed).collected
    assert article.source == archives
    assert article.source_date == datetime.date(2023, 8, 18)
    assert FeedEntry.objects.get().key == f"{server}/unnamed.html"


def test_a_cap_limits_the_entries_collected_in_one_poll(server, settings):
    settings.FEEDS_MAX_ENTRIES = 1
    feed = Feed.objects.create(url=f"{server}/rss.xml", title="文化新闻")
    assert len(poll_feed(feed).collected) == 1
    assert FeedEntry.objects.count() == 1
    Feed.objects.filter(pk=feed.pk).update(etag="", modified="")
    feed.refresh_from_db()
    poll_feed(feed)
    assert FeedEntry.objects.count() == 2


def test_a_garbage_feed_is_a_clear_error_on_the_feed_and_nothing_else(server):
    feed = Feed.objects.create(url=f"{server}/garbage.xml", title="坏的")
    report = poll_feed(feed)
    assert report.error.startswith("该地址没有可读取的 RSS 或 Atom 订阅源")
    feed.refresh_from_db()
    assert feed.last_error == report.error
    assert (feed.etag, feed.modified) == ("", "")
    assert not FeedEntry.objects.exists() and not Article.objects.exists()


def test_a_feed_that_cannot_be_fetched_keeps_the_error(server):
    feed = Feed.objects.create(url=f"{server}/nothing.xml", title="没有")
    report = poll_feed(feed)
    assert report.error == "链接返回 HTTP 状态码 404。"
    feed.refresh_from_db()
    assert feed.last_error == report.error


def test_polling_is_refused_when_fetching_is_off(server, settings):
    settings.COLLECT_FETCH = False
    feed = Feed.objects.create(url=f"{server}/rss.xml", title="文化新闻")
    with pytest.raises(Refused, match="COLLECT_FETCH"):
        poll_feed(feed)
    assert requests_seen == []
    with pytest.raises(CommandError, match="COLLECT_FETCH"):
        call_command("poll_feeds")


def test_the_command_polls_active_feeds_and_prints_what_came_in(server):
    Feed.objects.create(url=f"{server}/rss.xml", title="文化新闻")
    Feed.objects.create(url=f"{server}/atom.xml", title="停用", active=False)
    out = StringIO()
    call_command("poll_feeds", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "文化新闻：采集 2 条，拒绝 1 条。" in text
    assert "图书馆古籍修复人才培养提速 | 中国新闻网 | 2023-08-15" in text
    assert f"{server}/missing.html" in text
    assert "停用" not in text
    assert not Article.objects.filter(title="档案数字化转型的三个关键").exists()
