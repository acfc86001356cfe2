"""A chief editor corrects a published item in a real browser; an editor is refused."""

import pytest

from articles.models import Correction
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")


def test_the_chief_corrects_a_published_item_and_readers_see_it(
    browser, live_server, published_issue, chief
):
    article = published_issue.articles.in_print_order().first()
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    log_in(page, live_server, "chief")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    assert page.locator("#id_issue").is_disabled()
    page.fill("#id_title", "更正后的标题")
    page.click("input[name=_save]")
    page.locator(".errorlist").first.wait_for()
    assert "请填写更正说明" in page.locator(".errorlist").first.inner_text()

    page.fill("#id_correction_reason", "原标题有错字")
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    correction = Correction.objects.get(article=article)
    assert correction.changes[0]["after"] == "更正后的标题"

    page.goto(live_server.url + article.get_absolute_url())
    notice = page.locator("aside.correction")
    assert "原标题有错字" in notice.inner_text()
    notice.locator("summary").click()
    assert "更正后的标题" in notice.locator("dl").inner_text()
    page.screenshot(path=str(ARTIFACTS / "correction-desktop.png"), full_page=False)


def test_an_editor_renaming_a_cited_source_is_told_why(
    browser, live_server, published_issue, editor
):
    source = published_issue.articles.first().source
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/articles/source/{source.pk}/change/")
    page.fill("#id_name", "人民日报社")
    page.click("input[name=_save]")
    page.locator(".messagelist .error").wait_for()
    error = page.locator(".messagelist .error").inner_text()
    assert "已发布的期刊只能通过更正修改：2023 年第八期" in error
    source.refresh_from_db()
    assert source.name == "人民日报"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_corrected_item_and_the_edition_being_made_fit_a_phone(
    browser, live_server, published_issue, chief, reader
):
    from articles import corrections

    article = published_issue.articles.in_print_order().first()
    article.original_url = "https://mp.weixin.qq.com/s/" + "x" * 120
    article.title = "更正后的标题"
    corrections.correct(
        user=chief,
        reason="原文链接有误，" * 10,
        articles=[article],
        apply=article.save,
    )
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "reader")
    page.fill("#id_password", "pw")
    page.click("main button[type=submit]")
    page.goto(live_server.url + article.get_absolute_url())
    assert "退出（reader）" in page.locator("header.site-header").inner_text()
    page.locator("aside.correction summary").click()
    assert "原文链接有误" in page.locator("aside.correction").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "correction-phone.png"), full_page=True)

    page.goto(f"{live_server.url}/{published_issue.year}/{published_issue.number}/pdf/")
    assert "正在生成" in page.locator("h1").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_history_of_a_published_item_reads_in_chinese(
    browser, live_server, published_issue, chief
):
    article = published_issue.articles.in_print_order().first()
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    log_in(page, live_server, "chief")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/history/")
    text = page.locator("#content").inner_text()
    assert "修改历史" in text and "版本" in text
    for english in ("Changes", "None", "Historical", "Revert", "Object"):
        assert english not in text, english
