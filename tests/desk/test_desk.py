"""The admin's front page, the editor's desk: each role finds the work waiting for it."""

import re

import pytest
from django.urls import reverse
from django.utils.timezone import localtime

from archive.models import ImportRun
from articles import corrections
from issues.models import Issue
from issues.services import issue_preflight, issue_transition
from tests.factories import ArticleFactory, IssueFactory, fill_issue, make_user

pytestmark = pytest.mark.django_db

DESK = reverse("admin:index")
PANELS = ("desk-chief", "desk-editor", "desk-imports", "desk-activity")


def desk_page(client, user) -> str:
    client.force_login(user)
    response = client.get(DESK)
    assert response.status_code == 200
    return response.content.decode()


def panel(html: str, panel_id: str) -> str:
    """The HTML of one panel of the desk, or "" when the page has none."""
    found = re.search(rf'<section[^>]*id="{panel_id}".*?</section>', html, re.DOTALL)
    return found.group() if found else ""


def shown_panels(html: str) -> set[str]:
    return {panel_id for panel_id in PANELS if panel(html, panel_id)}


def change_url(issue) -> str:
    return reverse("admin:issues_issue_change", args=[issue.pk])


def submitted(editor, **kwargs) -> Issue:
    issue = IssueFactory(**kwargs)
    fill_issue(issue)
    issue_transition(issue=issue, user=editor, name="submit")
    return issue


@pytest.mark.parametrize(
    ("role", "panels"),
    [
        ("editor", {"desk-editor", "desk-activity"}),
        # A chief editor holds every editor's permission, so compiles too.
        ("chief", {"desk-chief", "desk-editor", "desk-activity"}),
        ("archivist", {"desk-imports", "desk-activity"}),
        ("superuser", set(PANELS)),
    ],
)
def test_each_role_sees_the_panels_of_its_permissions(client, request, role, panels):
    html = desk_page(client, request.getfixturevalue(role))
    assert shown_panels(html) == panels
    assert "编辑工作台" in html


def test_the_model_list_stays_below_the_desk_and_app_pages_keep_the_plain_list(
    client, editor
):
    html = desk_page(client, editor)
    assert html.index('id="desk"') < html.index('id="content-main"')
    assert reverse("admin:issues_issue_changelist") in html
    app_page = client.get(reverse("admin:app_list", args=["issues"]))
    assert app_page.status_code == 200
    assert 'id="desk"' not in app_page.content.decode()


def test_the_chief_sees_issues_awaiting_review_and_publication_with_who_sent_them(
    client, editor, chief
):
    waiting = submitted(editor, number=9)
    signed = submitted(editor, number=8)
    issue_transition(issue=signed, user=chief, name="approve")
    published = submitted(editor, number=7)
    issue_transition(issue=published, user=chief, name="approve")
    issue_transition(issue=published, user=chief, name="publish")

    html = desk_page(client, chief)
    chief_panel = panel(html, "desk-chief")
    in_review = chief_panel.split('id="desk-approved"')[0]
    approved = chief_panel.split('id="desk-approved"')[1]
    assert f'href="{change_url(waiting)}">2023 年第九期</a>' in in_review
    step = waiting.transitions.get(to_status=Issue.Status.IN_REVIEW)
    assert f"editor 于 {localtime(step.created_at):%Y-%m-%d %H:%M} 提交" in in_review
    assert f'href="{change_url(signed)}">2023 年第八期</a>' in approved
    assert "editor 于" in approved and "chief 于" in approved and "签发" in approved
    assert "2023 年第七期" not in chief_panel
    assert client.get(change_url(waiting)).status_code == 200


def test_an_empty_queue_says_so(client, chief):
    chief_panel = panel(desk_page(client, chief), "desk-chief")
    assert "没有待审的期刊。" in chief_panel
    assert "没有待发布的已签发期刊。" in chief_panel


def test_the_editor_sees_the_drafts_newest_first_with_their_preflight(client, editor):
    older = IssueFactory(number=7)
    fill_issue(older)
    newer = IssueFactory(number=8)  # sections but no items yet
    ArticleFactory(issue=newer, needs_review=True)
    report = issue_preflight(issue=newer)
    assert report.errors and report.warnings

    drafts = panel(desk_page(client, editor), "desk-editor").split('id="desk-drafts"')[
        1
    ]
    assert drafts.index("2023 年第八期") < drafts.index("2023 年第七期")
    preflight = reverse("admin:issues_issue_preflight", args=[newer.pk])
    assert f'href="{preflight}"' in drafts
    assert f"{len(report.errors)} 个问题待解决" in drafts
    assert f"{len(report.warnings)} 条提醒" in drafts
    assert "发布前检查已通过" in drafts  # the complete older issue


def test_only_the_newest_drafts_are_checked_and_the_rest_are_a_link_away(
    client, editor
):
    for number in range(1, 6):
        IssueFactory(number=number)
    drafts = panel(desk_page(client, editor), "desk-editor").split('id="desk-drafts"')[
        1
    ]
    assert "2023 年第五期" in drafts and "2023 年第三期" in drafts
    assert "2023 年第二期" not in drafts
    assert f"{reverse('admin:issues_issue_changelist')}?status__exact=draft" in drafts


def test_a_sent_back_issue_shows_the_chiefs_comment_until_it_is_resubmitted(
    client, editor, chief
):
    issue = submitted(editor, number=8)
    issue_transition(
        issue=issue, user=chief, name="send_back", comment="第三条的来源日期有误"
    )

    sent_back = panel(desk_page(client, editor), "desk-editor")
    assert f'href="{change_url(issue)}">2023 年第八期</a>' in sent_back
    assert "第三条的来源日期有误" in sent_back
    assert "chief 于" in sent_back and "退回" in sent_back

    issue_transition(issue=issue, user=editor, name="submit")
    assert "第三条的来源日期有误" not in panel(desk_page(client, editor), "desk-editor")


def test_an_unpublished_issue_is_not_taken_for_one_sent_back(client, editor, chief):
    issue = submitted(editor, number=8)
    issue_transition(issue=issue, user=chief, name="approve")
    issue_transition(issue=issue, user=chief, name="publish")
    issue_transition(issue=issue, user=chief, name="unpublish", comment="封面有误")
    assert 'id="desk-sent-back"' not in desk_page(client, editor)


def test_pool_and_titles_to_check_are_counted_and_link_to_their_lists(client, editor):
    issue = IssueFactory()
    ArticleFactory(issue=issue, needs_review=True)
    ArticleFactory(issue=issue)
    ArticleFactory.create_batch(2)
    ArticleFactory(needs_review=True)

    html = desk_page(client, editor)
    pool = re.search(r'href="([^"]+)" id="desk-pool"><strong>(\d+)</strong>', html)
    to_check = re.search(
        r'href="([^"]+)" id="desk-to-check"><strong>(\d+)</strong>', html
    )
    assert (pool.group(2), to_check.group(2)) == ("3", "2")
    for link, count in ((pool, 3), (to_check, 2)):
        listed = client.get(link.group(1).replace("&amp;", "&"))
        assert listed.context["cl"].result_count == count
    assert "条在候选库中，尚未编入期刊" in html and "条标题待核" in html


def test_the_archivist_sees_the_latest_imports_with_links(client, archivist):
    issue = IssueFactory(number=8)
    done = ImportRun.objects.create(
        file="imports/a.txt",
        original_name="信息摘编2023年第八期.txt",
        uploaded_by=archivist,
        status=ImportRun.Status.IMPORTED,
        issue=issue,
    )
    ImportRun.objects.create(
        file="imports/b.pdf",
        original_name="第九期.pdf",
        uploaded_by=archivist,
        status=ImportRun.Status.FAILED,
    )

    imports = panel(desk_page(client, archivist), "desk-imports")
    run_page = reverse("admin:archive_importrun_confirm", args=[done.pk])
    assert f'href="{run_page}">信息摘编2023年第八期.txt</a>' in imports
    assert "已导入" in imports and "失败" in imports
    assert f'href="{change_url(issue)}"' in imports
    assert "archivist 于" in imports and "上传" in imports
    assert reverse("admin:archive_importrun_add") in imports
    assert client.get(run_page).status_code == 200


def test_recent_activity_tells_workflow_steps_and_corrections_in_chinese(
    client, editor, chief, archivist
):
    issue = submitted(editor, number=8)
    issue_transition(issue=issue, user=chief, name="approve")
    issue_transition(issue=issue, user=chief, name="publish")
    article = issue.articles.in_print_order().first()
    article.title = "更正后的标题"
    corrections.correct(
        user=chief, reason="原标题有错字", articles=[article], apply=article.save
    )

    activity = panel(desk_page(client, archivist), "desk-activity")
    assert activity.index("更正") < activity.index("发布") < activity.index("签发")
    assert activity.index("签发") < activity.index("提交审核")
    assert "原标题有错字" in activity
    article_page = reverse("admin:articles_article_change", args=[article.pk])
    assert f'href="{article_page}">2023 年第八期《更正后的标题》</a>' in activity
    assert f'href="{change_url(issue)}">2023 年第八期</a>' in activity
    assert "chief · 签发" in activity and "editor · 提交审核" in activity


def test_the_desk_costs_the_same_few_queries_however_many_issues_and_items(
    client, django_assert_max_num_queries
):
    editor = make_user("编辑", username="editor")
    chief = make_user("主编", username="chief")
    superuser = make_user(superuser=True)
    for number in range(1, 37):
        issue = IssueFactory(number=number, with_board=False)
        issue_transition(issue=issue, user=editor, name="submit")
        if number % 3 == 0:
            issue_transition(issue=issue, user=chief, name="approve")
        elif number % 3 == 1:
            issue_transition(issue=issue, user=chief, name="send_back", comment="改")
    for number in range(37, 42):
        fill_issue(IssueFactory(number=number, with_board=False), per_section=2)
    ArticleFactory.create_batch(30, needs_review=True)
    for index in range(15):
        ImportRun.objects.create(
            file=f"imports/{index}.txt", original_name=f"{index}.txt", uploaded_by=chief
        )
    client.force_login(superuser)
    # session, user (a superuser: no permission queries); chief: in review,
    # signed off, their steps (3); editor: drafts, the preflight of the 3 shown
    # (9), sent back, pool, titles to check (13); imports (1); steps and
    # corrections (2); dead links of items and documents (2); the sidebar's own
    # actions (1).
    with django_assert_max_num_queries(24):
        response = client.get(DESK)
    html = response.content.decode()
    assert shown_panels(html) == set(PANELS)
    assert "全部待审期刊" in html and "全部导入记录" in html
