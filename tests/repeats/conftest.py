"""The sample issue and reprints of its items, as another outlet would run them."""

import datetime
import re

import pytest
from django.utils.html import escape

from archive import SAMPLE_ISSUE_PATH
from archive.importers.txt_format import parse_txt
from archive.services import issue_import
from articles.models import Article
from bulletin.text import html_to_text
from issues.models import Issue
from tests.factories import SourceFactory

CHANGED_SENTENCE = "记者从有关方面获悉，这项工作将在年内全面推开。"


def reprint(article: Article, *, issue=None, section=None, source=None) -> Article:
    """The item as another outlet reprints it: another title, source and link,
    its paragraphs re-flowed and its middle sentence rewritten."""
    text = "".join(
        "\n".join(
            [
                article.book_title,
                html_to_text(article.body),
                article.book_summary,
                article.book_reason,
            ]
        ).split()
    )
    sentences = [s for s in re.split(r"(?<=[。！？])", text) if s]
    if len(sentences) > 2:
        sentences[len(sentences) // 2] = CHANGED_SENTENCE
    text = "".join(sentences)
    body = "".join(
        f"<p>{escape(text[i : i + 90])}</p>" for i in range(0, len(text), 90)
    )
    return Article.objects.create(
        issue=issue,
        section=section,
        title=f"转载：{article.title[:8]}（综合报道）",
        body=body,
        kind=Article.Kind.NEWS,
        source=source or SourceFactory(name="中国新闻网"),
        source_date=datetime.date(2023, 8, 1),
        original_url=f"https://www.chinanews.com.cn/reprint/{article.pk}.shtml",
    )


@pytest.fixture
def sample(db) -> list[Article]:
    """The items of the sample issue (2023 年第八期), imported as editors do."""
    issue_id = issue_import(parse_txt(SAMPLE_ISSUE_PATH.read_bytes())).issue_id
    issue = Issue.objects.get(pk=issue_id)
    return list(issue.articles.select_related("issue", "section").order_by("pk"))
