"""The body's rich-text editor: one allow-list, pasted Word and WeChat markup,
removals announced, existing bodies unchanged, and the preview of unsaved edits."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django_prose_editor.config import allowlist_from_extensions

from archive import SAMPLE_ISSUE_PATH
from archive.importers import parse_file
from archive.services import issue_import
from articles.admin import ArticleForm
from articles.models import Article
from bulletin.text import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    RICH_TEXT_EXTENSIONS,
    sanitize_html,
)
from issues.catalogue import STANDARD_SECTIONS
from issues.models import Issue
from tests.articles.test_admin import form_data
from tests.factories import IssueFactory, fill_issue

# Copied from a WeChat article (mp.weixin.qq.com) in Chrome: sections and styled
# spans around the text, a lazily loaded image, bold runs inside spans.
WECHAT_PASTE = """<meta charset='utf-8'><section style="margin: 0px 8px; \
visibility: visible;" data-mpa-powered-by="yiban.io"><section \
style="box-sizing: border-box;"><h2 style="font-size: 17px; color: rgb(0, 82, \
155);"><span style="font-weight: bold;">一、政策要点</span></h2><p \
style="margin-bottom: 0px; line-height: 1.75em; text-indent: 2em;"><span \
style="font-size: 15px; letter-spacing: 1px; font-family: 微软雅黑;">近日，\
商务部等部门联合印发</span><strong><span style="font-size: 15px; color: \
rgb(0, 82, 155);">《关于推动外贸稳规模优结构的意见》</span></strong><span \
style="font-size: 15px;">，提出五方面措施。</span></p><p style="text-align: \
center;"><img class="rich_pages wxw-img" data-src="https://mmbiz.qpic.cn/\
mmbiz_png/abc/640?wx_fmt=png" data-ratio="0.56" style="width: 100%;" \
src="https://mmbiz.qpic.cn/mmbiz_png/abc/640"></p><ul class="list-paddingleft-1" \
style="list-style-type: disc;"><li><p><span style="font-size: 15px;">\
优化跨境结算</span></p></li><li><p><span style="font-size: 15px;">\
扩大出口信用保险</span></p></li></ul><p><span style="font-size: 15px;">\
原文链接：</span><a href="https://www.mofcom.gov.cn/article/zcfb/" \
target="_blank" style="color: rgb(87, 107, 149);" \
data-linktype="2">商务部网站</a></p></section></section>"""

# Copied from Word (Windows, Office 365): a Heading 1, MsoNormal paragraphs, mso-
# styles, <o:p>, a bold run, a table of rankings and a hyperlink.
WORD_PASTE = """<html xmlns:o="urn:schemas-microsoft-com:office:office" \
xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta \
name=Generator content="Microsoft Word 15"><style><!-- p.MsoNormal \
{mso-style-parent:""; margin:0cm; font-family:等线;} --></style></head><body \
lang=ZH-CN style='tab-interval:21.0pt'><!--StartFragment--><h1 \
style='margin-top:17.0pt;mso-outline-level:1'><span \
style='font-family:黑体'>企业排行榜</span><span lang=EN-US><o:p></o:p></span></h1>\
<p class=MsoNormal \
style='text-indent:21.0pt;mso-char-indent-count:2.0'><b><span \
style='font-family:黑体;mso-ascii-font-family:Calibri'>2023年中国企业500强\
</span></b><span lang=EN-US><o:p></o:p></span></p><p class=MsoNormal><span \
style='font-family:宋体'>营业收入总额首次突破</span><span lang=EN-US>100</span>\
<span style='font-family:宋体'>万亿元，详见<a \
href="http://www.cec1979.org.cn/">中国企业联合会</a>。</span><span \
lang=EN-US><o:p>&nbsp;</o:p></span></p><table class=MsoTableGrid border=1 \
cellspacing=0 cellpadding=0 style='border-collapse:collapse;mso-yfti-tbllook:1184'>\
<tr style='mso-yfti-irow:0'><td width=100 valign=top style='width:75pt;\
border:solid windowtext 1.0pt'><p class=MsoNormal><b><span \
style='font-family:宋体'>排名</span></b></p></td><td width=300 valign=top><p \
class=MsoNormal><b><span style='font-family:宋体'>企业名称</span></b></p></td>\
</tr><tr><td><p class=MsoNormal><span lang=EN-US>1</span></p></td><td><p \
class=MsoNormal><span style='font-family:宋体'>国家电网有限公司</span></p></td>\
</tr></table><!--EndFragment--></body></html>"""


def tags_in(html: str) -> set[str]:
    return set(re.findall(r"<([a-z0-9]+)", html))


def test_the_editor_offers_what_the_sanitiser_keeps_and_nothing_else():
    """One definition: the editor's extensions are the sanitiser's allow-list."""
    assert ALLOWED_TAGS == {
        "p", "br", "h3", "h4", "strong", "em", "u", "sub", "sup", "ul", "ol", "li",
        "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td",
    }  # fmt: skip
    widget = ArticleForm.base_fields["body"].widget
    editor_config = widget.get_config()
    assert set(editor_config["extensions"]) >= set(RICH_TEXT_EXTENSIONS)
    assert editor_config["extensions"]["Heading"] == {"levels": [3, 4]}
    derived = allowlist_from_extensions(RICH_TEXT_EXTENSIONS)
    assert derived["tags"] == ALLOWED_TAGS
    assert ALLOWED_ATTRIBUTES["a"] == {"href", "title"}
    assert "Image" not in editor_config["extensions"]


def test_a_wechat_paste_keeps_its_structure_and_loses_its_styles():
    clean = sanitize_html(WECHAT_PASTE)
    assert clean.startswith("<h3>一、政策要点</h3><p>近日，")
    assert "<strong>《关于推动外贸稳规模优结构的意见》</strong>" in clean
    assert (
        "<ul><li><p>优化跨境结算</p></li><li><p>扩大出口信用保险</p></li></ul>" in clean
    )
    assert (
        '<a href="https://www.mofcom.gov.cn/article/zcfb/" rel="noopener noreferrer">'
        "商务部网站</a>"
    ) in clean
    assert "近日，商务部等部门联合印发" in clean
    assert tags_in(clean) <= ALLOWED_TAGS
    for gone in ("style=", "<span", "<section", "<img", "data-", "class=", "target"):
        assert gone not in clean


def test_a_word_paste_keeps_paragraphs_bold_tables_and_links_without_mso_markup():
    clean = sanitize_html(WORD_PASTE)
    assert clean.startswith(
        "<h3>企业排行榜</h3><p><strong>2023年中国企业500强</strong></p>"
    )
    assert (
        '<p>营业收入总额首次突破100万亿元，详见<a href="http://www.cec1979.org.cn/" '
        'rel="noopener noreferrer">中国企业联合会</a>。&nbsp;</p>'
    ) in clean
    assert "<table><tbody><tr><td><p><strong>排名</strong></p></td>" in clean
    assert "<td><p>国家电网有限公司</p></td>" in clean
    assert tags_in(clean) <= ALLOWED_TAGS
    for gone in ("mso-", "MsoNormal", "o:p", "<span", "font-family", "<!--", "lang="):
        assert gone not in clean


@pytest.fixture
def draft_item(db):
    issue = IssueFactory(number=9, cumulative_number=27)
    return fill_issue(issue)[0]


def save_body(client, article, body):
    return client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        form_data(article, body=body),
        follow=True,
    )


def test_what_the_sanitiser_removes_is_named_in_a_warning(client, editor, draft_item):
    client.force_login(editor)
    body = (
        '<p style="color:red">正文<img src="/a.png"><img src="/b.png"></p>'
        "<script>alert(1)</script><p><span>段落</span></p>"
    )
    response = save_body(client, draft_item, body)
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert (
        "已移除不支持的内容：图片 2 处、脚本 1 处、样式 1 处、<span> 1 处" in warnings
    )
    draft_item.refresh_from_db()
    assert draft_item.body == "<p>正文</p><p>段落</p>"


def test_a_wechat_paste_saved_without_the_editor_names_what_it_lost(
    client, editor, draft_item
):
    """Without JavaScript the textarea posts the paste as it is; the server cleans
    it and says what went."""
    client.force_login(editor)
    response = save_body(client, draft_item, WECHAT_PASTE)
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert (
        "已移除不支持的内容：图片 1 处、样式 5 处、<meta> 1 处、<section> 2 处、"
        "<span> 7 处"
    ) in warnings
    draft_item.refresh_from_db()
    assert draft_item.body == sanitize_html(WECHAT_PASTE)


def test_a_clean_body_is_saved_without_a_warning(client, editor, draft_item):
    client.force_login(editor)
    response = save_body(client, draft_item, "<h3>小标题</h3><p><u>下划线</u></p>")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert not any("已移除" in m for m in messages)
    draft_item.refresh_from_db()
    assert draft_item.body == "<h3>小标题</h3><p><u>下划线</u></p>"


def test_every_item_of_the_sample_issue_saves_through_the_editor_unchanged(
    client, editor
):
    parsed = parse_file(
        SAMPLE_ISSUE_PATH.name,
        SAMPLE_ISSUE_PATH.read_bytes(),
        known_sections=[name for name, _ in STANDARD_SECTIONS],
    )
    issue = Issue.objects.get(pk=issue_import(parsed).issue_id)
    articles = list(issue.articles.select_related("issue"))
    assert len(articles) == 62
    client.force_login(editor)
    for article in articles:
        before = article.body
        page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
        assert "data-django-prose-editor-configurable" in page.text
        response = save_body(
            client, article, page.context["adminform"].form["body"].value()
        )
        assert response.status_code == 200
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        assert not any("已移除" in m for m in messages), article.title
        article.refresh_from_db()
        assert article.body == before, article.title


def test_a_published_body_reads_as_formatted_text_not_markup(client, editor, db):
    issue = IssueFactory(number=7, cumulative_number=25)
    article = fill_issue(issue)[0]
    Article.objects.filter(pk=article.pk).update(
        body="<h3>小标题</h3><p>第一段<strong>加粗</strong></p>"
    )
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "<h3>小标题</h3><p>第一段<strong>加粗</strong></p>" in page.text
    assert "&lt;p&gt;" not in page.text
    assert "&lt;h3&gt;" not in page.text


def test_the_editor_loads_under_the_csp_with_a_nonce_for_its_import_map(
    client, editor, draft_item
):
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[draft_item.pk]))
    nonce = re.search(r'<script type="importmap" nonce="([^"]+)"', page.text)[1]
    policy = page.headers["Content-Security-Policy"]
    script_src = policy.split("script-src")[1].split(";")[0]
    assert f"'nonce-{nonce}'" in script_src
    assert "unsafe-inline" not in script_src
    assert "django_prose_editor/configurable.js" in page.text
    catalogue = client.get(reverse("admin:articles_article_jsi18n"))
    assert "\\u63d2\\u5165\\u8868\\u683c" in catalogue.text  # 插入表格
    # A page without the editor names no nonce: nothing inline may run there.
    other = client.get(reverse("admin:articles_article_changelist"))
    assert "nonce-" not in other.headers["Content-Security-Policy"]


def preview_url(article=None):
    if article is None:
        return reverse("admin:articles_article_preview")
    return reverse("admin:articles_article_preview", args=[article.pk])


def test_the_preview_shows_the_unsaved_title_and_body_and_saves_nothing(
    client, editor, draft_item
):
    before = Article.objects.values().get(pk=draft_item.pk)
    history = draft_item.history.count()
    client.force_login(editor)
    response = client.post(
        preview_url(draft_item),
        form_data(
            draft_item,
            title="尚未保存的标题",
            body="<h3>新的小标题</h3><p>尚未保存的<strong>正文</strong></p>",
        ),
    )
    assert response.status_code == 200
    assert "<h1>尚未保存的标题</h1>" in response.text
    assert (
        '<div class="body"><h3>新的小标题</h3><p>尚未保存的<strong>正文</strong></p></div>'
        in (response.text)
    )
    assert "预览" in response.text
    assert "no-cache" in response.headers["Cache-Control"]
    assert Article.objects.values().get(pk=draft_item.pk) == before
    assert draft_item.history.count() == history


def test_a_new_item_is_previewed_from_the_add_form_without_being_created(
    client, editor, draft_item
):
    count = Article.objects.count()
    client.force_login(editor)
    new = Article(
        issue=draft_item.issue,
        section=draft_item.section,
        kind=Article.Kind.NEWS,
        title="新条目的标题",
        source=draft_item.source,
        source_date=draft_item.source_date,
    )
    response = client.post(preview_url(), form_data(new, body="<p>新条目正文</p>"))
    assert response.status_code == 200
    assert "<h1>新条目的标题</h1>" in response.text
    assert "<p>新条目正文</p>" in response.text
    assert Article.objects.count() == count


def test_the_preview_names_fields_that_do_not_validate_yet(client, editor, draft_item):
    client.force_login(editor)
    response = client.post(preview_url(draft_item), form_data(draft_item, title=""))
    assert response.status_code == 200
    assert "标题" in response.text.split('class="preview-banner"')[1].split("</p>")[0]


def test_a_reader_cannot_use_the_preview(client, reader, draft_item):
    client.force_login(reader)
    response = client.post(preview_url(draft_item), form_data(draft_item))
    assert response.status_code == 302
    assert "/admin/login/" in response.headers["Location"]


def test_an_editor_cannot_preview_changes_to_a_published_item(client, editor, db):
    issue = IssueFactory(number=7, cumulative_number=25)
    article = fill_issue(issue)[0]
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    client.force_login(editor)
    response = client.post(preview_url(article), form_data(article, title="改"))
    assert response.status_code == 403


def test_the_preview_is_post_only_and_csrf_protected(editor, draft_item):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get(preview_url(draft_item)).status_code == 405
    response = client.post(preview_url(draft_item), form_data(draft_item))
    assert response.status_code == 403


def test_the_change_form_offers_the_preview_in_a_new_tab(client, editor, draft_item):
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[draft_item.pk]))
    assert f'formaction="{preview_url(draft_item)}" formtarget="_blank"' in page.text
    add = client.get(reverse("admin:articles_article_add"))
    assert f'formaction="{preview_url()}" formtarget="_blank"' in add.text
