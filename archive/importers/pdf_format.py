"""PDFs of printed issues: the text layer plus typography.

Lines set larger than the body text are headings: the largest size after the cover
marks sections, the next sizes article titles. A bold body-size line directly
before a source line is a title too. Bare page numbers are dropped; each line
keeps the number of its page, which is also what messages refer to.
"""

import io
from collections import Counter

from archive.importers import ParseError
from archive.importers.assemble import (
    PAGE_NUMBER_RE,
    SOURCE_DATE_RE,
    IssueAssembler,
    Line,
)

HEADING_RATIO = 1.15


def parse_pdf(data: bytes, known_sections=()):
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            raw = [
                (page.page_number, index == 0, *_line_facts(line))
                for page in pdf.pages
                for index, line in enumerate(page.extract_text_lines(return_chars=True))
            ]
    except (
        PdfminerException,
        PDFSyntaxError,
        ValueError,
        KeyError,
        TypeError,
    ) as error:
        raise ParseError(0, "有效的 PDF 文件", found=str(error), unit="页") from None
    raw = [entry for entry in raw if entry[2] and not PAGE_NUMBER_RE.match(entry[2])]
    if not raw:
        raise ParseError(1, "带文字层的 PDF（扫描件请先做文字识别）", unit="页")
    lines = [
        Line(text=text, number=page, page=page, page_break_before=first and page > 1)
        for page, first, text, _size, _bold in raw
    ]
    _assign_roles(lines, raw, set(known_sections))
    return IssueAssembler(lines, known_sections=known_sections, unit="页").parse()


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
