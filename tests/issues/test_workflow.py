"""The review-and-publish workflow, for every role, and the preflight rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from articles import corrections
from articles.models import Article
from issues import services
from issues.models import Issue
from tests.factories import ArticleFactory, IssueFactory, fill_issue

Status = Issue.Status

ALLOWED = {
    # transition: (from state, roles that may do it)
    "submit": (Status.DRAFT, {"editor", "chief", "superuser"}),
    "approve": (Status.IN_REVIEW, {"chief", "superuser"}),
    "publish": (Status.APPROVED, {"chief", "superuser"}),
    "send_back": (Status.IN_REVIEW, {"chief", "superuser"}),
    "unpublish": (Status.PUBLISHED, {"chief", "superuser"}),
}
ROLES = ["editor", "chief", "archivist", "reader", "superuser"]


def complete_issue(status=Status.DRAFT) -> Issue:
    issue = IssueFactory()
    fill_issue(issue)
    Issue.objects.filter(pk=issue.pk).update(status=status)
    issue.refresh_from_db()
    return issue


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ALLOWED))
def test_each_transition_is_allowed_only_for_its_roles(db, request, role, name):
    user = request.getfixturevalue(role)
    source, allowed_roles = ALLOWED[name]
    issue = complete_issue(source)
    if role in allowed_roles:
        record = services.issue_transition(
            issue=issue, user=user, name=name, comment="理由"
        )
        issue.refresh_from_db()
        assert issue.status == services.TRANSITIONS[name].target
        assert (record.from_status, record.to_status, record.user) == (
            source,
            issue.status,
            user,
        )
    else:
        with pytest.raises(services.TransitionRefused):
            services.issue_transition(issue=issue, user=user, name=name, comment="理由")
        issue.refresh_from_db()
        assert issue.status == source
        assert not issue.transitions.exists()


@pytest.mark.parametrize(
    ("name", "wrong_state"),
    [
        ("submit", Status.PUBLISHED),
        ("approve", Status.DRAFT),
        ("publish", Status.IN_REVIEW),
        ("send_back", Status.DRAFT),
        ("unpublish", Status.APPROVED),
    ],
)
def test_a_transition_from_the_wrong_state_is_refused(chief, name, wrong_state):
    issue = complete_issue(wrong_state)
    with pytest.raises(services.TransitionRefused, match="当前状态"):
        services.issue_transition(issue=issue, user=chief, name=name, comment="理由")


@pytest.mark.parametrize("name", ["send_back", "unpublish"])
def test_sending_back_and_unpublishing_need_a_comment(chief, name):
    issue = complete_issue(ALLOWED[name][0])
    with pytest.raises(ValidationError, match="必须填写说明"):
        services.issue_transition(issue=issue, user=chief, name=name, comment="  ")
    assert not issue.transitions.exists()


def test_the_whole_way_is_recorded_in_order(editor, chief):
    issue = complete_issue()
    services.issue_transition(issue=issue, user=editor, name="submit")
    services.issue_transition(
        issue=issue, user=chief, name="send_back", comment="标题需修改"
    )
    services.issue_transition(issue=issue, user=editor, name="submit")
    services.issue_transition(issue=issue, user=chief, name="approve")
    services.issue_transition(issue=issue, user=chief, name="publish")
    steps = [
        (t.from_status, t.to_status, t.user.username, t.comment)
        for t in issue.transitions.order_by("id")
    ]
    assert steps == [
        ("draft", "review", "editor", ""),
        ("review", "draft", "chief", "标题需修改"),
        ("draft", "review", "editor", ""),
        ("review", "approved", "chief", ""),
        ("approved", "published", "chief", ""),
    ]


def test_publishing_sets_the_publish_date_when_empty(chief, settings):
    issue = complete_issue(Status.APPROVED)
    services.issue_transition(issue=issue, user=chief, name="publish")
    issue.refresh_from_db()
    assert issue.publish_date is not None


def test_publishing_keeps_a_publish_date_set_by_the_editors(chief):
    issue = complete_issue(Status.APPROVED)
    Issue.objects.filter(pk=issue.pk).update(publish_date=datetime.date(2023, 8, 20))
    services.issue_transition(issue=issue, user=chief, name="publish")
    issue.refresh_from_db()
    assert issue.publish_date == datetime.date(2023, 8, 20)


# Preflight ------------------------------------------------------------------


def messages(problems):
    return [p.message for p in problems]


def test_a_complete_issue_passes_preflight_cleanly(db):
    report = services.issue_preflight(issue=complete_issue())
    assert report.ok
    assert report.warnings == []


def test_an_empty_section_blocks_publication(chief):
    issue = complete_issue()
    issue.articles.filter(section__name="国际视野").delete()
    Issue.objects.filter(pk=issue.pk).update(status=Status.APPROVED)
    with pytest.raises(services.PreflightFailed) as failure:
        services.issue_transition(issue=issue, user=chief, name="publish")
    assert messages(failure.value.report.errors) == ["栏目“国际视野”没有条目。"]
    issue.refresh_from_db()
    assert issue.status == Status.APPROVED


def test_an_issue_without_sections_is_refused(db):
    issue = IssueFactory(with_sections=False)
    assert messages(services.issue_preflight(issue=issue).errors) == [
        "本期还没有栏目。"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"title": ""}, "缺少标题"),
        ({"source": None}, "缺少来源"),
        ({"source_date": None}, "缺少来源日期"),
        ({"section": None}, "未分配栏目"),
    ],
)
def test_an_incomplete_article_blocks_publication(db, change, expected):
    issue = complete_issue()
    article = issue.articles.filter(kind=Article.Kind.NEWS).first()
    Article.objects.filter(pk=article.pk).update(**change)
    report = services.issue_preflight(issue=issue)
    assert not report.ok
    assert any(expected in m for m in messages(report.errors)), messages(report.errors)


def test_a_book_needs_its_title_but_no_source(db):
    issue = complete_issue()
    book = issue.articles.get(kind=Article.Kind.BOOK)
    Article.objects.filter(pk=book.pk).update(source=None, source_date=None)
    assert services.issue_preflight(issue=issue).ok
    Article.objects.filter(pk=book.pk).update(book_title="")
    assert any(
        "缺少书名" in m for m in messages(services.issue_preflight(issue=issue).errors)
    )


def test_a_research_paper_without_abstract_is_warned_about(db):
    issue = complete_issue()
    issue.articles.filter(kind=Article.Kind.RESEARCH).update(abstract="")
    report = services.issue_preflight(issue=issue)
    assert report.ok
    assert any("没有摘要" in m for m in messages(report.warnings))


def test_a_title_needing_review_is_warned_about(db):
    issue = complete_issue()
    issue.articles.filter(pk=issue.articles.first().pk).update(needs_review=True)
    report = services.issue_preflight(issue=issue)
    assert report.ok
    assert any("标题尚待核对" in m for m in messages(report.warnings))


def test_a_source_date_outside_the_period_is_warned_about(db):
    issue = complete_issue()
    issue.articles.filter(pk=issue.articles.first().pk).update(
        source_date=datetime.date(2023, 6, 30)
    )
    report = services.issue_preflight(issue=issue)
    assert report.ok
    assert any(
        "不在本期收录期 2023.07.16-2023.08.15 内" in m
        for m in messages(report.warnings)
    )


def test_an_article_repeating_an_earlier_issue_is_warned_about(db):
    earlier = complete_issue()
    repeated = earlier.articles.first()
    issue = IssueFactory(publication=earlier.publication, number=earlier.number + 1)
    fill_issue(issue)
    same_link = issue.articles.first()
    Article.objects.filter(pk=same_link.pk).update(original_url=repeated.original_url)
    same_title = issue.articles.last()
    same_title.title = repeated.title.replace(
        "（", " （"
    )  # spacing differs, title does not
    same_title.save()

    warnings = messages(services.issue_preflight(issue=issue).warnings)
    assert len([m for m in warnings if "重复" in m]) == 2
    assert all(str(earlier) in m for m in warnings if "重复" in m)


def test_preflight_query_count_does_not_grow_with_the_issue(
    db, django_assert_num_queries
):
    issue = IssueFactory()
    fill_issue(issue, per_section=10)
    # 1. sections  2. articles with sources  3. possible repeats in other issues
    with django_assert_num_queries(3):
        services.issue_preflight(issue=issue)


def test_pool_articles_are_placed_at_the_end_of_a_section(editor):
    issue = IssueFactory()
    fill_issue(issue)
    section = issue.ordered_sections().first()
    pool = ArticleFactory.create_batch(2, issue=None)
    assert set(Article.objects.in_pool()) == set(pool)
    services.issue_add_articles(
        issue=issue, section=section, articles=pool, user=editor
    )
    titles = [a.title for a in issue.table_of_contents()[0][1]]
    assert titles[-2:] == [pool[0].title, pool[1].title]
    assert not Article.objects.in_pool().exists()


def test_pool_articles_cannot_go_into_a_published_issue(editor):
    issue = complete_issue(Status.PUBLISHED)
    with pytest.raises(services.TransitionRefused):
        services.issue_add_articles(
            issue=issue,
            section=issue.ordered_sections().first(),
            articles=[ArticleFactory(issue=None)],
            user=editor,
        )


def test_a_chief_editor_records_a_correction(chief):
    issue = complete_issue(Status.PUBLISHED)
    article = issue.articles.first()
    old_title = article.title
    article.title = "更正后的标题"
    [correction] = corrections.correct(
        user=chief, reason="标题有误", articles=[article], apply=article.save
    )
    article.refresh_from_db()
    assert article.title == "更正后的标题"
    assert (correction.user, correction.reason, correction.changes) == (
        chief,
        "标题有误",
        [{"field": "标题", "before": old_title, "after": "更正后的标题"}],
    )
    assert (correction.issue, correction.article) == (issue, article)


def test_an_editor_cannot_correct_a_published_article(editor):
    issue = complete_issue(Status.PUBLISHED)
    article = issue.articles.first()
    article.title = "编辑改的标题"
    with pytest.raises(corrections.CorrectionRefused):
        corrections.correct(
            user=editor, reason="x", articles=[article], apply=article.save
        )
    article.refresh_from_db()
    assert article.title != "编辑改的标题"


def test_a_correction_needs_a_reason(chief):
    issue = complete_issue(Status.PUBLISHED)
    article = issue.articles.first()
    article.title = "没有说明的更正"
    with pytest.raises(ValidationError):
        corrections.correct(
            user=chief, reason=" ", articles=[article], apply=article.save
        )
    article.refresh_from_db()
    assert article.title != "没有说明的更正"
