"""The editor's desk in a real browser: the chief and an editor open /admin/ on a
desktop and on a phone, read their panels in Chinese, and nothing scrolls sideways."""

import pytest

from issues.services import issue_transition
from tests.browser.conftest import ARTIFACTS, watch_console
from tests.browser.test_correcting_in_browser import log_in
from tests.factories import ArticleFactory, IssueFactory, fill_issue

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [(1280, 900), (390, 844)]


@pytest.fixture
def desk_work(editor, chief):
    """An issue awaiting review, one sent back with a long comment, pool items."""
    waiting = IssueFactory(number=9)
    fill_issue(waiting)
    issue_transition(issue=waiting, user=editor, name="submit")
    sent_back = IssueFactory(number=8)
    fill_issue(sent_back)
    issue_transition(issue=sent_back, user=editor, name="submit")
    issue_transition(
        issue=sent_back,
        user=chief,
        name="send_back",
        comment="第三条的来源日期与原文不符，请核对后重新提交。" * 4,
    )
    ArticleFactory.create_batch(3, needs_review=True)
    return waiting, sent_back


def open_desk(browser, live_server, username, width, height):
    page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
    problems = watch_console(page)
    log_in(page, live_server, username)
    page.goto(live_server.url + "/admin/")
    page.locator("#desk").wait_for()
    return page, problems


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_the_chief_reads_the_review_queue_at_any_width(
    browser, live_server, desk_work, chief, width, height
):
    page, problems = open_desk(browser, live_server, "chief", width, height)
    queue = page.locator("#desk-chief")
    assert "待审签与发布" in queue.inner_text()
    assert "editor 于" in page.locator("#desk-in-review").inner_text()
    assert page.locator("#desk-approved").inner_text().strip() == (
        "没有待发布的已签发期刊。"
    )
    assert page.locator("#content-main").is_visible()  # the model list stays
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert problems == []
    page.screenshot(path=str(ARTIFACTS / f"desk-chief-{width}.png"), full_page=True)

    page.locator("#desk-in-review a").first.click()
    page.wait_for_url("**/admin/issues/issue/*/change/")
    assert "2023 年第九期" in page.locator("#content").inner_text()


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_an_editor_reads_the_sent_back_comment_and_the_counts_at_any_width(
    browser, live_server, desk_work, editor, width, height
):
    page, problems = open_desk(browser, live_server, "editor", width, height)
    assert page.locator("#desk-chief").count() == 0
    sent_back = page.locator("#desk-sent-back")
    assert "第三条的来源日期与原文不符" in sent_back.inner_text()
    assert sent_back.locator("blockquote").is_visible()
    assert "发布前检查已通过" in page.locator("#desk-drafts").inner_text()
    assert "3 条标题待核" in page.locator("#desk-to-check").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert problems == []
    page.screenshot(path=str(ARTIFACTS / f"desk-editor-{width}.png"), full_page=True)

    page.locator("#desk-to-check").click()
    page.wait_for_url("**/admin/articles/article/?needs_review__exact=1")
    assert page.locator("#result_list tbody tr").count() == 3
