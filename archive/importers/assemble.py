"""From classified lines to a ParsedIssue: the part every format shares.

A format parser turns its file into `Line`s (text without layout indentation, a
reference number for messages, page facts, and a role when typography tells one).
This module reads the masthead, the table of contents and the body with a small
line classifier and a state machine, and re-flows each item's lines into
paragraphs.
"""

import datetime
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.utils.html import escape

from archive.importers import ParseError
from archive.importers.structure import (
    BOOK_SECTION_NAME,
    KNOWN_SECTION_KINDS,
    ParsedAttachment,
    ParsedIssue,
    ParsedItem,
    ParsedSection,
)
from bulletin.text import CJK_RANGES, is_cjk, parse_chinese_number

CHINESE_NUMERAL = r"[〇零一二三四五六七八九十百\d]+"

ISSUE_NUMBER_RE = re.compile(
    rf"^(?P<year>\d{{4}})\s*年\s*第\s*(?P<number>{CHINESE_NUMERAL})\s*期$"
)
CUMULATIVE_RE = re.compile(
    rf"^[（(]?\s*总\s*第\s*(?P<number>{CHINESE_NUMERAL})\s*期\s*[）)]?$"
)
PERIOD_RE = re.compile(
    r"^(?P<start>\d{4}\.\d{1,2}\.\d{1,2})\s*[-–—~至]\s*(?P<end>\d{4}\.\d{1,2}\.\d{1,2})$"
)
PHONE_RE = re.compile(r"^[（(]?\d{3,4}[）)\-－]?\s*\d{7,8}$")
EMAIL_RE = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$", re.ASCII)
WEBSITE_RE = re.compile(r"^(?:https?://)?www\.[\w-]+(?:\.[\w-]+)+/?$", re.ASCII)
CHIEF_EDITOR_RE = re.compile(r"^主\s*编\s*[：:]\s*(?P<name>.*)$")
DEPUTY_EDITOR_RE = re.compile(r"^副\s*主\s*编\s*[：:]\s*(?P<name>.*)$")
PERSON_NAME_RE = re.compile(rf"^[{CJK_RANGES}·]{{2,4}}$")
PUBLICATION_NAME_RE = re.compile(rf"^[{CJK_RANGES}]{{2,8}}$")

TOC_HEADING_RE = re.compile(r"^目\s*录")
TOC_ENTRY_RE = re.compile(r"^(?P<title>.*?)\s*[.．…·]{3,}\s*(?P<page>\d{1,3})$")
PAGE_NUMBER_RE = re.compile(r"^\d{1,3}$")

SOURCE_DATE_RE = re.compile(
    r"^(?P<source>[^\s，。；：,;:][^，。；：;]{0,38}?)\s+(?P<date>\d{4}-\d{1,2}-\d{1,2})$"
)
SECTION_HEADING_RE = re.compile(rf"^[{CJK_RANGES}]{{2,8}}$")
BOOK_START_RE = re.compile(r"^书\s*名")
BOOK_FIELD_RE = re.compile(
    r"^(?P<label>书名/著者|书名/作者|书名|著者|作者|出版社/出版日期|出版社|出版日期|内容简介|推荐理由)"
    r"\s*[：:]\s*(?P<value>.*)$"
)
ATTACHMENT_RE = re.compile(r"^附\s*[：:]\s*(?P<label>.*)$")
URL_RE = re.compile(r"^https?://\S+$")
URL_CONTINUATION_RE = re.compile(r"^[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+$")
ABSTRACT_RE = re.compile(r"^摘\s*要\s*[：:]\s*(?P<text>.*)$")
KEYWORDS_RE = re.compile(r"^关\s*键\s*词\s*[：:]\s*(?P<text>.*)$")
NUMBERED_HEADING_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|[(（]\d+[)）]|\d+[.．、])\S"
)
BOOK_MARK_TITLE_RE = re.compile(r"《[^《》]*(?:〈[^〈〉]*〉[^《》]*)*》")

# A paragraph ends on one of these, or on a closing quote right after one: “…。”
SENTENCE_END = "。！？；：…!?"
CLOSING_QUOTES = "”’」』"
# "……，”张三说。" — a short attribution line finishes the quote's paragraph.
ATTRIBUTION_RE = re.compile(r"^[^，。“”\s]{1,12}(?:说|表示|指出|介绍|称)[。，：]$")
# Our own editions end with a page listing the issue's corrections (更正): it
# repeats what the items already say, so reading stops there.
CORRECTIONS_HEADING = "更正"

# A one-line paragraph ending like this is a sentence, not a sub-heading.
NOT_HEADING_END = "。；：…，、,;:”"
DEFAULT_FULL_WIDTH = 30


@dataclass
class Line:
    """One line (or, for Word, one paragraph) of the input, ready to classify."""

    text: str
    number: int
    page_break_before: bool = False
    page: int | None = None
    role: str = ""  # "section", "title" or "subheading" when typography says so
    whole_paragraph: bool = False


@dataclass
class Paragraph:
    text: str
    line: int
    line_count: int
    width: float
    role: str = ""


def display_width(text: str) -> float:
    """Width in em as a CJK font sets it: ideographs and curly quotes one, Latin
    letters and digits half, the thin gap the text layer writes as a space a quarter."""
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> float:
    if char == " ":
        return 0.25
    return 1 if unicodedata.east_asian_width(char) in "WFA" else 0.5


def join_wrapped(parts: list[str]) -> str:
    """Join lines a layout broke; a space goes back only between a number and CJK."""
    out = ""
    for part in parts:
        if out and part and _is_ascii_alnum(out[-1]) != _is_ascii_alnum(part[0]):
            if is_cjk(out[-1]) or is_cjk(part[0]):
                out += " "
        out += part
    return out


def ends_sentence(text: str) -> bool:
    if text[-1] in CLOSING_QUOTES:
        return len(text) > 1 and text[-2] in SENTENCE_END
    return text[-1] in SENTENCE_END


def _is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


class IssueAssembler:
    """Reads classified lines into a ParsedIssue; `count_pages` for text layers."""

    def __init__(self, lines, *, known_sections=(), unit="行", count_pages=False):
        self.lines = [line for line in lines if line.text]
        self.known_sections = set(known_sections) | set(KNOWN_SECTION_KINDS)
        self.unit = unit
        self.count_pages = count_pages
        self.issue = ParsedIssue(line_unit=unit)
        self.full_width = DEFAULT_FULL_WIDTH

    def parse(self) -> ParsedIssue:
        if not self.lines:
            raise ParseError(
                1, "期刊内容（刊头、目录和正文）", found="空文件", unit=self.unit
            )
        toc_start = self._find_toc_start()
        body_start = self._find_body_start(toc_start or 0)
        masthead_end = toc_start if toc_start is not None else body_start
        self._read_masthead(self.lines[:masthead_end])
        self._read_toc(self.lines[masthead_end:body_start])
        self.full_width = self._typical_width(self.lines[body_start:])
        self._read_body(body_start)
        self._assign_print_pages()
        return self.issue

    # -- classification -------------------------------------------------

    def _find_toc_start(self):
        for index, line in enumerate(self.lines):
            if TOC_HEADING_RE.match(line.text) or TOC_ENTRY_RE.match(line.text):
                return index
            if self._is_section_heading(index):
                return None
        return None

    def _find_body_start(self, start: int) -> int:
        for index in range(start, len(self.lines)):
            if self._is_section_heading(index):
                return index
        line = self.lines[min(start, len(self.lines) - 1)]
        raise ParseError(
            line.number,
            "栏目标题（如“热点关注”），其后是来源和日期（如“人民日报 2023-07-19”）；"
            "全文没有找到任何栏目",
            unit=self.unit,
        )

    def _is_section_heading(self, index: int) -> bool:
        line = self.lines[index]
        if line.role == "section":
            return True
        if line.role:
            return False
        text = line.text.replace(" ", "").replace("\u3000", "")
        if text in self.known_sections:
            return True
        if not SECTION_HEADING_RE.match(text):
            return False
        following = self._next_content_line(index)
        return following is not None and bool(SOURCE_DATE_RE.match(following.text))

    def _next_content_line(self, index: int):
        for line in self.lines[index + 1 :]:
            if not PAGE_NUMBER_RE.match(line.text):
                return line
        return None

    def _typical_width(self, lines) -> float:
        """The width of a full body line, to tell where a paragraph ends."""
        widths = Counter(
            round(display_width(line.text))
            for line in lines
            if not line.whole_paragraph and display_width(line.text) >= 15
        )
        if not widths:
            return DEFAULT_FULL_WIDTH
        return widths.most_common(1)[0][0]

    # -- masthead -------------------------------------------------------

    def _read_masthead(self, lines) -> None:
        issue = self.issue
        board = None
        before_contacts, after_contacts = [], []
        seen_contact = False
        for line in lines:
            text = line.text
            if match := ISSUE_NUMBER_RE.match(text):
                issue.year = int(match["year"])
                issue.number = self._number(match["number"], line)
            elif match := CUMULATIVE_RE.match(text):
                issue.cumulative_number = self._number(match["number"], line)
            elif match := PERIOD_RE.match(text):
                issue.period_start = self._date(match["start"], line)
                issue.period_end = self._date(match["end"], line)
            elif PHONE_RE.match(text):
                issue.phones.append(re.sub(r"\s+", "", text))
                seen_contact = True
            elif EMAIL_RE.match(text):
                issue.email = text
                seen_contact = True
            elif WEBSITE_RE.match(text):
                url = text.rstrip("/")
                issue.website = url if url.startswith("http") else f"http://{url}"
                seen_contact = True
            elif match := DEPUTY_EDITOR_RE.match(text):
                board = issue.deputy_editors
                self._add_names(board, match["name"])
            elif match := CHIEF_EDITOR_RE.match(text):
                board = issue.chief_editors
                self._add_names(board, match["name"])
            elif board is not None and PERSON_NAME_RE.match(re.sub(r"\s+", "", text)):
                self._add_names(board, text)
            elif TOC_HEADING_RE.match(text) or PAGE_NUMBER_RE.match(text):
                continue
            else:
                board = None
                (after_contacts if seen_contact else before_contacts).append(text)
        issue.address = join_wrapped(after_contacts)
        issue.publication_name, issue.publisher = self._name_and_publisher(
            before_contacts
        )
        first = lines[0].number if lines else self.lines[0].number
        if issue.year is None or issue.number is None:
            raise ParseError(
                first,
                "刊头的年份和期号（如“2023 年 第八期”），文件开头没有找到",
                unit=self.unit,
            )
        if issue.cumulative_number is None:
            raise ParseError(
                first, "刊头的总期号（如“（总第二十六期）”），没有找到", unit=self.unit
            )
        if issue.period_start is None:
            raise ParseError(
                first,
                "刊头的收录期间（如“2023.07.16-2023.08.15”），没有找到",
                unit=self.unit,
            )
        if issue.period_end < issue.period_start:
            raise ParseError(first, "截止日期不早于起始日期的收录期间", unit=self.unit)

    @staticmethod
    def _add_names(board: list[str], text: str) -> None:
        for name in re.split(r"[，,、；;]", text):
            name = re.sub(r"\s+", "", name)
            if name:
                board.append(name)

    @staticmethod
    def _name_and_publisher(texts: list[str]) -> tuple[str, str]:
        """The cover prints publisher then name; the sidebar repeats the publisher
        wrapped over several lines. Find the name between the two copies."""
        for tail in range(1, len(texts)):
            publisher = "".join(texts[-tail:])
            for head in range(1, len(texts) - tail):
                if "".join(texts[:head]) == publisher:
                    name = "".join(texts[head : len(texts) - tail])
                    if PUBLICATION_NAME_RE.match(name):
                        return name, publisher
        names = [text for text in texts if PUBLICATION_NAME_RE.match(text)]
        if not names:
            return "", "".join(texts)
        name = names[-1]
        return name, "".join(text for text in texts if text != name)

    def _number(self, text: str, line: Line) -> int:
        try:
            value = parse_chinese_number(text)
        except ValueError:
            value = 0
        if value < 1:
            raise ParseError(
                line.number, "大于零的期号", found=line.text, unit=self.unit
            )
        return value

    def _date(self, text: str, line: Line) -> datetime.date:
        try:
            return datetime.date(*(int(part) for part in re.split(r"[.\-]", text)))
        except ValueError:
            raise ParseError(
                line.number, "有效日期（年.月.日）", found=text, unit=self.unit
            ) from None

    # -- table of contents ---------------------------------------------

    def _read_toc(self, lines) -> None:
        self.start_page = None
        for line in lines:
            if match := TOC_ENTRY_RE.match(line.text):
                self.issue.toc_pages.append(int(match["page"]))
            elif PAGE_NUMBER_RE.match(line.text):
                self.start_page = int(line.text)

    # -- body -------------------------------------------------------------

    def _read_body(self, start: int) -> None:
        issue = self.issue
        section = None
        item_lines: list[Line] = []
        pending_title: list[Line] = []
        page = self.start_page or 1
        after_page_number = False

        def flush():
            if item_lines:
                self._finish_item(section, item_lines)
            item_lines.clear()

        def start_item(line, kind="", **fields):
            title = "".join(part.text for part in pending_title)
            pending_title.clear()
            item = ParsedItem(
                kind=kind,
                line=line.number,
                title=title,
                title_is_provisional=not title,
                page=line.page if line.page is not None else page_now(),
                **fields,
            )
            section.items.append(item)
            return item

        def page_now():
            return page if self.count_pages else None

        for index in range(start, len(self.lines)):
            line = self.lines[index]
            if self.count_pages and PAGE_NUMBER_RE.match(line.text):
                printed = int(line.text)
                if printed != page + 1:
                    issue.warn(
                        line.number,
                        f"页码 {printed} 与按分页推算的第 {page + 1} 页不一致，以印刷页码为准。",
                    )
                page = printed
                after_page_number = True
                continue
            if line.page_break_before and not after_page_number:
                page += 1
            after_page_number = False

            if self._is_section_heading(index):
                flush()
                name = line.text.replace(" ", "").replace("\u3000", "")
                if name == CORRECTIONS_HEADING:
                    break
                section = ParsedSection(name=name, line=line.number)
                issue.sections.append(section)
            elif line.role == "title":
                flush()
                pending_title.append(line)
            elif match := SOURCE_DATE_RE.match(line.text):
                flush()
                item_lines.append(line)
                start_item(
                    line,
                    source=match["source"].strip(),
                    source_date=self._date(match["date"], line),
                )
            elif BOOK_START_RE.match(line.text) and BOOK_FIELD_RE.match(line.text):
                flush()
                if section is None or section.name != BOOK_SECTION_NAME:
                    section = ParsedSection(name=BOOK_SECTION_NAME, line=line.number)
                    issue.sections.append(section)
                item_lines.append(line)
                start_item(line, kind="book")
            elif item_lines:
                item_lines.append(line)
            elif pending_title:
                item_lines.append(line)
                start_item(line)
                issue.warn(
                    line.number, "条目没有来源和日期行（如“人民日报 2023-07-19”）。"
                )
            else:
                issue.warn(
                    line.number,
                    f"此处应为来源和日期（如“人民日报 2023-07-19”），"
                    f"这一行未归入任何条目，已略过：“{line.text[:30]}”",
                )
        flush()
        if pending_title:
            issue.warn(pending_title[0].number, "标题之后没有正文，已略过。")
        last = self.lines[-1]
        if not ends_sentence(last.text) and not URL_RE.match(last.text):
            issue.warn(
                last.number,
                "文件在一句话中间结束（没有结束标点），可能不完整，请核对最后一个条目。",
            )

    def _finish_item(self, section: ParsedSection, lines: list[Line]) -> None:
        item = section.items[-1]
        if item.kind == "book":
            self._fill_book(item, lines)
            return
        if SOURCE_DATE_RE.match(lines[0].text):
            lines = lines[1:]
        paragraphs = self._merge_abstract(self.reflow(lines))
        html = []
        first_text = ""
        waiting_for_url: list[ParsedAttachment] = []
        for paragraph in paragraphs:
            text = paragraph.text
            if match := ABSTRACT_RE.match(text):
                item.abstract = match["text"]
                item.kind = "research"
            elif match := KEYWORDS_RE.match(text):
                item.keywords = match["text"]
            elif match := ATTACHMENT_RE.match(text):
                self._warn_missing_url(waiting_for_url)
                waiting_for_url = [
                    ParsedAttachment(title=title, line=paragraph.line)
                    for title in self._attachment_titles(match["label"])
                ]
                item.attachments.extend(waiting_for_url)
            elif URL_RE.match(text) and waiting_for_url:
                for attachment in waiting_for_url:
                    attachment.url = text
                waiting_for_url = []
            elif self._is_subheading(paragraph):
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

    @staticmethod
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

    def _warn_missing_url(self, attachments) -> None:
        for attachment in attachments:
            self.issue.warn(
                attachment.line,
                f"附件“{attachment.title}”之后应为链接（http…），没有找到。",
            )

    @staticmethod
    def _attachment_titles(label: str) -> list[str]:
        """One 附 may list several 《titles》 under one link; other labels stay whole."""
        label = label.strip().rstrip("、，,")
        titles = BOOK_MARK_TITLE_RE.findall(label)
        rest = BOOK_MARK_TITLE_RE.sub("", label)
        if titles and not rest.strip(" 、，,和及与"):
            return [title[1:-1].strip() for title in titles]
        return [label]

    def _is_subheading(self, paragraph: Paragraph) -> bool:
        if paragraph.role == "subheading":
            return True
        if paragraph.line_count != 1 or paragraph.role:
            return False
        text = paragraph.text
        if text[-1] in NOT_HEADING_END:
            return False
        if text[-1] in "？！?!":
            return paragraph.width <= 15
        if NUMBERED_HEADING_RE.match(text):
            return paragraph.width <= self.full_width - 0.75
        return self._is_short(text)

    def _is_short(self, text: str) -> bool:
        """Clearly shorter than a full line, so the line ends a paragraph.

        Latin text is set wider than the half em counted for it, and a Latin word
        that does not fit moves whole to the next line, so such lines get slack.
        """
        if _is_ascii_alnum(text[-1]):
            slack = 6
        else:
            slack = 3 + 0.1 * sum(
                1 for char in text if char.isascii() and char.isalpha()
            )
        return display_width(text) < self.full_width - slack

    def reflow(self, lines: list[Line]) -> list[Paragraph]:
        """Join lines a page layout broke into the paragraphs the author wrote.

        A paragraph ends after a line clearly shorter than a full line, or after a
        sentence end when the next line is indented (the text layer drops the
        indent, so the line is shorter than a full one). Labels (附, 摘要, 关键词) and links always start a paragraph.
        """
        paragraphs: list[Paragraph] = []
        previous = None
        for line in lines:
            width = display_width(line.text)
            if previous is not None and self._continues(previous, line, width):
                current = paragraphs[-1]
                current.text += line.text
                current.line_count += 1
                current.width = max(current.width, width)
            else:
                paragraphs.append(
                    Paragraph(line.text, line.number, 1, width, role=line.role)
                )
            previous = line
        return paragraphs

    def _continues(self, previous: Line, line: Line, width: float) -> bool:
        if (
            previous.whole_paragraph
            or line.whole_paragraph
            or line.role
            or previous.role
        ):
            return False
        if URL_RE.match(previous.text):
            return bool(URL_CONTINUATION_RE.match(line.text)) and not URL_RE.match(
                line.text
            )
        if any(
            regex.match(line.text)
            for regex in (ATTACHMENT_RE, URL_RE, ABSTRACT_RE, KEYWORDS_RE)
        ):
            return False
        indented = width <= self.full_width - 0.75
        if NUMBERED_HEADING_RE.match(previous.text) and indented:
            return previous.text[-1] in "，、,"
        if self._is_short(previous.text):
            return False
        if ATTRIBUTION_RE.match(line.text):
            return True
        return not (ends_sentence(previous.text) and indented)

    # -- books ------------------------------------------------------------

    def _fill_book(self, item: ParsedItem, lines: list[Line]) -> None:
        fields: dict[str, list[str]] = {}
        label = None
        for line in lines:
            if match := BOOK_FIELD_RE.match(line.text):
                label = match["label"]
                fields[label] = [match["value"].strip()]
            elif label:
                fields[label].append(line.text)

        def value(*labels):
            for name in labels:
                if name in fields:
                    return "".join(fields[name]).strip()
            return ""

        title_author = value("书名/著者", "书名/作者")
        if title_author:
            title, _, author = title_author.rpartition("/")
            if not title:
                title, author = author, ""
        else:
            title, author = value("书名"), value("著者", "作者")
        publisher_date = value("出版社/出版日期")
        if publisher_date:
            publisher, _, date = publisher_date.rpartition("/")
            if not publisher:
                publisher, date = date, ""
        else:
            publisher, date = value("出版社"), value("出版日期")
        item.book_title = title.strip().strip("《》")
        item.book_author = author.strip()
        item.book_publisher = publisher.strip()
        item.book_publication_date = self._book_date(date.strip(), item.line)
        item.book_summary = value("内容简介")
        item.book_reason = value("推荐理由")
        item.title = item.book_title
        item.title_is_provisional = not item.book_title
        if not item.book_title:
            item.title = "书名待补"
            self.issue.warn(
                item.line, "图书推荐应以“书名/著者：书名/作者”开头，没有读到书名。"
            )

    def _book_date(self, text: str, line: int) -> str:
        match = re.fullmatch(r"(\d{4})(?:\s*[-./年]\s*(\d{1,2})\s*月?)?", text)
        if not text:
            return ""
        if not match:
            self.issue.warn(
                line, f"出版日期应为“2020-08”这样的格式，实际是“{text}”，已留空。"
            )
            return ""
        year, month = match.groups()
        return f"{year}-{int(month):02d}" if month else year

    # -- pages --------------------------------------------------------------

    def _assign_print_pages(self) -> None:
        """Match TOC page numbers to items in order; the book block has one entry."""
        issue = self.issue
        toc = issue.toc_pages
        articles = [item for item in issue.items if item.kind != "book"]
        books = [item for item in issue.items if item.kind == "book"]
        if not toc:
            for item in issue.items:
                item.print_page = item.page
            return
        if len(toc) == len(articles) + (1 if books else 0):
            pages = toc[: len(articles)] + [toc[-1]] * len(books) if books else toc
        elif len(toc) == len(articles) + len(books):
            pages = list(toc)
        else:
            issue.warn(
                0,
                f"目录有 {len(toc)} 个页码，正文读到 {len(articles)} 个条目和 "
                f"{len(books)} 本图书，数目对不上；页码按正文分页推算。",
            )
            for item in issue.items:
                item.print_page = item.page
            return
        for item, page in zip(articles + books, pages, strict=True):
            item.print_page = page
            if item.page is not None and item.page != page:
                issue.warn(
                    item.line,
                    f"目录页码为 {page}，按正文分页推算为第 {item.page} 页，请核对。",
                )


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
    return title or "标题待补"


def _drop_unclosed_brackets(title: str) -> str:
    for opener, closer in ("“”", "《》", "（）", "()", "「」", "〈〉"):
        if title.count(opener) > title.count(closer):
            cut = title.rfind(opener)
            title = title[:cut] if cut >= 6 else title.replace(opener, "")
        elif title.count(closer) > title.count(opener):
            title = title.replace(closer, "", title.count(closer) - title.count(opener))
    return title.rstrip("，、：,:")
