"""The PDF edition reads back through the archive importer: what we print, we can import."""

import io

import pytest
from django.core.management import call_command

from archive import SAMPLE_ISSUE_PATH as SAMPLE_PATH
from articles.models import Article
from editions.models import Edition
from editions.services import render_edition
from issues.models import Issue


def _contents(issue: Issue) -> list[tuple[str, str, str, str]]:
    return [
        (section.name, a.title, str(a.source or ""), f"{a.source_date or ''}")
        for section, articles in issue.table_of_contents()
        for a in articles
    ]


def _import(path) -> None:
    call_command("import_issue", str(path), "--replace", stdout=io.StringIO())


@pytest.fixture
def sample_issue(db):
    _import(SAMPLE_PATH)
    issue = Issue.objects.get(year=2023, number=8)
    for index, article in enumerate(
        Article.objects.filter(issue=issue).in_print_order()
    ):
        # Book recommendations are titled by the book, as the importer reads them.
        article.title = (
            article.book_title or f"第{index + 1}条：{article.section.name}要闻摘录"
        )
        article.needs_review = False
        article.save()
    return issue


def test_the_pdf_of_an_imported_sample_imports_again_intact(sample_issue, tmp_path):
    expected = _contents(sample_issue)
    content, _fingerprint, _pages, print_pages = render_edition(
        sample_issue, Edition.Kind.PDF
    )
    printed = [print_pages[a.pk] for a in sample_issue.articles.in_print_order()]
    pdf_path = tmp_path / "xinxi-zhaibian-2023-08.pdf"
    pdf_path.write_bytes(content)

    _import(pdf_path)

    reimported = Issue.objects.get(year=2023, number=8)
    # Replacing a draft updates it in place: the issue keeps its id and address.
    assert reimported.pk == sample_issue.pk
    assert reimported.cumulative_number == 26
    assert reimported.period_display == "2023.07.16-2023.08.15"
    assert _contents(reimported) == expected
    # Running heads (信息摘编 · 栏目) and page numbers stay out of the bodies.
    for article in reimported.articles.all():
        assert "信息摘编 ·" not in article.body, article.title
    assert [a.print_page for a in reimported.articles.in_print_order()] == printed


def test_the_corrections_page_of_an_edition_is_not_read_as_a_section(
    sample_issue, chief
):
    from archive.importers import parse_file
    from articles import corrections

    Issue.objects.filter(pk=sample_issue.pk).update(status=Issue.Status.PUBLISHED)
    article = sample_issue.articles.in_print_order().first()
    article.title = "更正后的标题"
    corrections.correct(
        user=chief, reason="标题有误", articles=[article], apply=article.save
    )
    content, *_rest = render_edition(sample_issue, Edition.Kind.PDF)

    parsed = parse_file("corrected.pdf", content)

    names = [section.name for section, _articles in sample_issue.table_of_contents()]
    assert [section.name for section in parsed.sections] == names
    assert len(parsed.items) == sample_issue.articles.count()
