"""Publishing on import goes through the workflow: permission, preflight, record, editions."""

import copy
import datetime

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from archive.importers import ImportRefused
from archive.importers.structure import ParsedSection
from archive.management.commands.import_issue import Command
from archive.services import issue_import
from articles.models import Article
from issues.models import Issue, IssueTransition, Publication
from issues.services import DEMO_LOADER
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db


def nothing_written() -> bool:
    return not (Issue.objects.exists() or Article.objects.exists())


def edition_builds() -> list[dict]:
    return [
        result.args_kwargs["kwargs"]
        for result in DBTaskResult.objects.filter(
            task_path="editions.tasks.generate_editions"
        )
    ]


def test_it_publishes_as_the_importing_user_through_the_workflow(
    parsed_sample, chief, django_capture_on_commit_callbacks
):
    PublicationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        summary = issue_import(parsed_sample, publish=True, user=chief)

    issue = Issue.objects.get(pk=summary.issue_id)
    assert issue.status == Issue.Status.PUBLISHED
    # A back issue came out at the end of its period, not on the day it was imported.
    assert issue.publish_date == datetime.date(2023, 8, 15) == issue.period_end
    transition = issue.transitions.get()
    assert (transition.from_status, transition.to_status) == ("draft", "published")
    assert (transition.user, transition.system_actor) == (chief, "")
    assert transition.comment == "导入往期"
    # The preflight's warnings (58 provisional titles) are kept with the step.
    assert sum("标题尚待核对" in w for w in transition.warnings) == 58
    assert summary.published and summary.publish_warnings == transition.warnings
    assert Article.objects.filter(issue=issue, created_by=chief).count() == 62
    assert edition_builds() == [{"issue_id": issue.pk}]


@pytest.mark.parametrize("role", ["editor", "archivist"])
def test_a_user_who_may_not_publish_is_refused_and_nothing_is_written(
    request, parsed_sample, role
):
    user = request.getfixturevalue(role)
    with pytest.raises(
        ImportRefused, match=f"不能以 {role} 的名义导入并发布.*没有权限"
    ):
        issue_import(parsed_sample, publish=True, user=user)
    assert nothing_written() and not Publication.objects.exists()
    assert not IssueTransition.objects.exists()


def test_a_dry_run_checks_the_permission_too(parsed_sample, editor):
    with pytest.raises(ImportRefused, match="没有权限"):
        issue_import(parsed_sample, publish=True, user=editor, dry_run=True)
    summary = issue_import(parsed_sample, publish=True, user=DEMO_LOADER, dry_run=True)
    assert summary.published and nothing_written()


def test_preflight_errors_stop_the_import(parsed_sample, chief):
    parsed = copy.deepcopy(parsed_sample)
    parsed.sections[0].items[0].source_date = None
    parsed.sections.append(ParsedSection(name="热点关注二", line=9999))
    with pytest.raises(ImportRefused, match="未通过发布前检查") as refused:
        issue_import(parsed, publish=True, user=chief)
    message = str(refused.value)
    assert "缺少来源日期" in message
    assert "栏目“热点关注二”没有条目" in message
    assert nothing_written()


def test_the_demo_loader_publishes_as_itself(parsed_sample):
    summary = issue_import(parsed_sample, publish=True, user=DEMO_LOADER)
    transition = Issue.objects.get(pk=summary.issue_id).transitions.get()
    assert (transition.user, transition.system_actor) == (None, "演示数据")
    # Items name a person as their author, never a program.
    assert not Article.objects.filter(created_by__isnull=False).exists()


def test_the_command_publishes_as_the_named_user(sample_file, chief, capsys):
    call_command("import_issue", str(sample_file), "--publish", "--user", "chief")
    issue = Issue.objects.get()
    assert issue.is_published and issue.transitions.get().user == chief
    out = capsys.readouterr().out
    assert (
        f"状态：已发布（发布前检查警告 {len(issue.transitions.get().warnings)} 条）"
        in out
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--publish"], "--publish 须用 --user 指明"),
        (["--corrections"], "--corrections 须用 --user 指明"),
        (["--publish", "--user", "nobody"], "没有用户名为“nobody”的有效用户"),
        (["--publish", "--user", "editor"], "不能以 editor 的名义导入并发布"),
    ],
)
def test_the_command_refuses_clearly(sample_file, editor, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_issue", str(sample_file), *args)
    assert nothing_written()


def test_a_refusal_on_the_command_line_exits_non_zero_without_a_traceback(
    sample_file, capsys
):
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(
            ["manage.py", "import_issue", str(sample_file), "--publish"]
        )
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "CommandError: --publish 须用 --user 指明" in err
    assert "Traceback" not in err
