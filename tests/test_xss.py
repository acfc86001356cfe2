"""Rich text and every other text field are safe whatever an editor or a file puts in."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article, Correction
from bulletin.templatetags.rich_text import rich_text
from issues.models import Issue
from tests.factories import (
    ArticleFactory,
    IssueFactory,
    PolicyDocumentFactory,
    SourceFactory,
)

PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">点我</a>',
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '"><script>alert(1)</script>',
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">样式</p>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">数据</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]
DANGEROUS = (
    "<script",
    "onerror",
    "onload",
    "javascript:",
    "<iframe",
    "<svg",
    "<style",
    "data:text",
)


class MarkupAudit(HTMLParser):
    """Collects elements and attributes that could run script, as a browser parses them."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "svg", "math", "object", "embed", "style"):
            if not (tag == "script" and self._is_our_static_file(attrs)):
                self.problems.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if (
                name in ("href", "src")
                and value
                and value.strip().lower().startswith(("javascript:", "data:"))
            ):
                self.problems.append(f"{tag}[{name}={value[:20]}]")

    @staticmethod
    def _is_our_static_file(attrs) -> bool:
        """A page's own script, loaded from our static files (the CSP allows no
        other): no text field can make one run anything but what we ship."""
        src = dict(attrs).get("src") or ""
        return src.startswith(settings.STATIC_URL) and ".." not in src


def script_in(html: str) -> list[str]:
    audit = MarkupAudit()
    audit.feed(html)
    return audit.problems


def assert_safe(html: str):
    lowered = html.lower()
    for marker in DANGEROUS:
        assert marker not in lowered, marker


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rich_text_is_cleaned_when_saved(db, payload):
    article = ArticleFactory(body=f"<p>正文</p>{payload}")
    article.refresh_from_db()
    assert_safe(article.body)
    assert "<p>正文</p>" in article.body


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rich_text_is_cleaned_when_shown_even_if_stored_raw(db, payload):
    assert_safe(rich_text(payload))


@pytest.fixture
def published_with_payloads(db):
    issue = IssueFactory(number=8, cumulative_number=26)
    section = issue.ordered_sections().first()
    payload = "".join(PAYLOADS)
    short = "".join(PAYLOADS[:3])  # fits the 200-300 character fields
    article = ArticleFactory(
        issue=issue,
        section=section,
        title=f"标题{short}",
        abstract=f"摘要{payload}",
        keywords=f"关键词{short}",
        author=short,
        source=SourceFactory(name=f"来源{PAYLOADS[0]}"),
        kind="research",
    )
    # Written past the model's cleaning, as a raw database edit or old import would.
    Article.objects.filter(pk=article.pk).update(body=f"<p>正文</p>{payload}")
    article.tags.set([f"标签{PAYLOADS[1]}"])
    document = PolicyDocumentFactory(title=f"政策{short}")
    article.policy_documents.add(document)
    Correction.objects.create(
        issue=issue,
        article=article,
        reason=f"更正{payload}",
        changes=[{"field": f"标题{short}", "before": payload, "after": payload}],
    )
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    return article


def test_no_page_renders_a_payload_from_any_text_field(
    client, published_with_payloads, chief
):
    article = published_with_payloads
    urls = [
        reverse("issues:home"),
        reverse("issues:detail", args=[article.issue.year, article.issue.number]),
        article.get_absolute_url(),
        reverse("articles:policies"),
        reverse("articles:source", args=[article.source_id]),
        reverse("issues:section", args=[article.section_id]),
        reverse("issues:feed-articles-atom"),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert script_in(html) == [], url
    client.force_login(chief)
    for url in (
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:issues_issue_change", args=[article.issue_id]),
        reverse("admin:articles_article_changelist"),
    ):
        html = client.get(url).content.decode()
        # The admin has its own scripts; none of ours may appear.
        assert "<script>alert('x')</script>" not in html, url
        assert not [p for p in script_in(html) if "onerror" in p or "onload" in p], url


def test_an_imported_file_cannot_bring_script_into_the_pages(client, chief):
    from archive import SAMPLE_ISSUE_PATH
    from archive.importers import parse_file
    from archive.services import issue_import

    text = SAMPLE_ISSUE_PATH.read_text(encoding="utf-8")
    anchor = "为促进民营经济发展壮大，中共中央、国务院今日发布"
    text = text.replace(anchor, "".join(PAYLOADS) + anchor, 1)
    summary = issue_import(
        parse_file("issue.txt", text.encode()), publish=True, user=chief
    )
    issue = Issue.objects.get(pk=summary.issue_id)
    article = issue.articles.in_print_order().first()
    assert "&lt;script&gt;" in article.body  # kept as text, escaped
    assert script_in(article.body) == []
    for url in (issue.get_absolute_url(), article.get_absolute_url()):
        assert script_in(client.get(url).content.decode()) == [], url
