"""Word and PDF files carry real titles: they are used and need no review."""

import io

import pytest

from archive.importers import parse_file
from archive.services import issue_import
from articles.models import Article
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db

MASTHEAD = [
    "2023 年 第九期",
    "（总第二十七期）",
    "天津港保税区文教局（图书档案馆、地方志编修办公室）",
    "信息摘编",
    "主  编：沈习春",
    "副主编：张  欣",
    "2023.08.16-2023.09.15",
]

# (section, [(title, source line, paragraphs)])
CONTENT = [
    (
        "热点关注",
        [
            (
                "民营经济发展壮大意见发布",
                "人民日报 2023-08-19",
                ["为促进民营经济发展壮大，中共中央、国务院今日发布意见。", "附：《关于促进民营经济发展壮大的意见》", "https://mp.weixin.qq.com/s/NNbwViL99UPMlgtxYihBhQ"],
            ),
            (
                "自贸试验区建设十周年",
                "环球网 2023-08-20",
                ["今年是自贸试验区建设十周年。", "商务部将全面推进实施自贸试验区提升战略。"],
            ),
        ],
    ),
    (
        "国研专稿",
        [
            (
                "人工智能与文化创意产业融合发展研究",
                "《产业追踪》 2023-08-31",
                ["摘要：人工智能技术是具有通用目的的战略技术。", "关键词：人工智能，文化创意产业", "从工业时代到智联时代，科技革新带来跨越发展。"],
            ),
        ],
    ),
]  # fmt: skip

TITLES = [
    "民营经济发展壮大意见发布",
    "自贸试验区建设十周年",
    "人工智能与文化创意产业融合发展研究",
]


def build_docx() -> bytes:
    import docx

    document = docx.Document()
    for line in MASTHEAD:
        document.add_paragraph(line)
    for section, articles in CONTENT:
        document.add_heading(section, level=1)
        for title, source, paragraphs in articles:
            document.add_heading(title, level=2)
            document.add_paragraph(source)
            for text in paragraphs:
                document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def build_pdf() -> bytes:
    """Cover on page 1; sections 18 pt, titles 14 pt, body 10.5 pt, one section a page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    y = 760
    for line in MASTHEAD:
        pdf.setFont("STSong-Light", 12)
        pdf.drawString(72, y, line)
        y -= 24
    for page_number, (section, articles) in enumerate(CONTENT, start=1):
        pdf.showPage()
        y = 760
        pdf.setFont("STSong-Light", 18)
        pdf.drawString(72, y, section)
        y -= 36
        for title, source, paragraphs in articles:
            pdf.setFont("STSong-Light", 14)
            pdf.drawString(72, y, title)
            y -= 24
            pdf.setFont("STSong-Light", 10.5)
            for text in [source, *paragraphs]:
                pdf.drawString(72, y, text)
                y -= 18
            y -= 12
        pdf.setFont("STSong-Light", 9)
        pdf.drawString(300, 40, str(page_number))
    pdf.save()
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "build"), [("issue.docx", build_docx), ("issue.pdf", build_pdf)]
)
def test_round_trip_keeps_real_titles(name, build):
    publication = PublicationFactory()
    parsed = parse_file(name, build())
    assert (parsed.year, parsed.number, parsed.cumulative_number) == (2023, 9, 27)
    assert parsed.chief_editors == ["沈习春"] and parsed.deputy_editors == ["张欣"]
    assert [s.name for s in parsed.sections] == ["热点关注", "国研专稿"]

    summary = issue_import(parsed, publication=publication.slug)
    articles = list(Article.objects.filter(issue_id=summary.issue_id).in_print_order())
    assert [a.title for a in articles] == TITLES
    assert not any(a.needs_review for a in articles)
    assert [a.source.name for a in articles] == ["人民日报", "环球网", "产业追踪"]
    assert (
        articles[0].body
        == "<p>为促进民营经济发展壮大，中共中央、国务院今日发布意见。</p>"
    )
    assert [d.url for d in articles[0].policy_documents.all()] == [
        "https://mp.weixin.qq.com/s/NNbwViL99UPMlgtxYihBhQ"
    ]
    assert articles[2].kind == "research"
    assert articles[2].abstract == "人工智能技术是具有通用目的的战略技术。"
    assert articles[2].keywords == "人工智能，文化创意产业"
    assert summary.needs_review == 0


def test_pdf_pages_come_from_the_page_the_article_starts_on():
    parsed = parse_file("issue.pdf", build_pdf())
    assert [item.print_page for item in parsed.items] == [2, 2, 3]
