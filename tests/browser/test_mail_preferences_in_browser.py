"""A reader subscribes to new issues, and a chief editor stops review requests,
on a phone-sized screen in a real browser."""

import pytest

from notifications.models import MailPreferences
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_correcting_in_browser import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_a_reader_subscribes_to_new_issues_from_the_header(
    browser, live_server, reader
):
    reader.email = "reader@example.internal"
    reader.save()
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "reader")
    page.fill("#id_password", "pw")
    page.click("main button[type=submit]")

    page.click("header >> text=邮件提醒")
    page.locator("h1", has_text="邮件提醒").wait_for()
    assert "邮件发送至 reader@example.internal。" in page.inner_text("main")
    assert page.locator("input[type=checkbox]").count() == 1
    assert not page.is_checked("#id_published_issues")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("text=新一期发布")
    page.click("main button[type=submit]")

    page.locator(".messages", has_text="邮件提醒设置已保存").wait_for()
    assert page.is_checked("#id_published_issues")
    assert MailPreferences.objects.get(user=reader).published_issues is True
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "mail-preferences-phone.png"), full_page=True)


def test_a_chief_editor_stops_review_requests_from_the_admin(
    browser, live_server, chief
):
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    log_in(page, live_server, "chief")

    page.click("#user-tools >> text=邮件提醒")
    page.locator("h1", has_text="邮件提醒").wait_for()
    assert page.locator("input[type=checkbox]").count() == 3
    assert page.is_checked("#id_review_requests")
    page.uncheck("#id_review_requests")
    page.click("main button[type=submit]")

    page.locator(".messages", has_text="邮件提醒设置已保存").wait_for()
    saved = MailPreferences.objects.get(user=chief)
    assert (saved.review_requests, saved.sent_back, saved.published_issues) == (
        False,
        True,
        False,
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(live_server.url + "/")  # the header with every link staff get
    assert page.locator("header >> text=邮件提醒").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
