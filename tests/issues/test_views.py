"""Readers see published issues only; editors preview drafts with a banner."""

import pytest
from django.urls import reverse

from issues.models import Issue
from tests.factories import IssueFactory, fill_issue


@pytest.fixture
def draft(db):
    issue = IssueFactory(number=9, cumulative_number=27)
    fill_issue(issue)
    return issue


@pytest.fixture
def published(db):
    issue = IssueFactory(number=8, cumulative_number=26)
    fill_issue(issue)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    issue.refresh_from_db()
    return issue


def test_readers_get_404_for_a_draft(client, reader, draft):
    client.force_login(reader)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.articles.first().get_absolute_url()).status_code == 404


def test_editors_preview_a_draft_with_a_banner_and_no_caching(client, editor, draft):
    client.force_login(editor)
    response = client.get(reverse("issues:preview", args=[draft.pk]))
    assert response.status_code == 200
    assert "预览：本期尚未发布" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_the_home_page_shows_the_latest_published_issue(client, published, draft):
    page = client.get(reverse("issues:home")).content.decode()
    assert "2023 年 第八期（总第二十六期）" in page
    assert "第九期" not in page
    for article in published.articles.all():
        assert article.title in page


def test_an_issue_page_has_the_masthead_and_every_article(client, published):
    page = client.get(published.get_absolute_url()).content.decode()
    assert "天津港保税区文教局（图书档案馆、地方志编修办公室）" in page
    assert "沈习春" in page and "朱丹丹" in page
    assert "预览" not in page
    for article in published.articles.all():
        assert article.get_absolute_url() in page
