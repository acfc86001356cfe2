"""Search over the real sample issue (2023 年第八期) imported with import_issue.

An oracle independent of the search code — plain substring tests on each
article's text with whitespace (or all punctuation) removed — says which articles
a query must find; a few queries also name articles they must not find.
"""

import re

import pytest
from django.core.management import call_command

from archive import SAMPLE_ISSUE_PATH
from articles.models import Article
from search import engine, indexing

SAMPLE = SAMPLE_ISSUE_PATH


@pytest.fixture
def imported(chief):
    call_command(
        "import_issue", str(SAMPLE), "--publish", "--user", chief.username, verbosity=0
    )
    articles = list(indexing.articles_to_index().order_by("pk"))
    assert len(articles) > 50
    return articles


def full_text(article) -> str:
    parts = [
        article.title,
        article.abstract,
        article.keywords,
        indexing.html_to_text(article.body),
        article.book_title,
        article.book_author,
        article.book_summary,
        article.book_reason,
        article.source.name if article.source_id else "",
        *(doc.title for doc in article.policy_documents.all()),
    ]
    return "\n".join(p for p in parts if p)


def squeeze(text: str, pattern=r"\s+") -> str:
    return re.sub(pattern, "", text).casefold()


def found(text: str) -> set[int]:
    query = engine.parse_query(text)
    return set(
        engine.matching(Article.objects.published(), query).values_list("pk", flat=True)
    )


def with_verbatim(articles, text: str, pattern=r"\s+") -> set[int]:
    needle = squeeze(text, pattern)
    return {a.pk for a in articles if needle in squeeze(full_text(a), pattern)}


def starting(articles, prefix: str) -> int:
    return next(a.pk for a in articles if squeeze(a.title).startswith(squeeze(prefix)))


RECALL_QUERIES = [
    "世界500强",
    "世界 500 强",
    "医保",
    "医保局",
    "专精特新",
    "小巨人",
    "独立董事",
    "CPTPP",
    "自贸试验区",
    "民营经济",
    "营商环境",
    "中国式现代化",
    "高质量发展",
    "人工智能",
    "2023",
    "沃尔玛",
    "碳达峰",
    "强",
    "链",
    "数字经济",
    "谈判药品续约规则",
    "生成式人工智能",
]


PHRASES = [
    "专精特新",
    "独立董事",
    "自贸试验区",
    "民营经济",
    "高质量发展",
    "谈判药品续约规则",
]


def test_every_article_holding_the_query_verbatim_is_found(imported):
    """One import, many queries (importing the sample takes a second or two)."""
    missed = {}
    for text in RECALL_QUERIES:
        must = with_verbatim(imported, text)
        assert must, f"the sample has no {text!r}: pick another query"
        if not must <= found(text):
            missed[text] = must - found(text)
    assert missed == {}


def test_quoted_chinese_phrases_find_exactly_the_articles_that_contain_them(imported):
    wrong = {
        phrase: found(f'"{phrase}"') ^ with_verbatim(imported, phrase, r"[\W_]+")
        for phrase in PHRASES
    }
    assert {phrase: diff for phrase, diff in wrong.items() if diff} == {}


def test_traditional_characters_find_the_same_articles(imported):
    assert found("獨立董事") == found("独立董事")
    assert found("醫保局") == found("医保局")
    assert found("專精特新") == found("专精特新")


def test_named_articles_are_found_and_others_are_not(imported):
    fortune = starting(imported, "8 月 2 日，2023 年《财富》世界")
    medical = starting(imported, "国家医保局日前对")
    private = starting(imported, "民营经济是推进中国式现代化的生力军")
    assert fortune in found("世界500强")
    assert medical not in found("世界500强")
    assert medical in found("医保")
    assert fortune not in found("医保")
    assert private in found("民营经济 中国式现代化")
    assert private not in found("民营经济 -中国式现代化")
    assert {fortune, medical} <= found("沃尔玛 OR 医保局")


def test_title_matches_rank_first_on_the_sample(imported):
    query = engine.parse_query("自贸试验区")
    ranked = list(engine.ordered(engine.matching(Article.objects.published(), query)))
    title_hits = [a for a in ranked if "自贸试验区" in squeeze(a.title)]
    assert ranked[: len(title_hits)] == title_hits
