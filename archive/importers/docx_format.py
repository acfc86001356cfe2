"""Word files typed from back issues: Heading 1 is a section, Heading 2 an article
title, Heading 3 a sub-heading, and everything else a paragraph as written."""

import io
import zipfile

from archive.importers import ParseError, limits
from archive.importers.assemble import IssueAssembler, Line

STYLE_ROLES = {"heading 1": "section", "heading 2": "title", "heading 3": "subheading"}


def parse_docx(data: bytes, known_sections=()):
    import docx

    limits.check_docx_archive(data)
    budget = limits.Budget.start()
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ParseError(
            0, "有效的 Word（.docx）文件", found=str(error), unit="段"
        ) from None
    lines = []
    for number, paragraph in enumerate(document.paragraphs, start=1):
        text = paragraph.text.strip()
        budget.count(text)
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        lines.append(
            Line(
                text=text,
                number=number,
                role=STYLE_ROLES.get(style, ""),
                whole_paragraph=True,
            )
        )
    return IssueAssembler(lines, known_sections=known_sections, unit="段").parse()
