"""The read API shows what the reading pages show: published issues and items."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.factories import IssueFactory, arranged, fill_issue

from .conftest import publish


@pytest.fixture(autouse=True)
def _open_site(settings):
    settings.BULLETIN_REQUIRE_LOGIN = False


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_issue_list_has_published_issues_only(client, published, draft):
    body = get(client, "/api/issues/")
    assert body["count"] == 1
    (issue,) = body["items"]
    assert issue["id"] == published.pk
    assert issue["label"] == str(published)
    assert issue["masthead_number"] == "2023 年 第八期（总第二十六期）"
    assert issue["publish_date"] == "2023-08-20"
    assert issue["url"] == "http://testserver/2023/8/"


def test_a_draft_issue_and_its_items_are_not_found(client, published, draft):
    item = draft.articles.first()
    assert client.get(f"/api/issues/{draft.pk}/").status_code == 404
    assert client.get(f"/api/items/{item.pk}/").status_code == 404
    listed = get(client, "/api/items/", limit=100)
    assert draft.pk not in {row["issue_id"] for row in listed["items"]}
    assert listed["count"] == published.articles.count()
    assert get(client, "/api/items/", issue=draft.pk)["count"] == 0


def test_the_issue_shows_its_sections_and_items_in_print_order(client, published):
    body = get(client, f"/api/issues/{published.pk}/")
    sections = [entry["section"]["name"] for entry in body["sections"]]
    assert sections == [s.name for s in published.ordered_sections()]
    listed = [item["id"] for entry in body["sections"] for item in entry["items"]]
    assert listed == [a.pk for a in published.articles.in_print_order()]
    first = body["sections"][0]["items"][0]
    assert first["url"] == f"http://testserver/items/{first['id']}/"
    assert first["source"]["name"] == "人民日报"


def test_an_item_shows_its_issue_section_source_tags_and_policy_documents(
    client, published
):
    article = published.articles.in_print_order().first()
    body = get(client, f"/api/items/{article.pk}/")
    assert body["title"] == article.title
    assert body["issue"]["id"] == published.pk
    assert body["section"]["name"] == article.section.name
    assert body["source"]["name"] == "人民日报"
    assert body["tags"] == [{"name": "民营经济", "slug": article.tags.get().slug}]
    assert body["keywords"] == ["民营经济", "高质量发展"]
    (document,) = body["policy_documents"]
    assert document["title"] == "关于促进民营经济发展壮大的意见"
    assert document["url"].startswith("http://testserver/policies/")
    assert body["url"] == f"http://testserver/items/{article.pk}/"
    # the permanent address leads to the item's page
    assert client.get(body["url"]).status_code == 301


def test_items_are_filtered_by_issue_section_source_and_year(client, published):
    other = IssueFactory(year=2024, number=1, cumulative_number=30)
    fill_issue(other)
    publish(other)
    article = published.articles.in_print_order().first()
    by_issue = get(client, "/api/items/", issue=other.pk, limit=100)
    assert {row["issue_id"] for row in by_issue["items"]} == {other.pk}
    assert get(client, "/api/items/", year=2023)["count"] == published.articles.count()
    # sections are the publication's catalogue: every issue has them
    by_section = get(client, "/api/items/", section=article.section_id, limit=100)
    assert {row["id"] for row in by_section["items"]} == set(
        Article.objects.filter(section=article.section).values_list("pk", flat=True)
    )
    in_one_issue = get(
        client, "/api/items/", section=article.section_id, issue=published.pk
    )
    assert [row["id"] for row in in_one_issue["items"]] == [article.pk]
    by_source = get(client, "/api/items/", source=article.source_id, year=2024)
    assert by_source["count"] == other.articles.count()
    # newest issue first
    assert get(client, "/api/items/")["items"][0]["issue_id"] == other.pk


def test_lists_are_paged_with_count_and_links(client, published):
    total = published.articles.count()
    assert total > 3
    first = get(client, "/api/items/", limit=2)
    assert first["count"] == total and len(first["items"]) == 2
    assert first["previous"] is None
    seen = [row["id"] for row in first["items"]]
    page = first
    while page["next"]:
        page = get(client, page["next"])
        seen += [row["id"] for row in page["items"]]
    assert seen == [a.pk for a in published.articles.in_print_order()]
    assert page["previous"].startswith("http://testserver/api/items/?")
    assert client.get("/api/items/", {"limit": 101}).status_code == 422


def test_search_finds_published_items_only(client, published, draft):
    body = get(client, "/api/search/", q="民营经济")
    found = {row["id"] for row in body["items"]}
    assert found and found <= set(published.articles.values_list("pk", flat=True))
    assert body["count"] == len(found)
    assert body["items"][0]["issue"]["id"] == published.pk
    assert get(client, "/api/search/", q="草稿")["count"] == 0


def test_search_explains_a_query_it_cannot_read(client, published):
    """As the search page does: no results, and why."""
    for q in ("-民营经济", "？！", "a\x00b"):
        body = get(client, "/api/search/", q=q)
        assert (body["count"], body["items"]) == (0, [])
        assert body["error"]
    assert get(client, "/api/search/", q="民营经济")["error"] is None


def test_an_unknown_parameter_is_refused(client, published):
    """A misspelt filter would otherwise return every item."""
    response = client.get("/api/items/", {"yaer": 2023})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "yaer"]
    assert client.get("/api/search/", {"q": "民营经济", "x": 1}).status_code == 422


def test_editors_do_not_see_drafts_through_the_api(client, draft, chief):
    client.force_login(chief)
    assert client.get(f"/api/issues/{draft.pk}/").status_code == 404
    assert get(client, "/api/issues/")["count"] == 0


def test_the_schema_is_served_and_no_english_documentation_page(client):
    schema = get(client, "/api/openapi.json")
    assert {"/api/issues/", "/api/items/", "/api/search/"} <= set(schema["paths"])
    assert client.get("/api/docs").status_code == 404


# Queries of a list page, whatever its length:
#   * the count
#   * the page's rows, with their issue/section/source joined
@pytest.mark.parametrize("per_section", [1, 3])
def test_the_item_list_costs_two_queries(
    client, published, django_assert_num_queries, per_section
):
    with arranged():
        fill_issue(published, per_section=per_section)
    with django_assert_num_queries(2):
        get(client, "/api/items/", limit=100)


def test_the_issue_list_costs_two_queries(db, client, django_assert_num_queries):
    for number in range(1, 6):
        publish(IssueFactory(number=number, cumulative_number=40 + number))
    with django_assert_num_queries(2):
        assert get(client, "/api/issues/")["count"] == 5


def test_the_issue_costs_the_same_queries_whatever_its_size(
    client, published, django_assert_num_queries
):
    # * the issue with its publication  * its sections  * its items
    with django_assert_num_queries(3):
        get(client, f"/api/issues/{published.pk}/")
    with arranged():
        fill_issue(published, per_section=3)
    with django_assert_num_queries(3):
        get(client, f"/api/issues/{published.pk}/")


def test_an_item_costs_a_fixed_number_of_queries(
    client, published, django_assert_num_queries
):
    article = published.articles.in_print_order().first()
    # * the item with issue, publication, section and source
    # * attachments with their documents  * tags  * corrections
    with django_assert_num_queries(4):
        get(client, f"/api/items/{article.pk}/")


def test_search_costs_the_same_queries_for_one_hit_or_fifty(client, published):
    """The search's own queries (the host index's pending changes) and one query
    for the page's items, with their issues, sections and sources."""
    with arranged():
        fill_issue(published, per_section=3)
    assert Article.objects.count() > 10

    def queries(limit):
        get(client, "/api/search/", q="民营经济", limit=1)  # warm the search's caches
        with CaptureQueriesContext(connection) as captured:
            body = get(client, "/api/search/", q="民营经济", limit=limit)
        assert len(body["items"]) == min(limit, body["count"])
        return len(captured)

    assert queries(1) == queries(50)


def test_a_second_client_sees_the_same_order(published):
    first = Client().get("/api/items/").json()
    second = Client().get("/api/items/").json()
    assert first == second
