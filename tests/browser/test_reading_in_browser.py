"""A reader in a real browser (Debian's chromium driven by Playwright)."""

import pytest
from django.urls import reverse

from tests.browser.conftest import ARTIFACTS

# The live server reads committed data, from another thread.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_logs_in_and_reads_the_latest_issue(
    browser, live_server, published_issue, login_required, reader
):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(live_server.url + "/")
    assert reverse("login") in page.url
    page.fill("#id_username", "reader")
    page.fill("#id_password", "pw")
    page.click("main button[type=submit]")

    page.click("text=阅读本期")
    assert page.url.endswith("/2023/8/")
    assert page.locator("h1").first.inner_text() == "2023 年 第八期（总第二十六期）"
    page.screenshot(path=str(ARTIFACTS / "issue-desktop.png"), full_page=False)

    first = published_issue.articles.in_print_order().first()
    page.locator(".toc-articles a", has_text=first.title).click()
    assert page.locator("h1").inner_text() == first.title
    assert page.url.endswith(f"/2023/8/{first.pk}/")

    page.click("text=《关于促进民营经济发展壮大的意见》")
    assert page.locator("h1").inner_text() == "《关于促进民营经济发展壮大的意见》"
    assert page.locator(f"a[href='{first.get_absolute_url()}']").count() == 1
    page.close()


def test_the_issue_page_fits_a_phone_screen(browser, live_server, published_issue):
    page = browser.new_page(viewport={"width": 375, "height": 812}, locale="zh-CN")
    page.goto(live_server.url + published_issue.get_absolute_url())
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 375, f"page is {overflow}px wide on a 375px screen"
    page.screenshot(path=str(ARTIFACTS / "issue-phone.png"), full_page=False)
    assert page.locator("a.skip-link").count() == 1
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    page.close()


def test_long_links_and_the_year_page_fit_a_phone_and_a_desktop(
    browser, live_server, published_issue
):
    """At 390 and 1280 px: an item whose original link and policy link are one
    long unbroken URL, its issue, the year page, an empty search and the
    advanced search."""
    from articles.models import PolicyDocument
    from tests.factories import arranged

    article = published_issue.articles.in_print_order().first()
    long_url = "https://www.gov.cn/zhengce/content/" + "a1b2c3" * 30 + ".htm"
    with arranged():
        article.original_url = long_url
        article.save()
        PolicyDocument.objects.filter(attachments__article=article).update(url=long_url)
    for screen in (390, 1280):
        page = browser.new_page(
            viewport={"width": screen, "height": 844}, locale="zh-CN"
        )
        for path in (
            article.get_absolute_url(),
            published_issue.get_absolute_url(),
            f"/{published_issue.year}/",
            "/search/?q=绝无此词",
            "/search/advanced/",
        ):
            page.goto(live_server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= screen, f"{path} is {width}px wide on a {screen}px screen"
        page.close()


def test_printing_hides_navigation_and_breaks_pages_before_sections(
    browser, live_server, published_issue
):
    page = browser.new_page()
    page.goto(live_server.url + published_issue.get_absolute_url())
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector('.issue-section')).breakBefore"
        )
        == "page"
    )
    page.close()


def test_pages_and_the_admin_run_under_the_content_security_policy(
    browser, live_server, published_issue, chief
):
    page = browser.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(str(error)))
    page.goto(live_server.url + published_issue.get_absolute_url())
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    article = published_issue.articles.first()
    for path in (
        f"/admin/issues/issue/{published_issue.pk}/change/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/articles/article/add/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    # The tag field is a working Select2 autocomplete: its script ran.
    assert page.locator(".select2-container").count() >= 1
    assert violations == []
    page.close()
