"""An editor checks imported titles on one page in a real browser, and the bulk
pages fit a phone."""

import pytest

from articles.models import Article
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_correcting_in_browser import log_in
from tests.factories import ArticleFactory, IssueFactory, SourceFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def flagged(db):
    issue = IssueFactory(number=9, cumulative_number=27)
    return [
        ArticleFactory(
            issue=issue,
            title=f"临时标题{n}",
            needs_review=True,
            body=f"<p>第{n}条：{'为促进民营经济发展壮大，中共中央、国务院发布意见。' * 3}</p>",
        )
        for n in range(5)
    ]


def csp_violations(page) -> list[str]:
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return found


def test_an_editor_fixes_three_titles_on_one_page(
    browser, live_server, flagged, editor
):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    violations = csp_violations(page)
    log_in(page, live_server, "editor")
    page.goto(live_server.url + "/admin/articles/article/")
    page.click("text=核对标题（5）")
    assert page.locator(".title-check-table tbody tr").count() == 5
    assert (
        "第0条：为促进民营经济发展壮大" in page.locator(".opening").first.inner_text()
    )
    fixes = {0: "促进民营经济发展壮大", 2: "数字经济新动能", 4: "稳外贸稳外资"}
    for n, title in fixes.items():
        page.fill(f"input.title-input[value='临时标题{n}']", title)
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    assert "已核对 3 个标题" in page.locator(".messagelist").inner_text()

    for n, article in enumerate(flagged):
        article.refresh_from_db()
        if n in fixes:
            assert (article.title, article.needs_review) == (fixes[n], False)
        else:
            assert (article.title, article.needs_review) == (f"临时标题{n}", True)
    assert page.locator(".title-check-table tbody tr").count() == 2
    assert violations == []
    page.screenshot(path=str(ARTIFACTS / "titles-desktop.png"), full_page=True)


def test_the_title_screen_scrolls_in_its_box_on_a_phone(
    browser, live_server, flagged, editor
):
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    log_in(page, live_server, "editor")
    page.goto(live_server.url + "/admin/articles/article/titles/")
    box = page.locator(".title-check-box")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("input.title-input[value='临时标题1']", "手机上改的标题")
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    assert Article.objects.get(pk=flagged[1].pk).title == "手机上改的标题"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "titles-phone.png"), full_page=True)


def test_setting_the_source_of_selected_items_on_a_phone(
    browser, live_server, flagged, editor
):
    source = SourceFactory(name="新华社", kind="agency")
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    violations = csp_violations(page)
    log_in(page, live_server, "editor")
    page.goto(live_server.url + "/admin/articles/article/")
    for article in flagged[:2]:
        page.check(f"input.action-select[value='{article.pk}']")
    page.select_option("select[name=action]", "set_source")
    page.click("button[name=index]")
    page.locator(".bulk-items").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click(".select2-selection")
    page.fill(".select2-search__field", "新华")
    page.click(".select2-results__option:has-text('新华社')")
    page.click("input[name=apply]")
    page.locator(".messagelist .success").wait_for()
    sources = {
        a.source_id for a in Article.objects.filter(pk__in=[a.pk for a in flagged[:2]])
    }
    assert sources == {source.pk}
    assert violations == []
