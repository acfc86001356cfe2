"""Build issues that fill several pages, and read generated PDFs back."""

import io
import re

import pdfplumber

from issues.models import Issue
from tests.factories import AttachmentFactory, IssueFactory, fill_issue

PARAGRAPH = (
    "<p>"
    + "为促进民营经济发展壮大，中共中央、国务院今日发布意见，提出持续优化民营经济发展环境。"
    * 6
    + "</p>"
)
TOC_ENTRY = re.compile(r"^(?P<title>.+?)\s*\.{3,}\s*(?P<page>\d+)$")


def printable_issue(*, published=False, per_section=2, paragraphs=4, **fields) -> Issue:
    """An issue whose articles are long enough to spread over many pages."""
    issue = IssueFactory(**fields)
    for index, article in enumerate(fill_issue(issue, per_section=per_section)):
        article.body = PARAGRAPH * (paragraphs + index % 3 * 3)
        article.save()
        AttachmentFactory(article=article)
    if published:
        Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
        issue.refresh_from_db()
    return issue


def pdf_pages(content: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def contents_entries(pages: list[str]) -> dict[str, int]:
    """{title: page} from the 目录 pages."""
    entries = {}
    for text in pages[1:]:
        if "目录" not in text and entries:
            break
        for line in text.splitlines():
            if match := TOC_ENTRY.match(line.strip()):
                entries[match["title"].strip()] = int(match["page"])
    return entries


def printed_page_starts(pages: list[str], titles) -> dict[str, int]:
    """{title: the number printed in the footer of the body page where it is set}."""
    starts = {}
    for text in pages:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines or not lines[-1].isdigit():
            continue  # cover and contents carry no page number
        for title in titles:
            if title in lines and title not in starts:
                starts[title] = int(lines[-1])
    return starts
