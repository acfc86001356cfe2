import datetime

import pytest
from django.core.exceptions import ValidationError

from bulletin.text import chinese_number, parse_chinese_number
from issues.models import Issue, IssueSection
from tests.factories import ArticleFactory, IssueFactory, PublicationFactory


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1, "一"),
        (8, "八"),
        (10, "十"),
        (12, "十二"),
        (26, "二十六"),
        (100, "一百"),
        (105, "一百零五"),
    ],
)
def test_numbers_are_written_as_on_the_masthead(value, text):
    assert chinese_number(value) == text
    assert parse_chinese_number(text) == value


def test_issue_names_itself_as_printed(db):
    issue = IssueFactory(year=2023, number=8, cumulative_number=26)
    assert str(issue) == "2023 年第八期"
    assert issue.masthead_number == "2023 年 第八期（总第二十六期）"
    assert issue.period_display == "2023.07.16-2023.08.15"


def test_the_same_number_twice_in_a_year_is_refused_with_a_message(db):
    first = IssueFactory(number=8, cumulative_number=26)
    duplicate = Issue(
        publication=first.publication,
        year=first.year,
        number=8,
        cumulative_number=27,
        period_start=first.period_start,
        period_end=first.period_end,
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "该刊物这一年已有这一期。" in str(error.value)


def test_the_same_cumulative_number_twice_is_refused_with_a_message(db):
    first = IssueFactory(number=8, cumulative_number=26)
    duplicate = Issue(
        publication=first.publication,
        year=2024,
        number=1,
        cumulative_number=26,
        period_start=first.period_start,
        period_end=first.period_end,
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "该刊物已有这一总期号。" in str(error.value)


def test_the_same_numbers_in_another_publication_are_fine(db):
    IssueFactory(number=8, cumulative_number=26)
    other = PublicationFactory(name="政策参考")
    IssueFactory(publication=other, number=8, cumulative_number=26)
    assert Issue.objects.count() == 2


def test_a_period_ending_before_it_starts_is_refused(db):
    issue = IssueFactory.build(
        publication=PublicationFactory(),
        period_start=datetime.date(2023, 8, 15),
        period_end=datetime.date(2023, 7, 16),
    )
    with pytest.raises(ValidationError) as error:
        issue.full_clean()
    assert "收录截止日期不能早于起始日期。" in str(error.value)


def test_next_issue_is_suggested_after_the_latest(db):
    latest = IssueFactory(year=2023, number=8, cumulative_number=26)
    suggestion = Issue.suggest_next(
        latest.publication, today=datetime.date(2023, 8, 20)
    )
    assert suggestion == {
        "year": 2023,
        "number": 9,
        "cumulative_number": 27,
        "period_start": datetime.date(2023, 8, 16),
        "period_end": datetime.date(2023, 9, 15),
    }


def test_next_issue_starts_a_new_year_at_number_one(db):
    latest = IssueFactory(year=2023, number=12, cumulative_number=30)
    suggestion = Issue.suggest_next(latest.publication, today=datetime.date(2024, 1, 5))
    assert (
        suggestion["year"],
        suggestion["number"],
        suggestion["cumulative_number"],
    ) == (
        2024,
        1,
        31,
    )


def test_next_issue_follows_the_sequence_whatever_the_date(db):
    latest = IssueFactory(year=2023, number=8, cumulative_number=26)
    suggestion = Issue.suggest_next(
        latest.publication, today=datetime.date(2026, 12, 1)
    )
    assert (suggestion["year"], suggestion["number"]) == (2023, 9)
    assert suggestion["period_start"] == datetime.date(2023, 8, 16)


def test_a_publication_with_fewer_issues_a_year_wraps_sooner(db):
    first = IssueFactory(year=2022, number=6, cumulative_number=6)
    latest = IssueFactory(
        publication=first.publication, year=2023, number=6, cumulative_number=12
    )
    suggestion = Issue.suggest_next(latest.publication)
    assert (suggestion["year"], suggestion["number"]) == (2024, 1)


def test_first_issue_of_a_publication_is_number_one(db):
    suggestion = Issue.suggest_next(
        PublicationFactory(), today=datetime.date(2023, 1, 2)
    )
    assert suggestion == {"year": 2023, "number": 1, "cumulative_number": 1}


def test_a_gap_in_the_numbering_is_warned_about(db):
    latest = IssueFactory(year=2023, number=7, cumulative_number=25)
    gap = IssueFactory(
        publication=latest.publication, year=2023, number=9, cumulative_number=28
    )
    warnings = gap.numbering_warnings()
    assert len(warnings) == 2
    assert "上一期是第 7 期" in warnings[0]
    assert "上一期是总第 25 期" in warnings[1]


def test_starting_a_year_before_the_last_is_full_is_warned_about(db):
    publication = IssueFactory(year=2022, number=12, cumulative_number=12).publication
    IssueFactory(publication=publication, year=2023, number=8, cumulative_number=20)
    early = IssueFactory.build(
        publication=publication, year=2024, number=1, cumulative_number=21
    )
    assert early.numbering_warnings() == [
        "提前开始新的一年：2023 年只有 12 期中的 8 期。"
    ]


def test_the_first_issue_on_record_may_have_any_number(db):
    assert (
        IssueFactory(year=2023, number=8, cumulative_number=26).numbering_warnings()
        == []
    )


def test_consecutive_numbering_gives_no_warning(db):
    latest = IssueFactory(year=2023, number=7, cumulative_number=25)
    following = IssueFactory(
        publication=latest.publication, year=2023, number=8, cumulative_number=26
    )
    assert following.numbering_warnings() == []


def test_a_new_issue_takes_the_publications_section_template_in_order(db):
    issue = IssueFactory()
    names = [s.name for s in issue.ordered_sections()]
    assert names == [
        "热点关注",
        "行业动向",
        "国际视野",
        "国内动态",
        "自贸专题",
        "国研专稿",
        "企业排行榜",
        "新书推荐",
    ]


def test_sections_and_articles_follow_the_issues_own_order(db):
    issue = IssueFactory()
    first, second = list(issue.ordered_sections())[:2]
    IssueSection.objects.filter(issue=issue).exclude(
        section__in=[first, second]
    ).delete()
    # Put the second section first in this issue only.
    IssueSection.objects.filter(issue=issue, section=second).update(position=0)
    IssueSection.objects.filter(issue=issue, section=first).update(position=1)
    late = ArticleFactory(issue=issue, section=first, position=5, title="后")
    early = ArticleFactory(issue=issue, section=first, position=1, title="前")
    other = ArticleFactory(issue=issue, section=second, position=9, title="另一栏目")

    toc = issue.table_of_contents()
    assert [(s.name, [a.title for a in arts]) for s, arts in toc] == [
        (second.name, [other.title]),
        (first.name, [early.title, late.title]),
    ]
    assert list(issue.articles.in_print_order()) == [other, early, late]


def test_table_of_contents_takes_two_queries_whatever_the_size(
    db, django_assert_num_queries
):
    issue = IssueFactory()
    for section in issue.ordered_sections():
        ArticleFactory.create_batch(5, issue=issue, section=section)
    # 1. the issue's sections in order  2. its articles with their sources
    with django_assert_num_queries(2):
        toc = issue.table_of_contents()
    assert sum(len(articles) for _, articles in toc) == 40
