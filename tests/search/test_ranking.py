"""The results page's ranked ids agree with ranking every match (both databases)."""

import pytest

from articles.models import Article
from search import engine
from search.models import SearchDocument
from tests.factories import ArticleFactory, SourceFactory
from tests.search.ranking import ranked_ids

QUERIES = [
    "国务院",
    "数字经济",
    "医保 OR 沃尔玛",
    "2023",
    "国务院 -独立董事",
    "营商环境 天津",
    "数字经济 国务院",
    "数字经济 国务院办公厅",
    "国务院 意见 -独立董事",
    "意见 发展 国务院",
    "数字经济 -发展",
    "国务院 -意见 -甲",
    "数字经济 国务院 -观察",
]


@pytest.fixture
def ranked_sample(sample):
    issue = sample["fortune"].issue
    ArticleFactory(issue=issue, title="甲", source=SourceFactory(name="数字经济观察"))
    ArticleFactory(issue=issue, title="乙", body="<p>发展数字经济。国务院</p>")
    ArticleFactory(issue=issue, title="丙", abstract="关于数字经济的研究。国务院")
    ArticleFactory(issue=issue, title="数字经济新动向")
    ArticleFactory(
        issue=issue,
        title="丁",
        body="<p>数字经济。</p>",
        source=SourceFactory(name="国务院办公厅"),
    )
    ArticleFactory(
        issue=issue,
        title="戊",
        body="<p>数字经济。国务院办公厅。</p>",
        source=SourceFactory(name="国务院办公厅公报"),
    )
    return sample


@pytest.mark.parametrize("sort", [engine.SORT_RELEVANCE, engine.SORT_DATE])
@pytest.mark.parametrize("text", QUERIES)
def test_ranked_ids_follow_the_result_order(ranked_sample, text, sort):
    """Relevance bands are read best first and stop early; that must give what
    ranking every match gives, also when cut short by the limit or filtered."""
    query = engine.parse_query(text)
    everything = engine.ordered(
        engine.matching(Article.objects.published(), query), sort
    )
    expected = list(everything.values_list("pk", flat=True))
    assert expected
    for limit in (1, 2, 100):
        assert ranked_ids(query, limit=limit, sort=sort) == expected[:limit]
    people = SearchDocument.objects.filter(source__name="人民日报")
    allowed = set(people.values_list("article_id", flat=True))
    assert allowed
    assert ranked_ids(query, limit=100, sort=sort, within=people) == [
        pk for pk in expected if pk in allowed
    ]


def test_issue_order_and_visibility_follow_the_issue(published_issue, older_issue):
    """Index rows copy the issue's year and number; publishing is read live."""
    from issues.models import Issue

    old = ArticleFactory(issue=older_issue, title="营商环境（七月）")
    new = ArticleFactory(issue=published_issue, title="营商环境（八月）")
    query = engine.parse_query("营商环境")
    assert ranked_ids(query, limit=10) == [new.pk, old.pk]
    older_issue.number = 10
    older_issue.save()
    assert ranked_ids(query, limit=10) == [old.pk, new.pk]
    Issue.objects.filter(pk=older_issue.pk).update(status=Issue.Status.DRAFT)
    assert ranked_ids(query, limit=10) == [new.pk]
    assert ranked_ids(query, limit=10, include_unpublished=True) == [
        old.pk,
        new.pk,
    ]


def test_excluded_words_leave_out_every_field_and_only_exact_matches(
    published_issue,
):
    """Short excluded words are left out by the index itself, longer ones by the
    text: either way a word in any field excludes, and its characters apart do not."""
    issue = published_issue

    def make(**fields):
        return ArticleFactory(issue=issue, **fields).pk

    plain = make(title="数字经济观察", body="<p>平台经济。</p>")
    apart = make(title="数字经济三", body="<p>美丽中国，人工的智能。</p>")
    in_title = make(title="数字经济与美国")
    in_body = make(title="数字经济一", body="<p>美国人工智能市场。</p>")
    in_source = make(title="数字经济二", source=SourceFactory(name="美国之音"))

    def found(text):
        return set(ranked_ids(engine.parse_query(text), limit=10))

    assert found("数字经济") == {plain, apart, in_title, in_body, in_source}
    assert found("数字经济 -美国") == {plain, apart}
    assert found("数字经济 -美") == {plain}
    assert found("数字经济 -人工智能") == {plain, apart, in_title, in_source}
    assert found("数字经济 -美国 -人工智能") == {plain, apart}


@pytest.fixture
def archive_of_years(db):
    """Matches in every field across five years of issues, a draft issue and
    the pool, as the host index's order keys must order them."""
    import datetime

    from issues.models import Issue
    from tests.factories import IssueFactory

    bodies = [
        "<p>数字经济发展。</p>",
        "<p>国务院印发意见。</p>",
        "<p>发展数字经济，国务院部署。</p>",
        "<p>平台经济观察。</p>",
    ]
    issues = []
    for year in range(2019, 2024):
        for number in (3, 9):
            issue = IssueFactory(
                year=year,
                number=number,
                cumulative_number=year * 100 + number,
                period_start=datetime.date(year, number, 1),
                period_end=datetime.date(year, number, 28),
            )
            Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
            issue.refresh_from_db()
            issues.append(issue)
    issues.append(IssueFactory(year=2022, number=12))  # a draft
    issues.append(None)  # the pool
    for n in range(60):
        issue = issues[n % len(issues)]
        ArticleFactory(
            issue=issue,
            title=["数字经济周报", "国务院常务会议", "观察"][n % 3] + str(n),
            abstract="数字经济研究" if n % 7 == 0 else "",
            body=bodies[n % len(bodies)],
            source=SourceFactory(name="数字经济观察" if n % 5 == 0 else "新华社"),
            source_date=datetime.date(2019 + n % 5, 1 + n % 12, 1 + n % 27),
        )
    return issues


ARCHIVE_QUERIES = [
    "数字经济",
    "国务院",
    "经济观察",
    "数字经济 国务院",
    "数字经济 -发展",
    "国务院 -数字经济研究",
    "数字经济 OR 国务院",
    "数字经济 国务院 发展",
    # More groups than the host index reads band by band: ranked by score.
    "数字经济 国务院 发展 观察",
    "经济 国务院 OR 观察 发展 数字",
]


@pytest.mark.parametrize("sort", [engine.SORT_RELEVANCE, engine.SORT_DATE])
@pytest.mark.parametrize("include_unpublished", [False, True])
@pytest.mark.parametrize("text", ARCHIVE_QUERIES)
def test_ranked_ids_agree_with_the_reference_across_years(
    archive_of_years, text, include_unpublished, sort
):
    """Across years of issues, drafts and the pool, the host index gives what
    ranking every match in SQL gives, cut short by any limit."""
    query = engine.parse_query(text)
    articles = (
        Article.objects.all() if include_unpublished else Article.objects.published()
    )
    expected = list(
        engine.ordered(engine.matching(articles, query), sort).values_list(
            "pk", flat=True
        )
    )
    assert len(expected) > 3
    for limit in (1, 3, 10, 100):
        assert (
            ranked_ids(
                query, limit=limit, sort=sort, include_unpublished=include_unpublished
            )
            == expected[:limit]
        )


def test_result_order_follows_an_issue_moved_to_another_year(archive_of_years):
    """The index rows copy the issue's year and number: moving an issue moves
    its articles in the result order at once."""
    newest = archive_of_years[9]
    assert (newest.year, newest.number) == (2023, 9)
    query = engine.parse_query("数字经济")

    def expected():
        everything = engine.ordered(engine.matching(Article.objects.published(), query))
        return list(everything.values_list("pk", flat=True))

    before = expected()
    assert ranked_ids(query, limit=100) == before
    newest.year, newest.number = 2019, 6
    newest.save()
    after = expected()
    assert after != before
    assert ranked_ids(query, limit=100) == after


@pytest.mark.parametrize("sort", [engine.SORT_RELEVANCE, engine.SORT_DATE])
def test_years_and_dates_across_the_order_keys_range_keep_the_reference_order(db, sort):
    """The host index sorts by keys packed into 64 bits (host_index.order_keys):
    issue years from 1902 to 2155 and source dates from 1900 to 2258 keep
    the order ranking in SQL gives, the pool (no issue, no date) last."""
    import datetime

    from tests.factories import IssueFactory

    for year, day in [
        (1902, datetime.date(1900, 1, 1)),
        (1910, None),
        (1999, datetime.date(2258, 12, 31)),
        (2020, datetime.date(2020, 2, 29)),
        (2030, datetime.date(1999, 12, 31)),
        (2155, datetime.date(2155, 1, 1)),
    ]:
        issue = IssueFactory(
            year=year,
            number=12,
            cumulative_number=year,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 1, 28),
        )
        ArticleFactory(issue=issue, title=f"年鉴{year}", source_date=day)
        ArticleFactory(issue=issue, body=f"<p>年鉴{year}</p>", source_date=day)
    ArticleFactory(issue=None, title="年鉴候选", source_date=None)
    query = engine.parse_query("年鉴")
    expected = list(
        engine.ordered(engine.matching(Article.objects.all(), query), sort).values_list(
            "pk", flat=True
        )
    )
    assert len(expected) == 13
    assert ranked_ids(query, limit=20, sort=sort, include_unpublished=True) == expected
