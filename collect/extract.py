"""A saved web page (HTML or MHTML, as a browser or WeChat saves it) as an item:
title, body, source outlet and date, author, original link.

trafilatura finds the main text and the metadata of news pages; on top of it a few
rules per platform: WeChat's article markup (#js_content, #js_name, `var ct`), the
"来源：…" line of Chinese news sites, and the chrome both leave in the text
(editor's credits, "阅读 10万+", copyright lines) dropped paragraph by paragraph.
"""

import datetime
import email
import email.policy
import hashlib
import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import charset_normalizer
import lxml.html
import trafilatura
from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from bulletin.text import html_to_text, sanitize_html

# Text shorter than this is no article: a list page, a login wall, an error page.
MIN_TEXT_CHARS = 40
DELETED_WECHAT = (
    "该内容已被发布者删除",
    "此内容因违规无法查看",
    "此内容被投诉且经审核",
)

BLOCKS = {"p", "div", "section", "li", "blockquote", "h1", "h2", "h3", "h4", "h5"}
BLOCKS |= {"h6", "td", "article", "ul", "ol", "table", "tr", "figure"}
HEADINGS = {"h1": "h3", "h2": "h3", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
# Paragraphs that are the page's chrome, not the story; only short ones are
# dropped, so a sentence that merely mentions 来源 stays.
CHROME_MAX_CHARS = 80
CHROME = re.compile(
    r"^[（(【\[]?\s*(来源|编辑|责编|责任编辑|审核|审校|校对|排版|美编|监制|出品"
    r"|作者|原标题|本文来源|文字|图片|图)\s*[：:]"
    r"|阅读\s*\d+(\.\d+)?万?\+?\s*$|版权所有|copyright|©|未经.{0,12}授权"
    r"|^(微信扫一扫|长按|扫码|点击.{0,6}关注|分享到|相关(新闻|推荐|阅读|链接)"
    r"|热点新闻|阅读原文|推荐阅读|往期回顾|在看|点赞)"
    r"|^\d{4}年\d{1,2}月\d{1,2}日[\d:：\s|]*\S{0,30}(\s+\S{0,10})*$",
    re.IGNORECASE,
)
SOURCE_LINE = re.compile(r"来源\s*[：:]\s*([^\s|｜<>　/]{2,30})")
DATE = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")
DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
MHTML_HEAD = re.compile(rb"^(mime-version|from|subject|date|content-type|snapshot)")


class Refused(Exception):
    """The page makes no item; the message says why, for the person collecting."""


@dataclass(frozen=True)
class Page:
    title: str
    body: str
    source: str
    source_date: datetime.date | None
    author: str
    url: str
    text: str
    is_wechat: bool = False
    # The page as received, for the snapshot.
    snapshot_html: str = field(default="", repr=False)
    sha256: str = ""


def extract(data: bytes, url: str = "") -> Page:
    """The item in a saved page; Refused with the reason when there is none."""
    limit = settings.MAX_DOCUMENT_UPLOAD_BYTES
    if len(data) > limit:
        raise Refused(
            _("The page is too large (%(size)d bytes); the limit is %(max)d bytes.")
            % {"size": len(data), "max": limit}
        )
    sha256 = hashlib.sha256(data).hexdigest()
    if MHTML_HEAD.match(data[:200].lstrip().lower()):
        data, url = _html_of_mhtml(data, url)
    document = _decode(data)
    tree = _parse(document)
    if tree is None:
        raise Refused(_("The file is not a web page."))
    page_text = _squeeze(tree.text_content())
    if any(phrase in page_text for phrase in DELETED_WECHAT):
        raise Refused(_("The publisher has deleted this WeChat article."))
    wechat = tree.get_element_by_id("js_content", None) is not None or (
        "mp.weixin.qq.com" in urlsplit(url).netloc
    )
    fields = _wechat(tree, document) if wechat else _news(tree, document, url)
    body = sanitize_html(fields["body"])
    text = _squeeze_lines(html_to_text(body))
    if len(re.sub(r"\s", "", text)) < MIN_TEXT_CHARS:
        raise Refused(_why_no_article(tree))
    return Page(
        title=fields["title"][:300],
        body=body,
        source=fields["source"][:100],
        source_date=fields["date"],
        author=fields["author"][:200],
        url=_web_link(fields["url"]) or _web_link(url),
        text=text,
        is_wechat=wechat,
        snapshot_html=sanitize_html(document),
        sha256=sha256,
    )


def _html_of_mhtml(data: bytes, url: str) -> tuple[bytes, str]:
    """The text/html part of an MHTML file (as Chrome saves a page) and its address."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    url = url or str(message.get("Snapshot-Content-Location", ""))
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset and not DECLARED_CHARSET.search(payload[:4096]):
                payload = _meta_charset(charset) + payload
            return payload, url or str(part.get("Content-Location", ""))
    raise Refused(_("The MHTML file holds no web page."))


def _meta_charset(charset: str) -> bytes:
    return f'<meta charset="{charset}">'.encode("ascii", "ignore")


def _decode(data: bytes) -> str:
    """The page's text. A page's declared charset is often wrong (a GBK page saved
    as UTF-8 keeps its meta tag): what decodes cleanly wins, the detector decides
    the rest."""
    for candidate in ("utf-8", _declared(data)):
        if candidate:
            try:
                return data.decode(candidate)
            except (LookupError, UnicodeDecodeError):
                continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise Refused(_("The page's text encoding cannot be recognised."))
    return str(best)


def _declared(data: bytes) -> str:
    match = DECLARED_CHARSET.search(data[:4096])
    name = match[1].decode("ascii").lower() if match else ""
    # GBK and GB2312 pages are written in their superset.
    return "gb18030" if name in ("gbk", "gb2312") else name


def _parse(document: str):
    document = re.sub(r"^\s*<\?xml[^>]*>", "", document)
    try:
        tree = lxml.html.document_fromstring(document)
    except (etree.ParserError, ValueError):
        return None
    return tree if tree.find("body") is not None else None


def _wechat(tree, document: str) -> dict:
    content = tree.get_element_by_id("js_content")
    title = _meta(tree, "og:title") or _script_var(document, "msg_title")
    if not title:
        title = _text_of(tree, "activity-name")
    name = _text_of(tree, "js_name") or _script_var(document, "nickname")
    return {
        "title": _squeeze(title),
        "body": _blocks(content, title),
        "source": name,
        "date": _wechat_date(tree, document),
        "author": _script_var(document, "author") or _meta(tree, "author"),
        "url": _wechat_link(_meta(tree, "og:url") or _script_var(document, "msg_link")),
    }


def _wechat_date(tree, document: str) -> datetime.date | None:
    stamp = re.search(r"""\bvar\s+ct\s*=\s*["']?(\d{9,11})""", document)
    if stamp:
        moment = datetime.datetime.fromtimestamp(int(stamp[1]), datetime.UTC)
        return moment.astimezone(_zone()).date()
    return _date_in(_text_of(tree, "publish_time"))


def _wechat_link(link: str) -> str:
    """WeChat writes its links escaped for HTML inside JavaScript, over http."""
    link = html.unescape(link.replace("\\x26", "&")).split("#")[0].strip()
    if link.startswith("http://mp.weixin.qq.com/"):
        link = "https://" + link.removeprefix("http://")
    return link if link.startswith("https://mp.weixin.qq.com/s") else ""


def _news(tree, document: str, url: str) -> dict:
    extracted = trafilatura.extract(
        document,
        url=url or None,
        output_format="html",
        include_formatting=True,
        include_comments=False,
        include_images=False,
        include_tables=True,
        favor_precision=True,
    )
    metadata = trafilatura.extract_metadata(document)
    title = _meta(tree, "og:title") or (metadata.title if metadata else "") or ""
    line_source, line_date = _source_line(tree)
    source = line_source or _meta(tree, "source") or _meta(tree, "og:site_name")
    if not source and metadata and metadata.sitename and "." not in metadata.sitename:
        source = metadata.sitename
    published = _date_in(
        _meta(tree, "article:published_time") or _meta(tree, "pubdate")
    )
    if published is None and line_date is None and metadata and metadata.date:
        published = _date_in(metadata.date)
    body = ""
    if extracted:
        body = _blocks(lxml.html.document_fromstring(extracted).find("body"), title)
    return {
        "title": _squeeze(title),
        "body": body,
        "source": source,
        "date": published or line_date,
        "author": _meta(tree, "author") or (metadata.author if metadata else "") or "",
        "url": _canonical(tree) or url,
    }


def _source_line(tree) -> tuple[str, datetime.date | None]:
    """A news site's "2023年08月18日09:12 | 来源：新华社" line: outlet and date."""
    for element in tree.iter("div", "span", "p", "td"):
        line = _squeeze(element.text_content())
        if len(line) > 120:
            continue
        match = SOURCE_LINE.search(line)
        if match:
            return match[1], _date_in(line)
    return "", None


def _web_link(link: str) -> str:
    """Only an http(s) address is a link: a hostile page's canonical may be
    javascript:, and the link is shown to readers."""
    link = (link or "").strip()
    if not re.match(r"https?://[^\s/]+", link, re.IGNORECASE) or len(link) > 500:
        return ""
    return link


def _canonical(tree) -> str:
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            return link.get("href").strip()
    return _meta(tree, "og:url")


def _blocks(root, title: str) -> str:
    """The story in `root` as paragraphs and sub-headings: each innermost block
    becomes one, chrome paragraphs and a repeat of the title are left out."""
    if root is None:
        return ""
    parts = []
    key = _squeeze(title)
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag not in BLOCKS:
            continue
        if any(
            isinstance(child.tag, str) and child.tag in BLOCKS
            for child in element.iterdescendants()
        ):
            continue
        text = _squeeze(element.text_content())
        if not text or text == key or _is_chrome(text):
            continue
        tag = HEADINGS.get(element.tag, "p")
        parts.append(f"<{tag}>{html.escape(text)}</{tag}>")
    return "\n".join(parts)


def _is_chrome(text: str) -> bool:
    return len(text) <= CHROME_MAX_CHARS and bool(CHROME.search(text))


def _why_no_article(tree) -> str:
    if tree.xpath("//input[@type='password']"):
        return _("The page asks for a login; no article is on it.")
    if len(tree.xpath("//a[@href]")) >= 10:
        return _("The page is a list of links, not an article.")
    return _("No article text was found on the page.")


def _meta(tree, name: str) -> str:
    for meta in tree.iter("meta"):
        if name in (meta.get("property"), meta.get("name"), meta.get("itemprop")):
            return _squeeze(meta.get("content") or "")
    return ""


def _script_var(document: str, name: str) -> str:
    """A WeChat page's `var name = "…"` (also htmlDecode("…") and '…'.html())."""
    match = re.search(
        rf"""\bvar\s+{name}\s*=\s*(?:htmlDecode\()?\s*(["'])(.*?)\1""", document
    )
    return _squeeze(html.unescape(match[2])) if match else ""


def _text_of(tree, element_id: str) -> str:
    element = tree.get_element_by_id(element_id, None)
    return _squeeze(element.text_content()) if element is not None else ""


def _date_in(text: str) -> datetime.date | None:
    match = DATE.search(text or "")
    if not match:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.TIME_ZONE)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("\u3000", " ")).strip()


def _squeeze_lines(text: str) -> str:
    lines = (_squeeze(line) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
