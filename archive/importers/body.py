"""The body: sections, and within them items, each opened by its source line
(or a typeset title, or a book's fields) and made of the lines up to the next.

`BodyReader` walks the lines once, keeping the section, the item being read, a
title waiting for its item, and the printed page; each finished item's lines are
re-flowed into paragraphs and sorted into body, abstract, keywords, attachments.
"""

import re

from django.utils.html import escape
from django.utils.translation import gettext

from archive.importers.books import fill_book, starts_book
from archive.importers.lines import (
    PAGE_NUMBER_RE,
    SOURCE_DATE_EXAMPLE,
    SOURCE_DATE_RE,
    URL_RE,
    Line,
    Paragraph,
    ends_sentence,
    parse_date,
)
from archive.importers.reflow import (
    ABSTRACT_RE,
    ATTACHMENT_RE,
    KEYWORDS_RE,
    Layout,
)
from archive.importers.structure import (
    BOOK_SECTION_NAME,
    ParsedAttachment,
    ParsedIssue,
    ParsedItem,
    ParsedSection,
)
from articles.models import Article
from bulletin.text import CJK_RANGES

SECTION_HEADING_RE = re.compile(rf"^[{CJK_RANGES}]{{2,8}}$")
# Our own editions end with a page listing the issue's corrections (更正): it
# repeats what the items already say, so reading stops there.
CORRECTIONS_HEADING = "更正"
BOOK_MARK_TITLE_RE = re.compile(r"《[^《》]*(?:〈[^〈〉]*〉[^《》]*)*》")


def section_name(line: Line) -> str:
    return line.text.replace(" ", "").replace("\u3000", "")


def is_section_heading(lines: list[Line], index: int, known_sections) -> bool:
    """Typeset as a section, a catalogue name, or a short Han line followed by
    a source line."""
    line = lines[index]
    if line.role == "section":
        return True
    if line.role:
        return False
    text = section_name(line)
    if text in known_sections:
        return True
    if not SECTION_HEADING_RE.match(text):
        return False
    following = next(
        (later for later in lines[index + 1 :] if not PAGE_NUMBER_RE.match(later.text)),
        None,
    )
    return following is not None and bool(SOURCE_DATE_RE.match(following.text))


class BodyReader:
    def __init__(
        self,
        issue: ParsedIssue,
        lines: list[Line],
        *,
        known_sections,
        layout: Layout,
        unit: str,
        count_pages: bool,
        start_page: int | None,
    ):
        self.issue = issue
        self.lines = lines
        self.known_sections = known_sections
        self.layout = layout
        self.unit = unit
        self.count_pages = count_pages
        self.section: ParsedSection | None = None
        self.item_lines: list[Line] = []
        self.pending_title: list[Line] = []
        self.page = start_page or 1

    def read(self, start: int) -> None:
        after_page_number = False
        for index in range(start, len(self.lines)):
            line = self.lines[index]
            if self.count_pages and PAGE_NUMBER_RE.match(line.text):
                self._printed_page(line)
                after_page_number = True
                continue
            if line.page_break_before and not after_page_number:
                self.page += 1
            after_page_number = False
            if is_section_heading(self.lines, index, self.known_sections):
                self._flush()
                if section_name(line) == CORRECTIONS_HEADING:
                    break
                self._open_section(section_name(line), line)
            else:
                self._read_line(line)
        self._flush()
        self._warn_about_the_end()

    def _printed_page(self, line: Line) -> None:
        printed = int(line.text)
        if printed != self.page + 1:
            self.issue.warn(
                line.number,
                gettext(
                    "Page number %(printed)s differs from page %(counted)s worked out "
                    "from the page breaks; the printed number is kept."
                )
                % {"printed": printed, "counted": self.page + 1},
            )
        self.page = printed

    def _open_section(self, name: str, line: Line) -> None:
        self.section = ParsedSection(name=name, line=line.number)
        self.issue.sections.append(self.section)

    def _read_line(self, line: Line) -> None:
        if line.role == "title":
            self._flush()
            self.pending_title.append(line)
        elif match := SOURCE_DATE_RE.match(line.text):
            self._flush()
            self.item_lines.append(line)
            self._start_item(
                line,
                source=match["source"].strip(),
                source_date=parse_date(match["date"], line, self.unit),
            )
        elif starts_book(line):
            self._flush()
            if self.section is None or self.section.name != BOOK_SECTION_NAME:
                self._open_section(BOOK_SECTION_NAME, line)
            self.item_lines.append(line)
            self._start_item(line, kind=Article.Kind.BOOK)
        elif self.item_lines:
            self.item_lines.append(line)
        elif self.pending_title:
            self.item_lines.append(line)
            self._start_item(line)
            self.issue.warn(
                line.number,
                gettext("The item has no source and date line (such as “%(example)s”).")
                % {"example": SOURCE_DATE_EXAMPLE},
            )
        else:
            self.issue.warn(
                line.number,
                gettext(
                    "A source and date (such as “%(example)s”) should be here; this "
                    "line belongs to no item and was skipped: “%(text)s”"
                )
                % {"example": SOURCE_DATE_EXAMPLE, "text": line.text[:30]},
            )

    def _start_item(self, line: Line, kind: str = "", **fields) -> None:
        title = "".join(part.text for part in self.pending_title)
        self.pending_title.clear()
        page = self.page if self.count_pages else None
        self.section.items.append(
            ParsedItem(
                kind=kind,
                line=line.number,
                title=title,
                title_is_provisional=not title,
                page=line.page if line.page is not None else page,
                **fields,
            )
        )

    def _flush(self) -> None:
        if self.item_lines:
            self._finish_item(self.section.items[-1], self.item_lines)
        self.item_lines = []

    def _warn_about_the_end(self) -> None:
        if self.pending_title:
            self.issue.warn(
                self.pending_title[0].number,
                gettext("A title with no text after it was skipped."),
            )
        last = self.lines[-1]
        if not ends_sentence(last.text) and not URL_RE.match(last.text):
            self.issue.warn(
                last.number,
                gettext(
                    "The file ends in the middle of a sentence (no closing "
                    "punctuation) and may be incomplete; please check the last item."
                ),
            )

    def _finish_item(self, item: ParsedItem, lines: list[Line]) -> None:
        if item.is_book:
            fill_book(self.issue, item, lines)
            return
        if SOURCE_DATE_RE.match(lines[0].text):
            lines = lines[1:]
        paragraphs = _merge_abstract(self.layout.paragraphs(lines))
        html = []
        first_text = ""
        waiting_for_url: list[ParsedAttachment] = []
        for paragraph in paragraphs:
            text = paragraph.text
            if match := ABSTRACT_RE.match(text):
                item.abstract = match["text"]
                item.kind = Article.Kind.RESEARCH
            elif match := KEYWORDS_RE.match(text):
                item.keywords = match["text"]
            elif match := ATTACHMENT_RE.match(text):
                self._warn_missing_url(waiting_for_url)
                waiting_for_url = [
                    ParsedAttachment(title=title, line=paragraph.line)
                    for title in _attachment_titles(match["label"])
                ]
                item.attachments.extend(waiting_for_url)
            elif URL_RE.match(text) and waiting_for_url:
                for attachment in waiting_for_url:
                    attachment.url = text
                waiting_for_url = []
            elif self.layout.is_subheading(paragraph):
                html.append(f"<h3>{escape(text)}</h3>")
            else:
                html.append(f"<p>{escape(text)}</p>")
                first_text = first_text or text
        self._warn_missing_url(waiting_for_url)
        item.body_html = "".join(html)
        if item.title_is_provisional:
            item.title = provisional_title(
                first_text
                or item.abstract
                or (item.attachments[0].title if item.attachments else "")
                or f"{item.source} {item.source_date or ''}".strip()
            )

    def _warn_missing_url(self, attachments) -> None:
        for attachment in attachments:
            self.issue.warn(
                attachment.line,
                gettext(
                    "The attachment “%(title)s” should be followed by a link "
                    "(http…); none was found."
                )
                % {"title": attachment.title},
            )


def _merge_abstract(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """An abstract runs up to the 关键词 line, however many paragraphs it seems."""
    starts = [i for i, p in enumerate(paragraphs) if ABSTRACT_RE.match(p.text)]
    ends = [i for i, p in enumerate(paragraphs) if KEYWORDS_RE.match(p.text)]
    if not starts or not ends or ends[0] <= starts[0] + 1:
        return paragraphs
    start, end = starts[0], ends[0]
    merged = paragraphs[start]
    for paragraph in paragraphs[start + 1 : end]:
        merged.text += paragraph.text
        merged.line_count += paragraph.line_count
    return paragraphs[: start + 1] + paragraphs[end:]


def _attachment_titles(label: str) -> list[str]:
    """One 附 may list several 《titles》 under one link; other labels stay whole."""
    label = label.strip().rstrip("、，,")
    titles = BOOK_MARK_TITLE_RE.findall(label)
    rest = BOOK_MARK_TITLE_RE.sub("", label)
    if titles and not rest.strip(" 、，,和及与"):
        return [title[1:-1].strip() for title in titles]
    return [label]


def provisional_title(text: str, limit: int = 40) -> str:
    """A stand-in headline from the item's opening clauses, for an editor to replace."""
    sentence = re.split(r"[。！？；!?;]", text.strip(), maxsplit=1)[0]
    title = ""
    for clause in re.findall(r"[^，、：,:]+[，、：,:]?", sentence):
        if len(title) + len(clause) > limit:
            break
        title += clause
        if len(title) >= 12:
            break
    if len(title.rstrip("，、：,:")) < 6:
        title = sentence[:limit]
    title = _drop_unclosed_brackets(title.strip().rstrip("，、：,:"))
    if title.startswith("“") and title.endswith("”") and title.count("“") == 1:
        title = title[1:-1]
    return title or gettext("Title to be supplied")


def _drop_unclosed_brackets(title: str) -> str:
    for opener, closer in ("“”", "《》", "（）", "()", "「」", "〈〉"):
        if title.count(opener) > title.count(closer):
            cut = title.rfind(opener)
            title = title[:cut] if cut >= 6 else title.replace(opener, "")
        elif title.count(closer) > title.count(opener):
            title = title.replace(closer, "", title.count(closer) - title.count(opener))
    return title.rstrip("，、：,:")
