"""The PDF edition: real page numbers in the contents, a CJK font, sane layout."""

import io

import pypdf

from editions.models import Edition
from editions.services import build_edition
from tests.editions.helpers import (
    contents_entries,
    pdf_pages,
    printable_issue,
    printed_page_starts,
)


def _fonts(content: bytes) -> set[str]:
    fonts = set()
    for page in pypdf.PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def test_the_contents_gives_the_page_each_article_actually_starts_on(db):
    issue = printable_issue()
    edition = build_edition(issue, Edition.Kind.PDF)
    pages = pdf_pages(edition.file.read())
    titles = list(issue.articles.values_list("title", flat=True))

    entries = contents_entries(pages)
    starts = printed_page_starts(pages, titles)

    assert set(entries) == set(titles)
    assert entries == starts
    assert len(set(entries.values())) > 5, "articles should spread over many pages"


def test_the_cover_carries_the_masthead_and_contacts(db):
    issue = printable_issue()
    cover = pdf_pages(build_edition(issue, Edition.Kind.PDF).file.read())[0]
    for text in (
        "信息摘编",
        "2023 年 第",
        f"（总第{issue.masthead_number.split('总第')[1]}",
        "天津港保税区文教局（图书档案馆、地方志编修办公室）",
        "（022）84925879",
        "www.taeacc.org.cn",
        "zdd@adm.tjftz.gov.cn",
        "主编：沈习春、薛晓莹",
        "副主编：张欣、朱丹丹",
        "2023.07.16-2023.08.15",
    ):
        assert text in cover


def test_sections_start_on_new_pages_under_a_running_header(db):
    issue = printable_issue()
    pages = pdf_pages(build_edition(issue, Edition.Kind.PDF).file.read())
    for section in issue.ordered_sections():
        opening = [text for text in pages if f"\n{section.name}\n" in text]
        assert opening, section.name
        assert opening[0].startswith(f"信息摘编 · {section.name}\n{section.name}\n")


def test_attachments_are_printed_with_their_links(db):
    issue = printable_issue(per_section=1)
    text = "\n".join(pdf_pages(build_edition(issue, Edition.Kind.PDF).file.read()))
    article = issue.articles.first()
    document = article.attachments.get().policy_document
    assert f"附：《{document.title}》\n{document.url}" in text


def test_the_pdf_embeds_a_cjk_font(db):
    content = build_edition(printable_issue(), Edition.Kind.PDF).file.read()
    fonts = _fonts(content)
    assert any("CJK" in font for font in fonts), fonts


def test_the_page_count_is_sane(db):
    issue = printable_issue()
    edition = build_edition(issue, Edition.Kind.PDF)
    sections = issue.ordered_sections().count()
    articles = issue.articles.count()
    reader = pypdf.PdfReader(io.BytesIO(edition.file.read()))
    assert edition.page_count == len(reader.pages)
    # cover + contents + at least a page per section, at most ~3 pages per article
    assert 2 + sections <= len(reader.pages) <= 2 + 3 * articles
    assert round(reader.pages[0].mediabox.width) == pypdf.PaperSize.A4.width


def test_print_pages_are_written_back_and_shown_in_the_web_contents(client, db):
    issue = printable_issue(published=True)
    client.get(issue.get_absolute_url())  # the reading page is now cached
    edition = build_edition(issue, Edition.Kind.PDF)
    entries = contents_entries(pdf_pages(edition.file.read()))

    assert {a.title: a.print_page for a in issue.articles.all()} == entries
    page = client.get(issue.get_absolute_url()).content.decode()
    last = issue.articles.order_by("-print_page").first()
    assert (
        f'{last.title}</a><span class="page" title="印刷页码">{last.print_page}</span>'
        in page
    )


def test_an_unchanged_issue_is_not_rendered_again(db):
    issue = printable_issue(per_section=1)
    first = build_edition(issue, Edition.Kind.PDF)
    again = build_edition(issue, Edition.Kind.PDF)
    assert again.pk == first.pk
    assert again.generated_at == first.generated_at
    assert again.file.name == first.file.name
    assert Edition.objects.filter(issue=issue).count() == 1


def test_a_changed_issue_gets_a_new_file_and_the_old_one_is_kept(db):
    issue = printable_issue(per_section=1)
    first = build_edition(issue, Edition.Kind.PDF)
    article = issue.articles.first()
    article.title = "全新的标题"
    article.save()

    rebuilt = build_edition(issue, Edition.Kind.PDF)

    assert rebuilt.pk != first.pk
    assert rebuilt.fingerprint != first.fingerprint
    assert rebuilt.file.name != first.file.name
    assert "全新的标题" in "\n".join(pdf_pages(rebuilt.file.read()))
    first.refresh_from_db()
    assert first.status == Edition.Status.READY
    assert "全新的标题" not in "\n".join(pdf_pages(first.file.read()))
    assert Edition.objects.latest_ready(issue, Edition.Kind.PDF) == rebuilt
