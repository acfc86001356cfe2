"""Word files typed from back issues: Heading 1 is a section, Heading 2 an article
title, Heading 3 a sub-heading, and everything else a paragraph as written."""

import io
import zipfile

from django.utils.translation import gettext

from archive.importers import PARAGRAPH, ParseError, limits
from archive.importers.assemble import IssueAssembler
from archive.importers.lines import Line

STYLE_ROLES = {"heading 1": "section", "heading 2": "title", "heading 3": "subheading"}


def parse_docx(data: bytes, known_sections=(), progress=None):
    import docx

    limits.check_docx_archive(data)
    budget = limits.Budget.start(progress, PARAGRAPH)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ParseError(
            0, gettext("a valid Word (.docx) file"), found=str(error), unit=PARAGRAPH
        ) from None
    # By style id, looked up once: python-docx resolves `paragraph.style` by
    # scanning every style, for each paragraph.
    roles = {
        style.style_id: STYLE_ROLES[style.name.lower()]
        for style in document.styles
        if style.name and style.name.lower() in STYLE_ROLES
    }
    lines = []
    paragraphs = document.paragraphs
    for number, paragraph in enumerate(paragraphs, start=1):
        budget.reached(number, len(paragraphs))
        text = paragraph.text.strip()
        budget.count(text)
        if not text:
            continue
        lines.append(
            Line(
                text=text,
                number=number,
                role=roles.get(paragraph._p.style, ""),
                whole_paragraph=True,
            )
        )
    return IssueAssembler(lines, known_sections=known_sections, unit=PARAGRAPH).parse()
