"""Archival editions: what catalogues, preservation and screen readers read from the
files themselves (PDF/A, tags, XMP, page labels, bookmarks; Word properties, page
numbers and a finished 目录)."""

import datetime
import io
import re
import shutil

import docx
import pypdf
import pytest
from django.urls import reverse
from docx.oxml.ns import qn

from editions import libreoffice
from editions.models import Edition
from editions.services import build_edition
from issues.models import Issue
from tests.editions.helpers import pdf_pages, printable_issue

PUBLISHED_ON = datetime.date(2023, 8, 16)
PUBLISHER = "天津港保税区文教局（图书档案馆、地方志编修办公室）"
WORD_TOC_LINE = re.compile(r"^(?P<title>.+?)\.{3,}(?P<page>\d+)$")


@pytest.fixture
def issue(db):
    return printable_issue(per_section=1, paragraphs=2, publish_date=PUBLISHED_ON)


@pytest.fixture
def pdf(issue):
    content = build_edition(issue, Edition.Kind.PDF).file.read()
    return pypdf.PdfReader(io.BytesIO(content)), pdf_pages(content)


def _outline(reader, items, depth=0):
    for item in items:
        if isinstance(item, list):
            yield from _outline(reader, item, depth + 1)
        else:
            yield depth, item.title, reader.get_destination_page_number(item)


def test_the_pdf_is_pdf_a_3u_tagged_and_in_chinese(pdf):
    reader, _pages = pdf
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "zh-CN"
    assert "/OutputIntents" in root
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="U"' in xmp


def test_the_pdf_xmp_gives_title_publisher_language_and_date(issue, pdf):
    xmp = pdf[0].xmp_metadata
    title = f"信息摘编 {issue.masthead_number}"
    assert xmp.dc_title == {"x-default": title}
    assert xmp.dc_language == ["zh-CN"]
    assert xmp.dc_publisher == [PUBLISHER]
    assert xmp.dc_creator == [PUBLISHER]
    assert [d.date() for d in xmp.dc_date] == [PUBLISHED_ON]
    assert pdf[0].metadata.title == title


def test_page_labels_are_roman_before_the_body_then_the_printed_numbers(pdf):
    reader, pages = pdf
    labels = list(reader.page_labels)
    assert labels[:2] == ["i", "ii"]  # cover and contents
    footers = [text.strip().splitlines()[-1] for text in pages[2:]]
    assert labels[2:] == footers
    assert labels[2] == "1"


def test_the_outline_lists_contents_sections_and_their_items(issue, pdf):
    reader, pages = pdf
    outline = list(_outline(reader, reader.outline))
    expected = [(0, "目录 CONTENTS")]
    for section, articles in issue.table_of_contents():
        expected.append((0, section.name))
        expected += [(1, article.title) for article in articles]
    assert [(depth, title) for depth, title, _page in outline] == expected
    for _depth, title, page in outline:
        assert title in pages[page]


@pytest.fixture
def document(issue):
    return docx.Document(
        io.BytesIO(build_edition(issue, Edition.Kind.DOCX).file.read())
    )


def test_the_word_properties_are_the_issues(issue, document):
    properties = document.core_properties
    assert properties.title == f"信息摘编 {issue.masthead_number}"
    assert properties.author == PUBLISHER
    assert properties.last_modified_by == PUBLISHER
    assert properties.language == "zh-CN"
    # Midnight of the publication day in Tianjin, stored in UTC.
    assert properties.created == datetime.datetime(2023, 8, 15, 16, tzinfo=datetime.UTC)
    assert properties.modified == properties.created
    assert "python-docx" not in document.part.package.core_properties.comments
    lang = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == lang.get(qn("w:eastAsia")) == "zh-CN"


def test_the_body_footer_numbers_pages_from_1_and_the_cover_has_none(document):
    cover, first, *rest = document.sections
    assert not "".join(p.text for p in cover.footer.paragraphs)
    footer = first.footer._element.xml
    assert "PAGE" in "".join(
        t.text for t in first.footer._element.iter(qn("w:instrText"))
    )
    assert 'w:fldCharType="begin"' in footer
    restarts = [s._sectPr.find(qn("w:pgNumType")) for s in document.sections]
    assert restarts[0] is None
    assert restarts[1].get(qn("w:start")) == "1"
    assert all(restart is None for restart in restarts[2:])
    assert all(section.footer.is_linked_to_previous for section in rest)


def test_the_contents_points_at_each_heading_and_asks_no_update(issue, document):
    body = document.element.body
    instructions = [t.text.strip() for t in body.iter(qn("w:instrText"))]
    assert instructions[0] == 'TOC \\o "1-2" \\h \\z \\u'
    references = [i.split()[1] for i in instructions[1:] if i.startswith("PAGEREF")]
    bookmarks = {
        b.get(qn("w:name")): b.getparent() for b in body.iter(qn("w:bookmarkStart"))
    }
    headings = [
        paragraph.text
        for paragraph in document.paragraphs
        if paragraph.style.name in {"Heading 1", "Heading 2"}
    ]
    assert [
        "".join(t.text for t in bookmarks[name].iter(qn("w:t"))) for name in references
    ] == headings
    assert document.settings.element.find(qn("w:updateFields")) is None
    assert "w:dirty" not in body.xml


def test_libreoffice_shows_the_word_contents_with_the_pages_it_prints(issue, settings):
    settings.EDITIONS_LIBREOFFICE = shutil.which("soffice") or shutil.which(
        "libreoffice"
    )
    assert settings.EDITIONS_LIBREOFFICE, "LibreOffice is not installed"
    content = build_edition(issue, Edition.Kind.DOCX).file.read()

    pages = pdf_pages(libreoffice.convert_to_pdf(content))

    entries = {}
    for line in pages[1].splitlines():
        if match := WORD_TOC_LINE.match(line.strip()):
            entries[match["title"]] = int(match["page"])
    titles = list(issue.articles.values_list("title", flat=True))
    sections = [section.name for section in issue.ordered_sections()]
    assert set(entries) == {*titles, *sections}
    printed = {}
    for text in pages[2:]:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        for title in entries:
            if title in lines[:-1]:
                printed.setdefault(title, int(lines[-1]))
    assert printed == entries
    assert len(set(entries.values())) > 3


def test_without_a_working_libreoffice_the_word_edition_lists_titles_only(
    issue, settings
):
    settings.EDITIONS_LIBREOFFICE = shutil.which("false")
    edition = build_edition(issue, Edition.Kind.DOCX)

    assert edition.status == Edition.Status.READY
    document = docx.Document(io.BytesIO(edition.file.read()))
    texts = [p.text for p in document.paragraphs]
    first = issue.articles.in_print_order().first().title
    assert f"{first}\t" in texts  # the line is there, its page left blank


def test_a_draft_word_file_is_served_without_running_libreoffice(
    client, editor, issue, settings, tmp_path
):
    """Drafts are rendered in the editor's request: no seconds of layout there."""
    ran = tmp_path / "ran"
    soffice = tmp_path / "soffice"
    soffice.write_text(f"#!/bin/sh\ntouch {ran}\nexit 1\n")
    soffice.chmod(0o755)
    settings.EDITIONS_LIBREOFFICE = str(soffice)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.APPROVED)
    client.force_login(editor)

    response = client.get(reverse("editions:docx", args=[issue.year, issue.number]))

    assert response.status_code == 200
    assert response.content.startswith(b"PK")
    assert not ran.exists()
    build_edition(issue, Edition.Kind.DOCX)  # a stored build does lay it out
    assert ran.exists()
