"""An editor collects pages in the admin and follows the batch to its results;
a reader opens a published item's archived original (原文存档)."""

from pathlib import Path

import pytest

from articles.models import Article
from collect.models import CollectBatch
from collect.services import collect
from tests.browser.conftest import ARTIFACTS, watch_console
from tests.browser.test_correcting_in_browser import log_in
from tests.collect.test_collect_admin import Handler
from tests.tasks import DATABASE_QUEUE, run_worker
from tests.web_server import serving

PAGES = Path(__file__).resolve().parent.parent / "collect" / "pages"

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_editor_collects_links_and_saved_pages_and_opens_the_item(
    browser, live_server, editor, settings
):
    settings.TASKS = DATABASE_QUEUE
    settings.COLLECT_FETCH = True
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    problems = watch_console(page)
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.click("a.collect-link")
    page.wait_for_url("**/admin/collect/collectbatch/add/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with serving(Handler) as base:
        page.fill("#id_links", f"{base}/people.html\n{base}/gone.html")
        page.set_input_files(
            "#id_files",
            [str(PAGES / "wechat.html"), str(PAGES / "deleted_wechat.html")],
        )
        page.click("input[type=submit]")

        # The request only queued the batch: the page waits, with a bar.
        stage = page.locator(".import-stage")
        stage.wait_for()
        assert "等待后台任务开始" in stage.inner_text()
        assert page.locator(".import-bar progress").get_attribute("value") == "0"
        page.evaluate("window.sameDocument = true")

        run_worker()
        summary = page.locator(".collect-summary")
        summary.wait_for(timeout=15_000)
    assert page.evaluate("window.sameDocument") is True  # polled, not reloaded
    assert "采集 2 个，未采集 2 个" in summary.inner_text()
    assert page.locator(".import-status").inner_text() == "已完成"
    results = page.locator(".collect-result")
    assert results.count() == 4
    assert "链接返回 HTTP 状态码 404。" in results.nth(1).inner_text()
    assert "该微信文章已被发布者删除。" in results.nth(3).inner_text()
    wechat = results.nth(2).inner_text()
    assert "档案数字化转型的三个关键" in wechat
    assert "档案那些事" in wechat and "2023-08-20" in wechat
    assert "mp.weixin.qq.com/s" in wechat
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "collect-batch-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=str(ARTIFACTS / "collect-batch-desktop.png"))

    article = Article.objects.get(title="档案数字化转型的三个关键")
    results.nth(2).locator(".collect-title a").click()
    page.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    assert page.locator("#id_title").input_value() == article.title
    assert CollectBatch.objects.get().status == CollectBatch.Status.DONE
    assert problems == []


def test_a_reader_opens_a_published_items_archived_original(
    browser, live_server, published_issue, reader, settings
):
    settings.BULLETIN_REQUIRE_LOGIN = True
    article = collect((PAGES / "wechat.html").read_bytes())
    Article.objects.filter(pk=article.pk).update(
        issue=published_issue, section=published_issue.ordered_sections()[0]
    )
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    problems = watch_console(page)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "reader")
    page.fill("#id_password", "pw")
    page.click("main button[type=submit]")
    page.goto(live_server.url + article.snapshot.get_absolute_url())
    assert page.locator("h1").inner_text() == "原文存档"
    assert article.snapshot.sha256 in page.locator(".snapshot-hash").inner_text()
    assert "近年来，各地档案馆" in page.locator(".snapshot-page").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "snapshot-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=str(ARTIFACTS / "snapshot-desktop.png"))
    page.locator(".crumbs a").click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert problems == []


@pytest.mark.parametrize("width", [1280, 390])
def test_a_batch_over_the_request_limit_gets_the_413_page_in_chinese(
    browser, live_server, editor, settings, width, tmp_path
):
    settings.MAX_REQUEST_BYTES = 4000
    page = browser.new_page(viewport={"width": width, "height": 844}, locale="zh-CN")
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/collect/collectbatch/add/")
    saved = tmp_path / "big.html"
    saved.write_text("<html><body>" + "档案" * 3000 + "</body></html>", "utf-8")
    page.set_input_files("#id_files", [str(saved)])
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        page.click("input[type=submit]")
    assert answered.value.status == 413
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "内容过大" in text
    assert "未保存任何内容" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not CollectBatch.objects.exists()
    page.screenshot(path=str(ARTIFACTS / f"request-too-large-{width}.png"))
