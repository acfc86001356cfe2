"""The Word edition: the same content as the PDF, as a .docx editors can rework.

python-docx has no API for fields, hyperlinks or East Asian fonts, so those few
elements are written as WordprocessingML directly.
"""

import io
import re
from html.parser import HTMLParser

from django.utils.translation import pgettext
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"


def render_docx(context: dict) -> bytes:
    """Cover block, contents (a TOC field Word refreshes on open), the sections,
    then the 更正 page if the issue was corrected."""
    document = Document()
    _set_up_page_and_styles(document)
    _write_cover(document, context)
    _write_contents(document, context)
    for section, articles in context["toc"]:
        _write_section(document, section, articles)
    if context["corrections"]:
        _write_corrections(document, context["corrections"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_fonts(style_or_run, east_asian: str, size: Pt | None = None, bold=None):
    font = style_or_run.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def _set_up_page_and_styles(document) -> None:
    page = document.sections[0]
    page.page_height, page.page_width = Cm(29.7), Cm(21.0)
    page.top_margin = page.bottom_margin = Cm(2.5)
    page.left_margin = page.right_margin = Cm(2.2)
    styles = document.styles
    _set_fonts(styles["Normal"], BODY_FONT, Pt(11))
    styles["Normal"].paragraph_format.line_spacing = 1.4
    for name, size in (("Title", 36), ("Heading 1", 20), ("Heading 2", 15)):
        _set_fonts(styles[name], HEADING_FONT, Pt(size), bold=True)
        styles[name].font.color.rgb = RGBColor(0, 0, 0)
    # Ask Word to refresh the contents field (page numbers) when the file opens.
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _centered(document, text: str, size: int | None = None, bold=False, style=None):
    paragraph = document.add_paragraph(style=style)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    if size:
        run.font.size = Pt(size)
    run.font.bold = bold
    return paragraph


def _write_cover(document, context: dict) -> None:
    issue = context["issue"]
    publication = issue.publication
    _centered(document, publication.name, style="Title")
    _centered(document, issue.printed_number, 16)
    _centered(document, issue.printed_cumulative_number, 16)
    facts = [publication.publisher, *publication.phone_list]
    facts += [context["website"], publication.email, publication.address]
    if context["chief_editors"]:
        facts.append(
            pgettext("printed edition", "Chief editor: %(names)s")
            % {"names": _names(context["chief_editors"])}
        )
    if context["deputy_editors"]:
        facts.append(
            pgettext("printed edition", "Deputy chief editor: %(names)s")
            % {"names": _names(context["deputy_editors"])}
        )
    facts.append(issue.period_display)
    document.add_paragraph()
    for fact in filter(None, facts):
        _centered(document, fact, 10)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _names(names: list[str]) -> str:
    return pgettext("printed edition: between names", ", ").join(names)


def _no_section() -> str:
    return pgettext("printed edition", "No section")


def _field_char(run, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        char.set(qn("w:dirty"), "true")
    run._r.append(char)


def _write_contents(document, context: dict) -> None:
    """A TOC field over headings 1-2; its stored result lists the titles, so the
    contents reads right even before Word refreshes the page numbers."""
    _centered(document, pgettext("printed edition", "Contents"), 15, bold=True)
    opening = document.add_paragraph()
    _field_char(opening.add_run(), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = ' TOC \\o "1-2" \\h \\z \\u '
    opening.add_run()._r.append(instruction)
    _field_char(opening.add_run(), "separate")
    for section, articles in context["toc"]:
        heading = document.add_paragraph(section.name if section else _no_section())
        heading.runs[0].bold = True
        for article in articles:
            entry = document.add_paragraph(article.title)
            entry.paragraph_format.left_indent = Cm(0.75)
    closing = document.add_paragraph()
    _field_char(closing.add_run(), "end")


def _new_page_section(document, name: str) -> None:
    """A new page under a running header, opened by a level-1 heading."""
    new_page = document.add_section(WD_SECTION.NEW_PAGE)
    new_page.header.is_linked_to_previous = False
    new_page.header.paragraphs[0].text = name
    new_page.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_heading(name, level=1)


def _write_section(document, section, articles) -> None:
    _new_page_section(document, section.name if section else _no_section())
    for article in articles:
        _write_article(document, article)


def _write_corrections(document, corrections) -> None:
    _new_page_section(document, pgettext("printed edition", "Corrections"))
    for correction in corrections:
        item = document.add_paragraph()
        item.add_run(f"{correction.item}（{correction.date:%Y-%m-%d}）").bold = True
        document.add_paragraph(
            pgettext("printed edition", "Reason: %(reason)s")
            % {"reason": correction.reason}
        )
        if correction.fields:
            document.add_paragraph(
                pgettext("printed edition", "Corrected: %(fields)s")
                % {"fields": correction.fields}
            )


def _write_article(document, article) -> None:
    document.add_heading(article.title, level=2)
    byline = " ".join(
        part
        for part in (
            str(article.source) if article.source_id else "",
            f"{article.source_date:%Y-%m-%d}" if article.source_date else "",
        )
        if part
    )
    if byline:
        document.add_paragraph(byline).runs[0].font.size = Pt(10)
    if article.abstract:
        document.add_paragraph(
            pgettext("printed edition", "Abstract: %(abstract)s")
            % {"abstract": article.abstract}
        )
    if article.keywords:
        document.add_paragraph(
            pgettext("printed edition", "Keywords: %(keywords)s")
            % {"keywords": article.keywords}
        )
    if article.is_book:
        for label, value in (
            (pgettext("printed edition", "Book title"), article.book_title),
            (pgettext("printed edition", "Author"), article.book_author),
            (pgettext("printed edition", "Publisher"), article.book_publisher),
            (
                pgettext("printed edition", "Publication date"),
                article.book_publication_date,
            ),
            (pgettext("printed edition", "About the book"), article.book_summary),
            (pgettext("printed edition", "Why we recommend it"), article.book_reason),
        ):
            if value:
                document.add_paragraph(
                    pgettext("printed edition", "%(label)s: %(value)s")
                    % {"label": label, "value": value}
                )
    for kind, text in body_blocks(article.body):
        if kind == "heading":
            document.add_paragraph().add_run(text).bold = True
        else:
            paragraph = document.add_paragraph(text)
            paragraph.paragraph_format.first_line_indent = Pt(22)
    for attachment in article.attachments.all():
        policy = attachment.policy_document
        document.add_paragraph(
            pgettext("printed edition", "Attached: “%(title)s”")
            % {"title": policy.title}
        )
        if policy.url:
            add_hyperlink(document.add_paragraph(), policy.url, policy.url)


def add_hyperlink(paragraph, url: str, text: str):
    """A real, clickable external link (python-docx can read these, not write them)."""
    relation = paragraph.part.relate_to(
        url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True
    )
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.extend([style, colour, underline])
    run.append(properties)
    label = OxmlElement("w:t")
    label.text = text
    run.append(label)
    link.append(run)
    paragraph._p.append(link)
    return link


class _BlockReader(HTMLParser):
    """Split sanitised body HTML into paragraphs and sub-headings, as plain text."""

    BLOCKS = {"p", "h3", "h4", "li", "blockquote", "tr"}
    HEADINGS = {"h3", "h4"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.kind = "paragraph"
        self.text: list[str] = []

    def _flush(self):
        text = re.sub(r"\s+", " ", "".join(self.text)).strip()
        if text:
            self.blocks.append((self.kind, text))
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._flush()
            self.kind = "heading" if tag in self.HEADINGS else "paragraph"
        elif tag == "br":
            self._flush()
        elif tag in {"td", "th"}:
            self.text.append(" ")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self._flush()
            self.kind = "paragraph"

    def handle_data(self, data):
        self.text.append(data)


def body_blocks(html: str) -> list[tuple[str, str]]:
    """[("paragraph" | "heading", text), …] in reading order."""
    reader = _BlockReader()
    reader.feed(html or "")
    reader.close()
    reader._flush()
    return reader.blocks
