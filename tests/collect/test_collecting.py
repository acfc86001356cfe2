"""Collecting makes a candidate item in the pool, with its snapshot, or nothing."""

import datetime
import hashlib
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Source
from collect.extract import Refused
from collect.models import Snapshot
from collect.services import collect
from tests.factories import SourceFactory

PAGES = Path(__file__).parent / "pages"

pytestmark = pytest.mark.django_db


def test_a_wechat_page_becomes_a_pool_item_with_its_provenance_and_snapshot():
    data = (PAGES / "wechat.html").read_bytes()
    article = collect(data)
    article.refresh_from_db()
    assert article.issue is None and article in Article.objects.in_pool()
    assert (article.title, str(article.source), article.author) == (
        "档案数字化转型的三个关键",
        "档案那些事",
        "李明",
    )
    assert article.source.kind == Source.Kind.WECHAT
    assert article.source_date == datetime.date(2023, 8, 20)
    assert article.original_url.startswith("https://mp.weixin.qq.com/s?__biz=")
    assert "<h3>一、统一标准是前提</h3>" in article.body
    snapshot = Snapshot.objects.get(article=article)
    assert snapshot.sha256 == hashlib.sha256(data).hexdigest()
    assert "近年来，各地档案馆" in snapshot.text
    assert "<script" not in snapshot.html
    # Saved as any item is: its history has the first version.
    assert article.history.count() == 1


def test_the_outlet_is_matched_to_the_source_on_file():
    xinhua = SourceFactory(name="新华社", kind=Source.Kind.NEWS_AGENCY)
    article = collect((PAGES / "people.html").read_bytes())
    assert article.source == xinhua
    assert Source.objects.count() == 1


def test_a_new_outlet_is_created_under_its_normalised_name():
    article = collect((PAGES / "chinanews.html").read_bytes())
    assert article.source.name == "中国新闻网"
    assert article.source.kind == Source.Kind.WEBSITE


def test_nothing_is_half_created_when_the_snapshot_cannot_be_stored(monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Snapshot.objects, "create", fail)
    with pytest.raises(RuntimeError):
        collect((PAGES / "chinanews.html").read_bytes())
    assert not Article.objects.exists()
    assert not Source.objects.exists()


def test_a_refused_page_creates_nothing():
    with pytest.raises(Refused):
        collect((PAGES / "deleted_wechat.html").read_bytes())
    assert not Article.objects.exists() and not Snapshot.objects.exists()


def test_the_command_collects_a_batch_past_its_bad_pages(tmp_path):
    missing = tmp_path / "missing.html"
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="2"):
        call_command(
            "collect",
            str(PAGES / "wechat.html"),
            str(PAGES / "list.html"),
            str(missing),
            str(PAGES / "chinanews.mhtml"),
            stdout=out,
            stderr=err,
        )
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "图书馆古籍修复人才培养提速",
        "档案数字化转型的三个关键",
    ]
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert "《档案数字化转型的三个关键》" in lines[0]
    assert "档案那些事" in lines[0] and "2023-08-20" in lines[0]
    assert "https://mp.weixin.qq.com/s?__biz=" in lines[0]
    assert "中国新闻网" in lines[1] and "2023-08-15" in lines[1]
    refused = err.getvalue().splitlines()
    assert len(refused) == 2
    assert "list.html" in refused[0] and "链接列表" in refused[0]
    assert "missing.html" in refused[1] and "无法读取" in refused[1]


def test_the_command_refuses_a_huge_file_without_reading_it(tmp_path, settings):
    settings.MAX_DOCUMENT_UPLOAD_BYTES = 100
    big = tmp_path / "big.html"
    shutil.copy(PAGES / "wechat.html", big)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("collect", str(big), stdout=StringIO(), stderr=err)
    assert "过大" in err.getvalue()
    assert not Article.objects.exists()


def test_links_are_not_fetched_unless_the_setting_allows(settings):
    settings.COLLECT_FETCH = False
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("collect", "https://example.invalid/a.html", stderr=err)
    assert "COLLECT_FETCH" in err.getvalue()


def test_the_command_names_a_back_issue_item_the_page_repeats():
    from tests.factories import ArticleFactory, IssueFactory

    issue = IssueFactory(year=2023, number=8)
    ArticleFactory(
        issue=issue,
        section=issue.ordered_sections()[0],
        title="档案数字化转型的三个关键",
    )
    out = StringIO()
    call_command("collect", str(PAGES / "wechat.html"), stdout=out)
    lines = out.getvalue().splitlines()
    assert (
        lines[1]
        == "  重复：与 2023 年第八期《档案数字化转型的三个关键》链接或标题相同。"
    )
