"""Where editors see repeats by content: the item's change page and the compile
screen's preflight, with the queries of either bounded."""

from django.contrib.messages import get_messages
from django.urls import reverse

from tests.articles.test_rich_text import save_body
from tests.factories import IssueFactory
from tests.repeats.conftest import reprint


def change_page(client, article):
    return client.get(reverse("admin:articles_article_change", args=[article.pk]))


def compile_page(client, issue):
    return client.get(reverse("admin:issues_issue_change", args=[issue.pk]))


def test_the_change_page_names_the_item_and_issue_a_reprint_repeats(
    client, editor, sample, django_assert_max_num_queries
):
    original = sample[0]
    copy = reprint(original)
    client.force_login(editor)
    change_page(client, copy)
    # The repeat check itself: link or title (1), the signatures' version (2),
    # the candidates with their issues (3); the rest is the change form's.
    with django_assert_max_num_queries(20) as queries:
        page = change_page(client, copy).content.decode()
    repeat_page_queries = len(queries)
    assert f"与 2023 年第八期《{original.title}》内容重复" in page
    assert reverse("admin:articles_article_change", args=[original.pk]) in page
    assert "不论链接、标题或来源是否相同" in page
    # Another story's page shows the same number of queries and no repeat.
    other = sample[1]
    change_page(client, other)
    with django_assert_max_num_queries(repeat_page_queries):
        page = change_page(client, other).content.decode()
    assert "内容重复" not in page


def test_the_compile_screen_warns_of_each_reprint_in_the_issue(
    client, editor, sample, django_assert_max_num_queries
):
    small, large = IssueFactory(number=9), IssueFactory(number=10)
    section = small.ordered_sections().first()
    reprint(sample[0], issue=small, section=section)
    copies = [
        reprint(article, issue=large, section=large.ordered_sections().first())
        for article in sample[:6]
    ]
    client.force_login(editor)
    compile_page(client, small)
    with django_assert_max_num_queries(50) as small_queries:
        compile_page(client, small)
    small_count = len(small_queries)  # the next request clears the query log
    with django_assert_max_num_queries(50) as large_queries:
        page = compile_page(client, large).content.decode()
    assert len(large_queries) == small_count
    for copy, original in zip(copies, sample[:6], strict=True):
        assert f"“{copy.title}”与 2023 年第八期《{original.title}》内容重复。" in page


def test_saving_an_item_that_repeats_another_warns_the_editor(client, editor, sample):
    original, other = sample[0], sample[7]
    pooled = reprint(other)
    client.force_login(editor)
    response = save_body(client, pooled, original.body)
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    [warning] = [w for w in warnings if "内容重复" in w]
    assert f"与 2023 年第八期《{original.title}》内容重复" in warning
    assert other.title not in warning
