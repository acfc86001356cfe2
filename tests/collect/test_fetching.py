"""Links collected from a real HTTP server started by the test."""

import time
from http.server import BaseHTTPRequestHandler
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from collect.extract import Refused
from collect.fetch import USER_AGENT, fetch
from collect.models import Snapshot
from tests.web_server import serving

PAGES = Path(__file__).parent / "pages"
seen_agents = []


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        seen_agents.append(self.headers.get("User-Agent"))
        if self.path == "/article.html":
            return self._send(200, (PAGES / "chinanews.html").read_bytes())
        if self.path == "/deleted.html":
            return self._send(200, (PAGES / "deleted_wechat.html").read_bytes())
        if self.path.startswith("/hop/"):
            left = int(self.path.rsplit("/", 1)[1])
            target = "/article.html" if left == 0 else f"/hop/{left - 1}"
            self.send_response(301)
            self.send_header("Location", target)
            self.end_headers()
            return None
        if self.path == "/slow.html":
            time.sleep(1.5)
            return self._send(200, (PAGES / "chinanews.html").read_bytes())
        if self.path == "/endless.html":
            # No Content-Length: only counting while reading stops it.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"<p>" + b"x" * 1000 + b"</p>")
            return None
        return self._send(404, b"<h1>Not found</h1>")

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except BrokenPipeError:
            pass  # the client gave up waiting: the timeout test

    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    settings.COLLECT_FETCH = True
    settings.COLLECT_TIMEOUT = 0.5
    settings.COLLECT_MAX_REDIRECTS = 3
    with serving(Handler) as base:
        yield base


def test_a_page_is_fetched_with_a_polite_user_agent(server):
    seen_agents.clear()
    data, url = fetch(f"{server}/article.html")
    assert "图书馆古籍修复人才培养提速" in data.decode()
    assert url == f"{server}/article.html"
    assert seen_agents == [USER_AGENT]


def test_a_chain_of_redirects_is_followed_to_the_page(server):
    data, url = fetch(f"{server}/hop/2")
    assert url == f"{server}/article.html"
    assert b"left_zw" in data


def test_a_chain_longer_than_the_limit_is_refused(server):
    with pytest.raises(Refused, match="3"):
        fetch(f"{server}/hop/5")


def test_an_error_status_is_refused(server):
    with pytest.raises(Refused, match="404"):
        fetch(f"{server}/gone.html")


def test_a_link_that_does_not_answer_in_time_is_refused(server):
    with pytest.raises(Refused) as refused:
        fetch(f"{server}/slow.html")
    assert str(refused.value) == "链接响应超时。"


def test_a_page_is_refused_once_it_grows_past_the_limit(server, settings):
    settings.MAX_DOCUMENT_UPLOAD_BYTES = 20_000
    with pytest.raises(Refused, match="20000"):
        fetch(f"{server}/endless.html")


@pytest.mark.django_db
def test_the_command_collects_links_and_reports_each_refused_one(server):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command(
            "collect",
            f"{server}/hop/1",
            f"{server}/deleted.html",
            f"{server}/gone.html",
            f"{server}/slow.html",
            stdout=out,
            stderr=err,
        )
    article = Article.objects.get()
    assert article.title == "图书馆古籍修复人才培养提速"
    # The page's canonical link, not the address it was fetched from.
    assert article.original_url == (
        "https://www.chinanews.com.cn/cul/2023/08-15/10061234.shtml"
    )
    assert Snapshot.objects.get().url == f"{server}/article.html"
    assert len(out.getvalue().splitlines()) == 1
    refused = err.getvalue().splitlines()
    assert [line.split("：", 1)[0] for line in refused] == [
        f"{server}/deleted.html",
        f"{server}/gone.html",
        f"{server}/slow.html",
    ]
    assert "删除" in refused[0]
    assert "404" in refused[1]
