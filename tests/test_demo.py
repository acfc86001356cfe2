import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article
from issues.models import Issue
from issues.services import issue_preflight


def test_demo_data_is_a_published_issue_and_loads_twice_without_duplicates(
    db, capsys, settings
):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")
    issue = Issue.objects.get()
    assert issue.is_published
    assert issue.masthead_number == "2023 年 第八期（总第二十六期）"
    assert issue_preflight(issue=issue).ok
    assert Article.objects.count() == 5
    assert [t.to_status for t in issue.transitions.order_by("id")] == [
        "review",
        "approved",
        "published",
    ]
    out = capsys.readouterr().out
    assert "editor" in out
    assert "demo-chief-pass" in out


def test_demo_data_refuses_to_run_in_production(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
