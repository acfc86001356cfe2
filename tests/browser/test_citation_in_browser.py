"""The 引用 block in a real browser: 复制 puts the GB/T 7714 text on the clipboard
(or leaves it selected where the clipboard is refused), and it fits a phone."""

import pytest

from articles.models import Article
from issues import citations
from tests.browser.conftest import ARTIFACTS, watch_console
from tests.factories import arranged

# The live server reads committed data, from another thread.
pytestmark = pytest.mark.django_db(transaction=True)

LONG_URL = "https://www.gov.cn/zhengce/content/" + "a1b2c3" * 30 + ".htm"


@pytest.fixture
def item(published_issue):
    article = published_issue.articles.in_print_order().first()
    with arranged():
        Article.objects.filter(pk=article.pk).update(original_url=LONG_URL)
    return Article.objects.for_reading().get(pk=article.pk)


def test_the_copy_button_copies_the_gbt_7714_citation(browser, live_server, item):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    problems = watch_console(page)
    page.goto(live_server.url + item.get_absolute_url())
    expected = citations.gbt7714(citations.for_article(item))
    assert LONG_URL in expected

    button = page.get_by_role("button", name="复制")
    button.click()
    status = page.locator(".citation [role=status]")
    status.wait_for(state="visible")
    assert status.inner_text() == "已复制引用文字"
    assert page.evaluate("navigator.clipboard.readText()") == expected
    # The text is left selected as well, for a reader who prefers Ctrl+C.
    assert page.evaluate("window.getSelection().toString()").strip() == expected

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the item page is {width}px wide on a 390px screen"
    page.locator(".citation").screenshot(path=str(ARTIFACTS / "citation-phone.png"))
    assert problems == []
    context.close()


def test_without_the_clipboard_the_citation_is_left_selected(
    browser, live_server, published_issue
):
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    # As on an intranet served over plain http: no clipboard at all.
    page.add_init_script(
        "Object.defineProperty(navigator, 'clipboard', {value: undefined})"
    )
    page.goto(live_server.url + published_issue.get_absolute_url())
    page.get_by_role("button", name="复制").click()
    status = page.locator(".citation [role=status]")
    status.wait_for(state="visible")
    assert status.inner_text() == "已选中，请按 Ctrl+C 复制"
    published_issue.refresh_from_db()  # the fixture published it in the database
    expected = citations.gbt7714(citations.for_issue(published_issue))
    assert page.evaluate("window.getSelection().toString()").strip() == expected
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the issue page is {width}px wide on a 390px screen"
    page.close()
