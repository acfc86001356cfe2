"""Cached reading pages in a real browser: gzip decoded, a reload revalidated with
the ETag, and the logout form of a cached page still accepted."""

import pytest
from django.urls import reverse

# The live server reads committed data, from another thread.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_reloads_a_cached_page_and_logs_out_from_it(
    browser, live_server, published_issue, login_required, reader
):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sent = []
    page.on("request", lambda request: sent.append(request))
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", "reader")
    page.fill("#id_password", "pw")
    page.click("main button[type=submit]")

    url = live_server.url + published_issue.get_absolute_url()
    first = page.goto(url)
    assert first.headers["content-encoding"] == "gzip"
    assert first.headers["etag"].startswith('W/"')
    title = page.locator("h1").first.inner_text()
    assert title == "2023 年 第八期（总第二十六期）"

    sent.clear()
    again = page.reload()
    # The browser revalidated its copy (no-cache) with the ETag; on a 304 it
    # shows the copy it kept.
    reload = next(request for request in sent if request.url == url)
    assert reload.all_headers()["if-none-match"] == first.headers["etag"]
    assert again.headers["etag"] == first.headers["etag"]
    assert page.locator("h1").first.inner_text() == title

    page.click("text=退出（reader）")
    page.wait_for_url(live_server.url + reverse("login") + "**")
    assert page.locator("#id_username").is_visible()
    page.close()
