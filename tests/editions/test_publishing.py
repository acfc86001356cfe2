"""Publishing builds the editions in the background; readers and editors download them."""

import pytest
from django.urls import reverse

from articles import corrections
from editions.models import Edition
from issues import services
from issues.models import Issue
from tests.editions.helpers import pdf_pages, printable_issue


@pytest.fixture
def approved(db):
    issue = printable_issue(per_section=1)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.APPROVED)
    issue.refresh_from_db()
    return issue


def test_publishing_stores_the_pdf_and_word_editions(
    chief, approved, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_transition(issue=approved, user=chief, name="publish")

    editions = {e.kind: e for e in Edition.objects.filter(issue=approved)}
    assert set(editions) == {"pdf", "docx"}
    assert all(e.status == Edition.Status.READY for e in editions.values())
    assert editions["pdf"].file.storage.exists(editions["pdf"].file.name)
    assert editions["pdf"].file.read(5) == b"%PDF-"
    assert editions["docx"].file.read(2) == b"PK"
    assert approved.articles.filter(print_page__isnull=True).count() == 0


def test_publishing_waits_for_the_commit_before_building(chief, approved):
    services.issue_transition(issue=approved, user=chief, name="publish")
    assert not Edition.objects.filter(issue=approved).exists()


def test_a_correction_to_a_published_article_rebuilds_the_pdf(
    chief, approved, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_transition(issue=approved, user=chief, name="publish")
    before = Edition.objects.latest_ready(approved, "pdf").fingerprint
    article = approved.articles.first()
    article.title = "更正后的标题"

    with django_capture_on_commit_callbacks(execute=True):
        corrections.correct(
            user=chief,
            reason="标题有误",
            articles=[article],
            apply=lambda: article.save(),
        )

    edition = Edition.objects.latest_ready(approved, "pdf")
    assert edition.fingerprint != before
    assert "更正后的标题" in "\n".join(pdf_pages(edition.file.read()))


def test_changes_to_draft_articles_build_nothing(
    db, django_capture_on_commit_callbacks
):
    # A signed-off issue is frozen (bulletin.freezing): only a draft can be edited.
    draft = printable_issue(per_section=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article = draft.articles.first()
        article.title = "草稿中的修改"
        article.save()
    # The only work left for the commit is the cache's second bump.
    assert [callback.__module__ for callback in callbacks] == ["bulletin.caching"]
    assert not Edition.objects.filter(issue=draft).exists()


def test_the_task_skips_an_issue_unpublished_in_the_meantime(approved):
    from editions.tasks import generate_editions

    result = generate_editions.enqueue(issue_id=approved.pk)
    assert result.return_value == []
    assert not Edition.objects.exists()


@pytest.mark.parametrize(
    ("kind", "content_type", "magic"),
    [
        ("pdf", "application/pdf", b"%PDF-"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            b"PK",
        ),
    ],
)
def test_readers_download_a_published_edition(
    client, reader, kind, content_type, magic, django_capture_on_commit_callbacks
):
    issue = printable_issue(published=True, per_section=1)
    client.force_login(reader)
    url = reverse(f"editions:{kind}", args=[issue.year, issue.number])
    # Not built yet: the first request queues the build (run here at once).
    with django_capture_on_commit_callbacks(execute=True):
        assert "正在生成" in client.get(url).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert b"".join(response.streaming_content).startswith(magic)
    assert Edition.objects.latest_ready(issue, kind).status == Edition.Status.READY


def test_readers_get_404_for_the_pdf_of_a_draft(client, reader, approved):
    client.force_login(reader)
    url = reverse("editions:pdf", args=[approved.year, approved.number])
    assert client.get(url).status_code == 404


def test_editors_download_a_draft_pdf_rendered_on_demand(client, editor, approved):
    client.force_login(editor)
    response = client.get(
        reverse("editions:pdf", args=[approved.year, approved.number])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert "no-cache" in response["Cache-Control"]
    assert "%E6%A0%B7%E7%A8%BF.pdf" in response["Content-Disposition"]  # 样稿
    assert not Edition.objects.exists(), "drafts are not stored"


def test_the_issue_page_links_to_the_downloads(client, reader):
    issue = printable_issue(published=True, per_section=1)
    client.force_login(reader)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert reverse("editions:pdf", args=[issue.year, issue.number]) in page
    assert "下载 PDF" in page
    assert reverse("editions:docx", args=[issue.year, issue.number]) in page


def test_the_admin_issue_page_offers_draft_editions(client, editor, approved):
    client.force_login(editor)
    page = client.get(reverse("admin:issues_issue_change", args=[approved.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("editions:pdf", args=[approved.year, approved.number]) in html
    assert "PDF 样稿" in html
    assert "Word 样稿" in html
