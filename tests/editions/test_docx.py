"""The Word edition: same structure as the PDF, real links, Chinese fonts, opens in
LibreOffice."""

import io
import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn

from editions.models import Edition
from editions.services import build_edition
from tests.editions.helpers import pdf_pages, printable_issue


@pytest.fixture
def issue(db):
    return printable_issue(per_section=2, paragraphs=1)


@pytest.fixture
def document(issue):
    return docx.Document(
        io.BytesIO(build_edition(issue, Edition.Kind.DOCX).file.read())
    )


def _headings(document, level):
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def test_sections_are_heading_1_and_titles_heading_2_in_print_order(issue, document):
    toc = issue.table_of_contents()
    assert _headings(document, 1) == [section.name for section, _ in toc]
    assert _headings(document, 2) == [a.title for _, articles in toc for a in articles]

    names = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    expected = []
    for section, articles in toc:
        expected += [section.name, *(a.title for a in articles)]
    assert names == expected


def test_each_article_has_its_source_line_body_and_attachment_link(issue, document):
    article = issue.articles.in_print_order().first()
    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    at = next(
        i
        for i, p in enumerate(paragraphs)
        if p.style.name == "Heading 2" and p.text == article.title
    )
    assert texts[at + 1] == f"{article.source} {article.source_date:%Y-%m-%d}"
    assert texts[at + 2].startswith("为促进民营经济发展壮大")
    policy = article.attachments.get().policy_document
    assert f"附：《{policy.title}》" in texts[at:]


def test_attachment_links_are_real_hyperlinks_in_order(issue, document):
    expected = [
        attachment.policy_document.url
        for _, articles in issue.table_of_contents()
        for article in articles
        for attachment in article.attachments.all()
    ]
    links = [link.address for p in document.paragraphs for link in p.hyperlinks]
    assert links == expected


def test_the_cover_and_a_contents_field(issue, document):
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "信息摘编"
    assert f"（总第{issue.masthead_number.split('总第')[1]}" in texts
    assert "主编：沈习春、薛晓莹" in texts
    assert "目录 CONTENTS" in texts
    body = document.element.body.xml
    assert 'TOC \\o "1-2"' in body
    assert document.settings.element.find(qn("w:updateFields")) is None
    contents = texts[texts.index("目录 CONTENTS") :]
    first_title = issue.articles.in_print_order().first().title
    assert first_title in contents[: len(contents) // 2]


def test_chinese_text_has_east_asian_fonts(document):
    for name in ("Normal", "Heading 1", "Heading 2"):
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) in {"宋体", "黑体"}


def test_libreoffice_opens_the_word_edition(issue, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    # `make test` installs it; without it this test fails rather than pass unseen.
    assert soffice, (
        "LibreOffice is not installed (apt-get install -y --no-install-recommends "
        "libreoffice-writer-nogui): the Word edition was not opened"
    )
    source = tmp_path / "edition.docx"
    source.write_bytes(build_edition(issue, Edition.Kind.DOCX).file.read())
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = "\n".join(pdf_pages((tmp_path / "edition.pdf").read_bytes()))
    assert "信息摘编" in text
    assert issue.articles.in_print_order().first().title in text
    assert "\ufffd" not in text
