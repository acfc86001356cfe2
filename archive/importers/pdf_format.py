"""PDFs of printed issues: the text layer plus typography.

Lines set larger than the body text are headings: the largest size after the cover
marks sections, the next sizes article titles. A bold body-size line directly
before a source line is a title too. Bare page numbers are dropped; each line
keeps the number of its page, which is also what messages refer to.
"""

import io
import re
from collections import Counter

from django.utils.translation import gettext

from archive.importers import PAGE, ParseError, limits
from archive.importers.assemble import IssueAssembler
from archive.importers.lines import PAGE_NUMBER_RE, SOURCE_DATE_RE, Line

HEADING_RATIO = 1.15
# Running heads and feet sit in these top/bottom fractions of the page and repeat,
# apart from numbers, on at least this many pages.
MARGIN_BAND = 0.08
RUNNING_MIN_PAGES = 3
DIGITS_RE = re.compile(r"\d+")


def parse_pdf(data: bytes, known_sections=(), progress=None):
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    budget = limits.Budget.start(progress, PAGE)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            limits.check_pdf(pdf)
            entries = []
            for page in pdf.pages:
                budget.reached(page.page_number, len(pdf.pages))
                budget.check_time()
                for index, line in enumerate(
                    page.extract_text_lines(return_chars=True)
                ):
                    entries.append(
                        (
                            page.page_number,
                            index == 0,
                            *_line_facts(line),
                            line["top"] / page.height,
                        )
                    )
                # Only the facts above are kept: a page's layout is let go once
                # read, so memory does not grow with the page count.
                page.close()
            raw = _without_running_heads(entries)
    except (
        PdfminerException,
        PDFSyntaxError,
        ValueError,
        KeyError,
        TypeError,
    ) as error:
        raise ParseError(
            0, gettext("a valid PDF file"), found=str(error), unit=PAGE
        ) from None
    raw = [entry for entry in raw if entry[2] and not PAGE_NUMBER_RE.match(entry[2])]
    if not raw:
        raise ParseError(
            1,
            gettext("a PDF with a text layer (run text recognition on a scan first)"),
            unit=PAGE,
        )
    lines = [
        Line(text=text, number=page, page=page, page_break_before=first and page > 1)
        for page, first, text, _size, _bold in raw
    ]
    _assign_roles(lines, raw, set(known_sections))
    return IssueAssembler(lines, known_sections=known_sections, unit=PAGE).parse()


def _without_running_heads(raw):
    """Drop running heads and feet (信息摘编 · 热点关注 / 12): the first or last line of
    a page, inside the margin band, starting alike on several pages."""
    last_index = {entry[0]: index for index, entry in enumerate(raw)}
    edges = {
        index
        for index, (page, first, _text, _size, _bold, top) in enumerate(raw)
        if (first or last_index[page] == index)
        and (top < MARGIN_BAND or top > 1 - MARGIN_BAND)
    }
    pages_by_key = {}
    for index in edges:
        pages_by_key.setdefault(_running_key(raw[index][2]), set()).add(raw[index][0])
    running = {
        key for key, pages in pages_by_key.items() if len(pages) >= RUNNING_MIN_PAGES
    }
    kept = [
        entry[:5]
        for index, entry in enumerate(raw)
        if not (index in edges and _running_key(entry[2]) in running)
    ]
    # The first line left on a page still opens that page.
    seen, result = set(), []
    for page, _first, text, size, bold in kept:
        result.append((page, page not in seen, text, size, bold))
        seen.add(page)
    return result


def _running_key(text: str) -> str:
    return DIGITS_RE.sub("#", text.replace(" ", ""))[:4]


def _line_facts(line) -> tuple[str, float, bool]:
    chars = [char for char in line["chars"] if char["text"].strip()]
    if not chars:
        return "", 0.0, False
    size = round(max(char["size"] for char in chars) * 2) / 2
    bold = all("bold" in char["fontname"].lower() for char in chars)
    return line["text"].strip(), size, bold


def _assign_roles(lines, raw, known_sections) -> None:
    sizes = Counter()
    for _page, _first, text, size, _bold in raw:
        sizes[size] += len(text)
    body_size = sizes.most_common(1)[0][0]
    after_cover = [entry for entry in raw if entry[0] > 1] or raw
    heading_sizes = sorted(
        {
            size
            for _p, _f, _t, size, _b in after_cover
            if size >= body_size * HEADING_RATIO
        },
        reverse=True,
    )
    section_size = heading_sizes[0] if len(heading_sizes) > 1 else None
    for index, (line, (_page, _first, text, size, bold)) in enumerate(
        zip(lines, raw, strict=True)
    ):
        if size >= body_size * HEADING_RATIO:
            is_section = size == section_size or text.replace(" ", "") in known_sections
            line.role = "section" if is_section else "title"
        elif (
            bold
            and index + 1 < len(lines)
            and SOURCE_DATE_RE.match(lines[index + 1].text)
        ):
            line.role = "title"
