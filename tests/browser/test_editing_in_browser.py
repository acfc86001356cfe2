"""An editor writes an item's body in the rich-text editor of a real browser:
formatting, a paste from WeChat, the preview, saving, and the reading page."""

import datetime

import pytest

from archive import SAMPLE_ISSUE_PATH
from archive.importers import parse_file
from archive.services import issue_import
from articles.models import Article
from bulletin.text import sanitize_html
from issues.catalogue import STANDARD_SECTIONS
from issues.models import Issue
from tests.articles.test_rich_text import WECHAT_PASTE
from tests.browser.conftest import ARTIFACTS, watch_console
from tests.browser.test_correcting_in_browser import log_in
from tests.factories import IssueFactory, fill_issue

pytestmark = pytest.mark.django_db(transaction=True)

EDITOR = ".tiptap.ProseMirror"
# What the clipboard hands the page when text is copied from a WeChat article.
PASTE = """(html) => {
  const data = new DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", "");
  document.querySelector(".tiptap.ProseMirror").dispatchEvent(
    new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true})
  );
}"""
TYPED = (
    "<h3>政策要点</h3><p>本期<strong>重点推荐</strong>如下：</p>"
    "<ul><li><p>跨境结算</p></li><li><p>出口信保</p></li></ul>"
)


def editor_html(page) -> str:
    return page.evaluate(f"document.querySelector('{EDITOR}').editor.getHTML()")


def test_an_editor_formats_pastes_previews_saves_and_reads_the_item(
    browser, live_server, editor
):
    issue = IssueFactory(number=9, cumulative_number=27)
    article = fill_issue(issue)[0]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    problems = watch_console(page)
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.locator(EDITOR).click()
    page.keyboard.press("Control+A")
    page.keyboard.type("政策要点")
    page.locator(".prose-menubar__dropdown .prose-menubar__selected").click()
    page.locator(".prose-menubar__option[data-name=heading3]").click()
    page.locator(EDITOR).press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("本期")
    page.locator(".prose-menubar__button[data-name=bold]").click()
    page.keyboard.type("重点推荐")
    page.locator(".prose-menubar__button[data-name=bold]").click()
    page.keyboard.type("如下：")
    page.keyboard.press("Enter")
    page.locator(".prose-menubar__button[data-name=bulletList]").click()
    page.keyboard.type("跨境结算")
    page.keyboard.press("Enter")
    page.keyboard.type("出口信保")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.evaluate(PASTE, WECHAT_PASTE)
    written = editor_html(page)
    assert written.startswith(TYPED + "<h3><strong>一、政策要点</strong></h3>")
    assert "style=" not in written
    assert "<img" not in written

    with page.expect_popup() as popup_info:
        page.locator("input.preview-button").click()
    preview = popup_info.value
    preview.wait_for_load_state()
    assert "不会保存任何修改" in preview.locator(".preview-banner").inner_text()
    assert preview.locator(".body h3").first.inner_text() == "政策要点"
    assert preview.locator(".body ul li").count() == 4
    article.refresh_from_db()
    assert "政策要点" not in article.body
    preview.screenshot(path=str(ARTIFACTS / "item-preview.png"))
    preview.close()

    page.locator("input[name=_continue]").click()
    page.locator(".messagelist .success").wait_for()
    article.refresh_from_db()
    assert article.body.startswith(TYPED + "<h3><strong>一、政策要点</strong></h3>")
    assert "<strong>《关于推动外贸稳规模优结构的意见》</strong>" in article.body
    assert 'href="https://www.mofcom.gov.cn/article/zcfb/"' in article.body
    for gone in ("style=", "<span", "<section", "<img", "target="):
        assert gone not in article.body
    # Reopened, the editor writes a link's rel before its href; saved again, the
    # sanitiser puts them back: the same body, not a change.
    assert sanitize_html(editor_html(page)) == article.body

    # The draft's reading page (editors preview it), then the published one.
    page.goto(live_server.url + article.get_absolute_url())
    body = page.locator(".body")
    assert body.locator("h3").all_inner_texts() == ["政策要点", "一、政策要点"]
    assert body.locator("strong").first.inner_text() == "重点推荐"
    assert body.locator("ul li").all_inner_texts() == [
        "跨境结算", "出口信保", "优化跨境结算", "扩大出口信用保险",
    ]  # fmt: skip
    Issue.objects.filter(pk=issue.pk).update(
        status=Issue.Status.PUBLISHED, publish_date=datetime.date(2023, 8, 20)
    )
    reader_page = browser.new_page(viewport={"width": 390, "height": 844})
    problems += watch_console(reader_page)
    reader_page.goto(live_server.url + article.get_absolute_url())
    reader_body = reader_page.locator(".body")
    assert reader_body.locator("a").get_attribute("rel") == "noopener noreferrer"
    assert "近日，商务部等部门联合印发" in reader_body.inner_text()
    assert reader_body.inner_html() == article.body
    assert reader_page.evaluate("document.documentElement.scrollWidth") <= 390
    reader_page.screenshot(path=str(ARTIFACTS / "edited-item-phone.png"))
    assert problems == []


def test_the_editor_fits_a_phone_and_loads_without_csp_errors(
    browser, live_server, editor
):
    article = fill_issue(IssueFactory(number=9, cumulative_number=27))[0]
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    problems = watch_console(page)
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.locator(".prose-menubar").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator(EDITOR).scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "body-editor-phone.png"))
    page.locator(EDITOR).click()
    page.locator(".prose-menubar__button[data-name=table]").click()
    dialog = page.locator("dialog[open]")
    assert "表格属性" in dialog.inner_text()
    assert dialog.locator("button[type=submit]").inner_text() == "插入表格"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    dialog.locator("button[value=cancel]").click()
    assert problems == []


def test_items_of_the_sample_issue_open_in_the_editor_unchanged(
    browser, live_server, editor
):
    parsed = parse_file(
        SAMPLE_ISSUE_PATH.name,
        SAMPLE_ISSUE_PATH.read_bytes(),
        known_sections=[name for name, _ in STANDARD_SECTIONS],
    )
    issue = Issue.objects.get(pk=issue_import(parsed).issue_id)
    items = Article.objects.filter(issue=issue)
    with_heading = items.filter(body__contains="<h3>").first()
    longest = max(items, key=lambda a: len(a.body))
    chosen = [items.first(), with_heading, longest]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    problems = watch_console(page)
    log_in(page, live_server, "editor")
    for article in chosen:
        page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
        page.locator(EDITOR).wait_for()
        assert page.locator("#id_body").input_value() == article.body, article.title
        assert editor_html(page) == article.body, article.title
    assert problems == []
