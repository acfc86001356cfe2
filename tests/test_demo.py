import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article
from issues.models import Issue


def test_demo_data_is_the_sample_issue_published_and_loads_twice_without_duplicates(
    db, capsys, settings
):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")
    issue = Issue.objects.get()
    assert issue.is_published
    assert issue.masthead_number == "2023 年 第八期（总第二十六期）"
    # 58 reprinted items and 4 book recommendations, counted in the sample file.
    assert Article.objects.filter(issue=issue).count() == 62
    assert [s.name for s in issue.ordered_sections()] == [
        "热点关注", "行业动向", "国际视野", "国内动态", "自贸专题", "国研专稿", "企业排行榜", "新书推荐",
    ]  # fmt: skip
    # Published through the workflow, by the declared demo loader.
    transition = issue.transitions.get()
    assert (transition.user, transition.system_actor) == (None, "演示数据")
    assert issue.publish_date == issue.period_end
    out = capsys.readouterr().out
    assert "editor" in out
    assert "demo-chief-pass" in out


def test_demo_data_refuses_to_run_in_production(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
