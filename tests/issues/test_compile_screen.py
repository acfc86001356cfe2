"""The compile screen: the issue's items in a block per section, in print order."""

import re

import pytest
from django.urls import reverse

from archive import SAMPLE_ISSUE_PATH
from archive.importers.txt_format import parse_txt
from archive.services import issue_import
from articles.models import Article
from tests.factories import ArticleFactory, IssueFactory, fill_issue

BLOCK = re.compile(
    r'<section class="compile-section" data-section="(?P<id>\d*)".*?</section>', re.S
)
TITLE_INPUT = re.compile(r'name="articles-\d+-title" value="(?P<title>[^"]*)"')


def blocks_on(page: str) -> list[tuple[str, list[str]]]:
    return [
        (match["id"], TITLE_INPUT.findall(match.group()))
        for match in BLOCK.finditer(page)
    ]


@pytest.fixture
def issue(db):
    issue = IssueFactory(number=9, cumulative_number=27)
    fill_issue(issue, per_section=2)
    return issue


def compile_page(client, issue):
    return client.get(reverse("admin:issues_issue_change", args=[issue.pk]))


def test_each_section_is_a_block_of_its_items_in_print_order(client, editor, issue):
    # Positions run across sections as an import leaves them: a flat list by
    # position would interleave the sections.
    for offset, article in enumerate(issue.articles.order_by("id")):
        Article.objects.filter(pk=article.pk).update(position=100 - offset)
    client.force_login(editor)
    page = compile_page(client, issue).content.decode()
    expected = [
        (str(section.pk), [a.title for a in articles])
        for section, articles in issue.table_of_contents()
    ]
    assert blocks_on(page) == expected


def test_an_empty_section_still_shows_as_a_block_to_drop_into(client, editor, issue):
    last = list(issue.ordered_sections())[-1]
    for article in issue.articles.filter(section=last):
        article.leave_issue()
    client.force_login(editor)
    blocks = dict(blocks_on(compile_page(client, issue).content.decode()))
    assert blocks[str(last.pk)] == []


def test_the_screens_queries_do_not_grow_with_the_issue(
    client, editor, django_assert_max_num_queries
):
    small, large = IssueFactory(number=9), IssueFactory(number=10)
    fill_issue(small, per_section=1)
    fill_issue(large, per_section=6)
    client.force_login(editor)
    compile_page(client, small)
    with django_assert_max_num_queries(40) as small_queries:
        compile_page(client, small)
    # Counted now: the next capture empties the connection's query log.
    small_count = len(small_queries)
    with django_assert_max_num_queries(40) as large_queries:
        compile_page(client, large)
    assert small_count > 0
    assert len(large_queries) == small_count


def test_the_sample_issues_reminders_are_collapsed_to_a_summary(client, editor):
    issue_id = issue_import(parse_txt(SAMPLE_ISSUE_PATH.read_bytes())).issue_id
    client.force_login(editor)
    page = client.get(
        reverse("admin:issues_issue_change", args=[issue_id])
    ).content.decode()
    reminders = re.search(
        r'<details class="preflight-reminders">\s*<summary>(.*?)</summary>', page, re.S
    )
    assert reminders and "条提醒" in reminders[1]
    assert len(blocks_on(page)) >= 8
    assert sum(len(titles) for _, titles in blocks_on(page)) == 62


def test_pool_items_are_offered_with_their_source_and_date(client, editor, issue):
    pooled = ArticleFactory(issue=None, section=None, title="数字经济观察")
    client.force_login(editor)
    page = compile_page(client, issue).content.decode()
    assert f"数字经济观察（{pooled.source}，{pooled.source_date}）" in page


def test_the_compile_screen_adds_no_item_rows(client, editor, issue):
    """New items are written in their own form, then picked from the pool."""
    client.force_login(editor)
    response = compile_page(client, issue)
    formset = next(
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "articles"
    )
    assert not formset.has_add_permission
    assert "articles-__prefix__" not in response.content.decode()


def test_a_row_whose_item_fails_its_own_checks_names_the_field(client, editor, issue):
    """Turning a row into a book recommendation asks for the book's title, which
    the row does not show: the screen says so instead of failing."""
    from tests.issues.test_permanence import change_form_data

    article = issue.articles.in_print_order().first()
    client.force_login(editor)
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    page = client.get(url)
    row = next(
        index
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.prefix == "articles"
        for index, form in enumerate(inline.formset.forms)
        if form.instance.pk == article.pk
    )
    data = change_form_data(page, **{f"articles-{row}-kind": "book", "_save": "1"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "书名：" in response.content.decode()
    article.refresh_from_db()
    assert article.kind != "book"
