"""An editor compiles an issue on the screen by section: drag an item into another
section, save, and the print order and the PDF's contents follow."""

import pytest

from archive import SAMPLE_ISSUE_PATH
from archive.importers.txt_format import parse_txt
from archive.services import issue_import
from editions.services import render_edition
from issues.models import Issue
from tests.browser.conftest import ARTIFACTS, watch_console
from tests.browser.test_correcting_in_browser import log_in
from tests.editions.helpers import contents_entries, pdf_pages
from tests.factories import IssueFactory, fill_issue

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft_issue(db):
    issue = IssueFactory(number=9, cumulative_number=27)
    fill_issue(issue, per_section=2)
    return issue


def section_titles(page, section_id) -> list[str]:
    block = page.locator(f'.compile-section[data-section="{section_id}"]')
    return block.locator("td.field-title input").evaluate_all(
        "inputs => inputs.map(i => i.value)"
    )


def test_an_item_dragged_into_another_section_is_printed_there(
    browser, live_server, draft_issue, editor
):
    first, second = list(draft_issue.ordered_sections())[:2]
    moving = draft_issue.articles.filter(section=first).order_by("position").first()
    target = draft_issue.articles.filter(section=second).order_by("position").first()
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    errors = watch_console(page)
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/issues/issue/{draft_issue.pk}/change/")
    assert "热点关注" in page.locator(".compile-section h3").first.inner_text()

    handle = page.locator(
        f'tr.compile-row:has(input[value="{moving.title}"]) .drag-handle'
    )
    drop_on = page.locator(f'tr.compile-row:has(input[value="{target.title}"])')
    handle.drag_to(drop_on, target_position={"x": 40, "y": 4})
    assert moving.title in section_titles(page, second.pk)
    assert moving.title not in section_titles(page, first.pk)
    page.screenshot(path=str(ARTIFACTS / "compile-dragged.png"), full_page=False)
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    assert errors == []

    moving.refresh_from_db()
    assert moving.section == second
    order = list(draft_issue.articles.in_print_order())
    in_second = [a for a in order if a.section_id == second.pk]
    assert moving in in_second
    pages = pdf_pages(render_edition(Issue.objects.get(pk=draft_issue.pk), "pdf")[0])
    entries = list(contents_entries(pages))
    assert entries.index(moving.title) > entries.index(
        next(a.title for a in order if a.section_id == first.pk)
    )
    assert [t for t in entries if t in {a.title for a in in_second}] == [
        a.title for a in in_second
    ]


def test_the_section_menu_moves_a_row_without_dragging(
    browser, live_server, draft_issue, editor
):
    first, second = list(draft_issue.ordered_sections())[:2]
    moving = draft_issue.articles.filter(section=first).order_by("position").first()
    page = browser.new_page(viewport={"width": 390, "height": 800}, locale="zh-CN")
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/issues/issue/{draft_issue.pk}/change/")
    row = page.locator(f'tr.compile-row:has(input[value="{moving.title}"])')
    row.locator('select[name$="-section"]').select_option(str(second.pk))
    assert section_titles(page, second.pk)[-1] == moving.title
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    moving.refresh_from_db()
    assert moving.section == second
    assert (
        list(draft_issue.articles.filter(section=second).in_print_order())[-1] == moving
    )


def test_the_new_issue_form_after_the_sample_follows_it(browser, live_server, editor):
    sample = Issue.objects.get(
        pk=issue_import(parse_txt(SAMPLE_ISSUE_PATH.read_bytes())).issue_id
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/issues/issue/add/")
    values = {
        name: page.input_value(f"#id_{name}")
        for name in (
            "year",
            "number",
            "cumulative_number",
            "period_start",
            "period_end",
        )
    }
    assert values == {
        "year": "2023",
        "number": "9",
        "cumulative_number": "27",
        "period_start": "2023-08-16",
        "period_end": "2023-09-15",
    }
    board = page.locator(
        "#board_members-group input[name$='-name']:not([name*='__prefix__'])"
    ).evaluate_all("inputs => inputs.map(i => i.value)")
    assert board == [name for _role, name in sample.board()]
    sections = page.locator(
        "#section_links-group select[name$='-section']:not([name*='__prefix__'])"
    ).evaluate_all("menus => menus.map(m => m.options[m.selectedIndex].text)")
    assert sections[:2] == ["热点关注", "行业动向"]
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    new = Issue.objects.get(year=2023, number=9)
    assert new.board() == sample.board()
    assert [s.name for s in new.ordered_sections()] == sections
