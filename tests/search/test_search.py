"""The engine on sample sentences; runs on SQLite and PostgreSQL alike."""

import datetime

import pytest

from articles.models import Article
from search import engine
from search.models import SearchTerm
from tests.factories import (
    ArticleFactory,
    AttachmentFactory,
    PolicyDocumentFactory,
    SourceFactory,
)


def titles(text, articles=None, sort=engine.SORT_RELEVANCE):
    query = engine.parse_query(text)
    visible = articles if articles is not None else Article.objects.published()
    return [a.title for a in engine.ordered(engine.matching(visible, query), sort)]


def names(sample, *keys):
    return {sample[key].title for key in keys}


# query -> (must find, must not find); article names from conftest.sample
RECALL = {
    "世界500强": ({"fortune"}, {"medical", "smes"}),
    "世界 500 强": ({"fortune"}, {"medical"}),
    "500强": ({"fortune"}, {"private"}),
    "医保": ({"medical"}, {"fortune"}),
    "医保局": ({"medical"}, {"directors"}),
    "醫保局": ({"medical"}, {"directors"}),
    "专精特新": ({"smes"}, {"private"}),
    "特新": ({"smes"}, {"private"}),
    "小巨人": ({"smes"}, {"fortune"}),
    "独立董事": ({"directors"}, {"smes"}),
    "獨立董事": ({"directors"}, {"smes"}),
    "CPTPP": ({"free_trade"}, {"fortune"}),
    "cptpp": ({"free_trade"}, {"fortune"}),
    "自贸试验区": ({"free_trade"}, {"private"}),
    "民营经济": ({"private"}, {"free_trade"}),
    "民营经济发展": ({"private"}, {"smes"}),
    '"中国式现代化的生力军"': ({"private"}, {"smes"}),
    "2023": ({"fortune"}, {"medical"}),
    "沃尔玛": ({"fortune"}, {"smes"}),
    "巨": ({"smes"}, {"medical"}),
    "营商环境 天津": ({"free_trade"}, {"private"}),
    "国务院": ({"private", "directors"}, {"smes", "fortune"}),
    "国务院 -独立董事": ({"private"}, {"directors"}),
    "医保 OR 沃尔玛": ({"medical", "fortune"}, {"smes"}),
    "人民日报": ({"directors", "private", "smes"}, {"medical", "fortune"}),
}


@pytest.mark.parametrize("text", list(RECALL))
def test_query_finds_what_it_must_and_nothing_it_must_not(sample, text):
    must, must_not = RECALL[text]
    found = set(titles(text))
    assert names(sample, *must) <= found
    assert not names(sample, *must_not) & found


def test_phrase_needs_the_words_in_order(sample):
    assert titles('"发展民营经济"') == []
    assert titles('"民营经济发展"') == [sample["private"].title]


def test_latin_unit_does_not_match_inside_a_longer_run(sample):
    assert titles("CPTP") == []
    assert titles("50") == []


def test_policy_document_titles_are_searchable(sample):
    document = PolicyDocumentFactory(title="谈判药品续约规则（2023年版）")
    AttachmentFactory(article=sample["directors"], policy_document=document)
    assert titles("续约规则") == [sample["medical"].title, sample["directors"].title]


def test_book_recommendations_are_searchable(published_issue):
    book = ArticleFactory(
        issue=published_issue,
        kind=Article.Kind.BOOK,
        title="新书推荐",
        body="",
        book_title="中国经济增长十年展望",
        book_author="刘世锦",
        book_summary="本书分析了中国经济的增长动力。",
    )
    assert titles("刘世锦") == [book.title]
    assert titles("增长动力") == [book.title]
    assert titles("十年展望") == [book.title]


def test_title_beats_abstract_beats_body_beats_source(published_issue):
    source = SourceFactory(name="数字经济观察")
    in_source = ArticleFactory(issue=published_issue, title="甲", source=source)
    in_body = ArticleFactory(
        issue=published_issue, title="乙", body="<p>发展数字经济。</p>"
    )
    in_abstract = ArticleFactory(
        issue=published_issue, title="丙", abstract="关于数字经济的研究。"
    )
    in_title = ArticleFactory(issue=published_issue, title="数字经济新动向")
    assert titles("数字经济") == [
        in_title.title,
        in_abstract.title,
        in_body.title,
        in_source.title,
    ]


def test_newer_issues_break_ties(published_issue, older_issue):
    old = ArticleFactory(issue=older_issue, title="自贸试验区建设（七月）")
    new = ArticleFactory(issue=published_issue, title="自贸试验区建设（八月）")
    assert titles("自贸试验区") == [new.title, old.title]


def test_sort_by_date_puts_newest_source_date_first(sample):
    found = titles("国务院", sort=engine.SORT_DATE)
    assert found == [sample["directors"].title, sample["private"].title]


def test_readers_never_find_unpublished_issues(sample, draft_issue):
    draft = ArticleFactory(issue=draft_issue, title="民营经济草稿")
    ArticleFactory(issue=None, title="民营经济候选")
    assert draft.title not in titles("民营经济")
    assert {draft.title, "民营经济候选"} <= set(
        titles("民营经济", Article.objects.all())
    )


def test_archivists_dictionary_is_used_at_query_time(published_issue):
    article = ArticleFactory(
        issue=published_issue, title="揭榜挂帅", body="<p>推行揭榜挂帅。</p>"
    )
    ArticleFactory(issue=published_issue, title="揭榜", body="<p>挂帅出征。</p>")
    assert len(titles("揭榜挂帅")) == 2  # 揭榜 AND 挂帅
    term = SearchTerm.objects.create(term="揭榜挂帅")
    assert titles("揭榜挂帅") == [article.title]
    term.delete()
    assert len(titles("揭榜挂帅")) == 2


def test_same_results_on_every_database_for_a_mixed_query(sample):
    """Pinned order (both in titles; the later source date first); the suite runs
    on SQLite and PostgreSQL."""
    assert titles("国务院 OR 医保 -独立董事") == [
        sample["medical"].title,
        sample["private"].title,
    ]


def test_source_date_is_newest_first_when_sorting_by_date_across_issues(
    published_issue, older_issue
):
    a = ArticleFactory(
        issue=older_issue, title="营商环境甲", source_date=datetime.date(2023, 6, 1)
    )
    b = ArticleFactory(
        issue=published_issue,
        title="营商环境乙",
        source_date=datetime.date(2023, 7, 1),
    )
    assert titles("营商环境", sort=engine.SORT_DATE) == [b.title, a.title]
