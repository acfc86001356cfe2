"""Search pages: results, highlighting, bad input, filters, facets, export, access."""

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse

from articles.models import Article
from search import views
from search.host_index import host_index
from search.query import MAX_QUERY_LENGTH
from tests.factories import ArticleFactory, AttachmentFactory, PublicationFactory

URL = reverse("search:results")


def get(client, **params):
    return client.get(URL, params)


def test_results_show_title_issue_section_source_date_and_highlighted_snippet(
    client, sample
):
    page = get(client, q="世界500强").content.decode()
    assert "2023年《财富》<mark>世界500强</mark>排行榜揭晓" in page
    assert "2023 年第八期" in page
    assert sample["fortune"].section.name in page
    assert "财富中文网" in page
    assert "2023-08-02" in page
    assert "《财富》<mark>世界 500 强</mark>榜单揭晓" in page


def test_the_search_box_is_on_every_page(client, sample):
    page = client.get(reverse("issues:home")).content.decode()
    assert f'action="{URL}"' in page


BAD_QUERIES = [
    "",
    "   ",
    "，。、！",
    "x" * 10_000,
    '"独立董事',
    '"""',
    "' OR 1=1; DROP TABLE articles_article; --",
    "<script>alert(1)</script>",
    "NEAR(医保 独立董事)",
    "医保*",
    "title:医保",
    "医保 AND NOT OR",
    "-医保",
    "^医保 {a b} [c]",
    "\\",
    "\x00医保",
]


@pytest.mark.parametrize("text", BAD_QUERIES)
def test_bad_queries_give_a_message_or_results_never_an_error(client, sample, text):
    response = get(client, q=text)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(1)" not in page


def test_bad_queries_say_why(client, sample):
    too_long = get(client, q="x" * 10_000).content.decode()
    assert f"不要超过 {MAX_QUERY_LENGTH} 个字符" in too_long
    assert "没有可查找的文字" in get(client, q="，。、！").content.decode()
    assert "不能只有排除词" in get(client, q="-医保").content.decode()


def test_html_in_articles_and_queries_is_escaped(client, published_issue):
    ArticleFactory(
        issue=published_issue,
        title="<b>营商环境</b> & 改革",
        body="<p>营商环境 &lt;script&gt;alert(1)&lt;/script&gt;</p>",
    )
    page = get(client, q="营商环境 <script>").content.decode()
    assert "<script>" not in page
    page = get(client, q="营商环境").content.decode()
    assert "&lt;b&gt;<mark>营商环境</mark>&lt;/b&gt; &amp; 改革" in page
    assert "&lt;script&gt;alert(1)" in page


def test_filters_narrow_and_facets_count_for_the_current_query(client, sample):
    response = get(client, q="国务院")
    facets = {f.name: f for f in response.context["facets"]}
    sources = {v.label: v.count for v in facets["source"].values}
    assert sources == {"人民日报": 2}
    kinds = {v.label: v.count for v in facets["kind"].values}
    assert kinds == {"新闻": 2}
    assert [v.count for v in facets["has_policy"].values] == [1]

    response = get(client, q="国务院", has_policy="true")
    assert [h.article for h in response.context["hits"]] == [sample["private"]]
    response = get(client, q="人民日报 OR 新华社", source=sample["medical"].source_id)
    assert {h.article for h in response.context["hits"]} == {
        sample["medical"],
        sample["free_trade"],
    }
    # the source facet still offers the other sources
    facets = {f.name: f for f in response.context["facets"]}
    assert {v.label for v in facets["source"].values} == {"人民日报", "新华社"}


def test_date_range_year_issue_and_tag_filters(client, sample, older_issue):
    sample["smes"].tags.add("中小企业")
    ArticleFactory(issue=older_issue, title="专精特新（七月）")
    assert len(get(client, q="专精特新").context["hits"]) == 2
    hits = get(client, q="专精特新", issue=older_issue.pk).context["hits"]
    assert [h.article.title for h in hits] == ["专精特新（七月）"]
    hits = get(client, q="专精特新", tag="中小企业").context["hits"]
    assert [h.article for h in hits] == [sample["smes"]]
    hits = get(
        client, q="国务院 OR 医保", date_from="2023-07-20", date_to="2023-07-31"
    ).context["hits"]
    assert [h.article for h in hits] == [sample["medical"]]
    assert len(get(client, q="专精特新", year=2022).context["hits"]) == 0


def test_invalid_filter_values_do_not_break_the_page(client, sample):
    response = get(client, q="医保", issue="abc", date_from="yesterday", page="x")
    assert response.status_code == 200


def test_results_paginate_and_the_url_holds_the_whole_search(client, published_issue):
    for n in range(25):
        ArticleFactory(issue=published_issue, title=f"营商环境第{n}条")
    first = get(client, q="营商环境", sort="date")
    assert len(first.context["hits"]) == 20
    assert "page=2" in first.context["next_url"]
    assert "sort=date" in first.context["next_url"]
    second = client.get(first.context["next_url"])
    assert len(second.context["hits"]) == 5


def test_results_page_runs_a_fixed_number_of_queries(
    client, sample, django_assert_num_queries
):
    host_index().catch_up()  # a running host has built its index
    ContentType.objects.get_for_model(Article)  # as after any earlier request
    for n in range(5):
        ArticleFactory(issue=sample["smes"].issue, title=f"专精特新第{n}条")
    # the unpublished issues, the changes the host index has not applied
    # (none, once it has); the page's articles, their attachments; the
    # results' tags; after a change to content, once: the dictionary, the
    # changed index rows, the facets' publication, section, source names
    with django_assert_num_queries(10):
        get(client, q="专精特新")
    with django_assert_num_queries(5):
        get(client, q="专精特新")


def test_results_page_without_hits_reads_only_the_index(
    client, sample, django_assert_num_queries
):
    get(client, q="不存在的词语")
    # the unpublished issues, the changes the host index has not applied: no
    # articles, tags or attachments to read for an empty page
    with django_assert_num_queries(2):
        response = get(client, q="不存在的词语")
    assert response.status_code == 200


def test_export_is_utf8_csv_with_bom(client, sample):
    response = client.get(reverse("search:export"), {"q": "国务院"})
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "标题"
    assert {row[0] for row in rows[1:]} == {
        sample["private"].title,
        sample["directors"].title,
    }
    assert rows[1][1] == "2023 年第八期"


def test_export_defuses_spreadsheet_formulas(client, published_issue):
    ArticleFactory(issue=published_issue, title="=HYPERLINK(营商环境)")
    response = client.get(reverse("search:export"), {"q": "营商环境"})
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")


def test_editors_may_include_unpublished_issues_readers_may_not(
    client, editor, reader, draft_issue, sample
):
    ArticleFactory(issue=draft_issue, title="营商环境草稿")
    client.force_login(reader)
    hits = get(client, q="营商环境草稿", unpublished="on").context["hits"]
    assert hits == []
    client.force_login(editor)
    assert get(client, q="营商环境草稿").context["hits"] == []
    hits = get(client, q="营商环境草稿", unpublished="on").context["hits"]
    assert [h.article.title for h in hits] == ["营商环境草稿"]


def test_require_login_setting_sends_anonymous_readers_to_log_in(
    client, settings, reader, sample
):
    settings.BULLETIN_REQUIRE_LOGIN = True
    assert get(client, q="医保").status_code == 302
    assert client.get(reverse("search:export"), {"q": "医保"}).status_code == 302
    client.force_login(reader)
    assert get(client, q="医保").status_code == 200


def test_advanced_search_composes_the_query_language(client, sample):
    page = client.get(reverse("search:advanced"))
    assert page.status_code == 200
    response = get(
        client, all_words="国务院", any_words="意见 改革", none_words="独立董事"
    )
    assert response.context["query_text"] == "国务院 意见 OR 改革 -独立董事"
    assert [h.article for h in response.context["hits"]] == [sample["private"]]
    response = get(client, phrase="民营经济 发展")
    assert [h.article for h in response.context["hits"]] == [sample["private"]]


def test_archivists_and_chief_editors_edit_the_dictionary_in_the_admin(
    client, archivist, chief, editor
):
    url = reverse("admin:search_searchterm_add")
    client.force_login(editor)
    assert client.get(url).status_code == 403
    for user in (archivist, chief):
        client.force_login(user)
        page = client.get(url)
        assert "无需重建索引" in page.content.decode()
        response = client.post(url, {"term": f"揭榜挂帅{user.username}", "note": ""})
        assert response.status_code == 302


@pytest.fixture
def varied(sample, older_issue):
    """The sample plus articles that differ in issue, section, source, kind, tags
    and attachments, all found by the query in FACETED."""
    sample["smes"].tags.add("中小企业", "企业")
    sample["private"].tags.add("企业")
    sample["medical"].tags.add("医保")
    sections = list(older_issue.ordered_sections()[:2])
    for n, section in enumerate(sections * 2):
        article = ArticleFactory(
            issue=older_issue,
            section=section,
            title=f"国务院常务会议第{n}次",
            kind="research" if n % 2 else "news",
            source=sample["fortune"].source if n == 3 else sample["medical"].source,
            source_date=None if n == 2 else sample["medical"].source_date,
        )
        if n == 1:
            article.tags.add("企业")
            AttachmentFactory(article=article)
    return sample


FACETED = "国务院 OR 医保 OR 专精特新 OR 世界500强 OR 独立董事 OR 自贸试验区"


def _total(response) -> int:
    return response.context["page"].paginator.count


FILTER_CASES = [
    {},
    {"source": "people"},
    {"kind": "news", "tag": "企业"},
    {"tag": "医保"},
    {"has_policy": "true"},
    {"has_policy": "false"},
    {"section": "first"},
    {"year": "2023", "date_from": "2023-07-25"},
    {"date_to": "2023-07-25", "kind": "research"},
    {"issue": "older", "source": "xinhua"},
    {"publication": "own"},
]


def _named_filters(varied, older_issue, filters):
    named = {
        "people": varied["directors"].source_id,
        "xinhua": varied["medical"].source_id,
        "first": older_issue.ordered_sections().first().pk,
        "older": older_issue.pk,
        "own": older_issue.publication_id,
    }
    return {name: named.get(value, value) for name, value in filters.items()}


@pytest.mark.parametrize("filters", FILTER_CASES)
def test_filters_picked_from_the_results_match_the_filtered_search(
    varied, older_issue, filters
):
    """A filtered page picks its results from the unfiltered ones when those
    are complete (FILTER_TESTS); that must be what the filters give in SQL."""
    request = RequestFactory().get(
        reverse("search:results"),
        {"q": FACETED, **_named_filters(varied, older_issue, filters)},
    )
    request.user = AnonymousUser()
    found = views.run_search(request)
    limit = views.RESULT_LIMIT + 1
    picked = found.filterset.passing(
        found.filterset.described(found.rows(limit, filtered=False))
    )
    in_sql = found.rows(limit)
    assert [row[0] for row in picked] == [row[0] for row in in_sql]
    assert in_sql


@pytest.mark.parametrize("filters", FILTER_CASES)
def test_each_facet_count_is_what_its_link_finds(client, varied, older_issue, filters):
    """A value's count is the number of results its link shows (the other
    facets' filters still apply); an active value's link removes it."""
    params = _named_filters(varied, older_issue, filters)
    response = get(client, q=FACETED, **params)
    facets = response.context["facets"]
    if not filters:
        assert all(facet.values for facet in facets)
    for facet in facets:
        for value in facet.values:
            linked = client.get(value.url)
            if value.active:
                assert facet.name not in linked.wsgi_request.GET
            else:
                assert linked.wsgi_request.GET[facet.name] == value.value
                assert _total(linked) == value.count, (facet.name, value.label)


def test_facets_rank_by_count_then_label_and_issues_newest_first(client, varied):
    facets = {f.name: f for f in get(client, q=FACETED).context["facets"]}
    for name, facet in facets.items():
        counts = [value.count for value in facet.values]
        assert counts == sorted(counts, reverse=True), name
    sources = facets["source"].values
    assert [(v.label, v.count) for v in sources] == [
        ("新华社", 5),
        ("人民日报", 3),
        ("财富中文网", 2),
    ]
    tags = [(v.label, v.count) for v in facets["tag"].values]
    assert tags == [("企业", 3), ("中小企业", 1), ("医保", 1)]
    issues = [v.label for v in facets["issue"].values]
    assert issues == ["2023 年第八期", "2023 年第七期"]


def test_facet_names_follow_a_rename(client, varied):
    get(client, q=FACETED)
    source = varied["medical"].source
    source.name = "新华通讯社"
    source.save()
    facets = {f.name: f for f in get(client, q=FACETED).context["facets"]}
    assert "新华通讯社" in {v.label for v in facets["source"].values}


@pytest.mark.parametrize(
    "query_string",
    [
        "q=医保",
        "q=a+b%26c%3Dd&page=3&sort=date",
        "q=%E5%9B%BD&tag=x&tag=y&kind=&page=2",
        "page=1&q=民营经济 营商环境&source=5",
    ],
)
@pytest.mark.parametrize(
    "changes",
    [{}, {"page": 4}, {"source": 7}, {"tag": None}, {"kind": "news", "page": None}],
)
def test_search_links_encode_like_a_querydict(query_string, changes):
    """What the links used to be built with: a copy of request.GET per link."""
    from django.http import QueryDict

    from search.views import _Links

    params = QueryDict(query_string)
    expected = params.copy()
    if "page" not in changes:
        expected.pop("page", None)
    for name, value in changes.items():
        if value is None:
            expected.pop(name, None)
        else:
            expected[name] = str(value)
    assert _Links(params).url(**changes) == f"{URL}?{expected.urlencode()}"


def test_facets_follow_edits_to_articles_attachments_and_issues(
    client, published_issue
):
    """The facets count copies kept on the index rows: every edit that changes
    what a filter looks at must reach them."""
    article = ArticleFactory(issue=published_issue, title="氢能产业链调研")

    def counts(name):
        facets = {f.name: f for f in get(client, q="氢能").context["facets"]}
        return {v.label: v.count for v in facets[name].values}

    assert counts("kind") == {"新闻": 1}
    assert counts("has_policy") == {}
    article.kind = Article.Kind.RESEARCH
    article.section = published_issue.ordered_sections().last()
    article.save()
    assert counts("kind") == {Article.Kind.RESEARCH.label: 1}
    assert counts("section") == {article.section.name: 1}

    attachment = AttachmentFactory(article=article)
    assert counts("has_policy") == {"有附件": 1}
    attachment.delete()
    assert counts("has_policy") == {}

    other = PublicationFactory(name="地方志动态", with_sections=False)
    published_issue.publication = other
    published_issue.save()
    assert counts("publication") == {"地方志动态": 1}


def test_a_search_that_finds_nothing_says_so_with_hints(client, db):
    page = client.get(reverse("search:results"), {"q": "绝无此词"}).content.decode()
    assert "没有找到与“绝无此词”相关的条目。" in page
    assert "可以减少词语" in page


def test_every_advanced_filter_starts_at_any(client, db):
    page = client.get(reverse("search:advanced")).content.decode()
    assert "未知" not in page
    assert page.count(">不限</option>") == 6
