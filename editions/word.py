"""The Word edition: the same content as the PDF, as a .docx editors can rework.

python-docx has no API for fields, hyperlinks or East Asian fonts, so those few
elements are written as WordprocessingML directly.
"""

import datetime
import io
import logging
import re
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils import timezone
from django.utils.translation import pgettext
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from editions import libreoffice
from editions.printing import DOCUMENT_LANGUAGE

logger = logging.getLogger(__name__)

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"


@dataclass
class _Entry:
    """A line of the 目录: a heading, its bookmark and the run showing its page."""

    level: int
    text: str
    bookmark: str
    page_run: object = None


def render_docx(context: dict, *, page_numbers: bool = True) -> bytes:
    """Cover block, contents (a TOC field whose stored result already shows the
    page numbers), the sections, then the 更正 page if the issue was corrected.

    The pages come from laying the file out once with LibreOffice; the contents
    has one line per heading whatever the numbers, so they do not move anything.
    """
    document = Document()
    _set_up_page_and_styles(document)
    _set_properties(document, context)
    entries = _contents_entries(context)
    _write_cover(document, context)
    _write_contents(document, entries)
    headings = iter(entries)
    for section, articles in context["toc"]:
        _write_section(document, section, articles, headings)
    if context["corrections"]:
        _write_corrections(document, context["corrections"], next(headings))
    content = _saved(document)
    if not page_numbers:
        return content
    if not libreoffice.is_available():
        logger.warning(
            "EDITIONS_LIBREOFFICE is not set: the Word contents has no pages"
        )
        return content
    try:
        laid_out = libreoffice.heading_pages(content)
    except (OSError, subprocess.SubprocessError):
        # Titles without numbers beat no Word edition at all.
        logger.exception("LibreOffice could not lay out the Word edition")
        return content
    if not _fill_in_pages(entries, laid_out):
        return content
    return _saved(document)


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _contents_entries(context: dict) -> list[_Entry]:
    """Every heading of levels 1-2 in reading order, as the TOC field collects them."""
    texts = []
    for section, articles in context["toc"]:
        texts.append((1, section.name if section else _no_section()))
        texts += [(2, article.title) for article in articles]
    if context["corrections"]:
        texts.append((1, pgettext("printed edition", "Corrections")))
    return [
        _Entry(level, text, f"_Toc{index:05d}")
        for index, (level, text) in enumerate(texts, start=1)
    ]


def _fill_in_pages(entries: list[_Entry], laid_out: list[tuple[str, int]]) -> bool:
    """Numbers as the footers print them: 1 on the page of the first section.
    All or none: False (and nothing written) if a heading was not found."""
    remaining = iter(laid_out)
    pages = []
    for entry in entries:
        page = next((index for text, index in remaining if text == entry.text), None)
        if page is None:
            logger.warning("LibreOffice did not lay out the heading %r", entry.text)
            return False
        pages.append(page)
    for entry, page in zip(entries, pages, strict=True):
        entry.page_run.text = str(page - pages[0] + 1)
    return True


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
    # Spell checking and East Asian layout in Chinese (the template says en-US).
    language = styles.element.find(qn("w:docDefaults")).find(
        qn("w:rPrDefault") + "/" + qn("w:rPr")
    )
    lang = language.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        language.append(lang)
    lang.set(qn("w:val"), DOCUMENT_LANGUAGE)
    lang.set(qn("w:eastAsia"), DOCUMENT_LANGUAGE)


def _set_properties(document, context: dict) -> None:
    """Core properties: the issue's, never the template's (python-docx, 2013, en-US)."""
    issue = context["issue"]
    publication = issue.publication
    published = _midnight(issue.publish_date) if issue.publish_date else None
    created = published or issue.created_at
    corrected = [_midnight(c.date) for c in context["corrections"]]
    properties = document.core_properties
    properties.title = f"{publication.name} {issue.masthead_number}"
    properties.subject = issue.period_display
    properties.author = publication.publisher
    properties.last_modified_by = publication.publisher
    properties.comments = ""
    properties.keywords = ""
    properties.category = publication.name
    properties.language = DOCUMENT_LANGUAGE
    properties.created = created
    properties.modified = max([created, *corrected])
    properties.revision = 1 + len(corrected)


def _midnight(day: datetime.date) -> datetime.datetime:
    """The day's start where the office is, in UTC (how core properties store it)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    return start.astimezone(datetime.UTC)


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
    run._r.append(char)


def _field(paragraph, instruction_text: str, result: str = ""):
    """A complete field (begin, instruction, separate, result, end) in one
    paragraph; returns the run holding the stored result."""
    _field_char(paragraph.add_run(), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = instruction_text
    paragraph.add_run()._r.append(instruction)
    _field_char(paragraph.add_run(), "separate")
    result_run = paragraph.add_run(result)
    _field_char(paragraph.add_run(), "end")
    return result_run


def _write_contents(document, entries: list[_Entry]) -> None:
    """A TOC field over headings 1-2 whose stored result is the finished contents:
    each line a title, a dot leader and a PAGEREF to the heading's bookmark, so
    Word and LibreOffice show it as is, without asking to update fields."""
    _centered(document, pgettext("printed edition", "Contents"), 15, bold=True)
    opening = document.add_paragraph()
    _field_char(opening.add_run(), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = ' TOC \\o "1-2" \\h \\z \\u '
    opening.add_run()._r.append(instruction)
    _field_char(opening.add_run(), "separate")
    page = document.sections[0]
    text_width = page.page_width - page.left_margin - page.right_margin
    for entry in entries:
        line = document.add_paragraph()
        line.paragraph_format.tab_stops.add_tab_stop(
            text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        if entry.level == 2:
            line.paragraph_format.left_indent = Cm(0.75)
        line.add_run(entry.text).bold = entry.level == 1
        line.add_run("\t")
        entry.page_run = _field(line, f" PAGEREF {entry.bookmark} \\h ")
    closing = document.add_paragraph()
    _field_char(closing.add_run(), "end")


def _heading(document, text: str, level: int, entry: _Entry):
    """A heading with the bookmark its line in the contents points to."""
    heading = document.add_heading(text, level=level)
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), entry.bookmark.removeprefix("_Toc").lstrip("0"))
    start.set(qn("w:name"), entry.bookmark)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), start.get(qn("w:id")))
    heading._p.insert(1, start)
    heading._p.append(end)
    return heading


def _number_pages(section) -> None:
    """The body's footer: the page number (a PAGE field), 1 on the first section's
    first page, as in the PDF; cover and contents carry none."""
    section.footer.is_linked_to_previous = False
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, " PAGE ", "1")
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    section._sectPr.append(numbering)


def _new_page_section(document, name: str, entry: _Entry) -> None:
    """A new page under a running header, opened by a level-1 heading."""
    new_page = document.add_section(WD_SECTION.NEW_PAGE)
    new_page.header.is_linked_to_previous = False
    new_page.header.paragraphs[0].text = name
    new_page.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if len(document.sections) == 2:
        _number_pages(new_page)
    else:
        # python-docx copies the previous section's properties: keep its footer,
        # but count on instead of restarting at 1.
        for restart in new_page._sectPr.findall(qn("w:pgNumType")):
            new_page._sectPr.remove(restart)
    _heading(document, name, 1, entry)


def _write_section(document, section, articles, headings) -> None:
    name = section.name if section else _no_section()
    _new_page_section(document, name, next(headings))
    for article in articles:
        _write_article(document, article, next(headings))


def _write_corrections(document, corrections, entry: _Entry) -> None:
    _new_page_section(document, pgettext("printed edition", "Corrections"), entry)
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


def _write_article(document, article, entry: _Entry) -> None:
    _heading(document, article.title, 2, entry)
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
