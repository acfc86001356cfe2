"""原文存档: the archived original, under the rule of the item's own page."""

from pathlib import Path

import pytest
from django.urls import reverse

from articles.models import Article
from collect.services import collect
from tests.factories import IssueFactory, fill_issue, make_user
from tests.issues.test_reading import publish

PAGES = Path(__file__).parent / "pages"

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading_open(settings):
    settings.BULLETIN_REQUIRE_LOGIN = False


@pytest.fixture
def collected():
    return collect((PAGES / "wechat.html").read_bytes())


def place(article, issue):
    article.issue, article.section = issue, issue.ordered_sections()[0]
    article.save()
    return article


def test_a_published_items_snapshot_is_open_to_readers(client, reading_open, collected):
    issue = IssueFactory(number=8)
    fill_issue(issue)
    place(collected, issue)
    publish(issue)
    url = collected.snapshot.get_absolute_url()

    item_page = client.get(collected.get_absolute_url()).content.decode()
    assert f'href="{url}"' in item_page

    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "原文存档" in page
    assert collected.snapshot.sha256 in page
    assert "近年来，各地档案馆加快推进馆藏档案数字化" in page
    assert "var ct" not in page and "visibility" not in page
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    script_src = next(p for p in csp.split("; ") if p.startswith("script-src"))
    assert "unsafe" not in script_src


def test_a_pool_items_snapshot_is_hidden_from_readers(client, reading_open, collected):
    assert client.get(collected.snapshot.get_absolute_url()).status_code == 404
    client.force_login(make_user(username="reader"))
    assert client.get(collected.snapshot.get_absolute_url()).status_code == 404


def test_a_draft_issues_item_snapshot_is_hidden_from_readers(
    client, reading_open, collected
):
    issue = IssueFactory(number=9)
    place(collected, issue)
    assert client.get(collected.snapshot.get_absolute_url()).status_code == 404


def test_editors_open_any_snapshot_from_the_admin_change_page(
    client, editor, collected
):
    client.force_login(editor)
    change = client.get(reverse("admin:articles_article_change", args=[collected.pk]))
    assert change.status_code == 200
    assert f'href="{collected.snapshot.get_absolute_url()}"' in change.content.decode()
    response = client.get(collected.snapshot.get_absolute_url())
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_an_item_without_snapshot_has_no_archive_link(client, editor, collected):
    other = Article.objects.create(title="手工录入的条目", body="<p>正文</p>")
    client.force_login(editor)
    change = client.get(reverse("admin:articles_article_change", args=[other.pk]))
    assert "原文存档" not in change.content.decode()
    assert client.get(reverse("collect:snapshot", args=[other.pk])).status_code == 404
