"""Small text helpers shared by the apps: Chinese numerals and safe rich text."""

import html
import re
from collections import Counter
from html.parser import HTMLParser

import cn2an
import nh3
from django_prose_editor.config import allowlist_from_extensions

CHINESE_DIGITS = "零一二三四五六七八九"

# The one definition of rich text in article bodies: what a reprinted news item
# needs (rankings are tables), nothing that runs. The admin's editor offers
# exactly these Tiptap extensions, and the sanitiser keeps exactly the tags and
# attributes they write (django-prose-editor derives the allow-list from them).
RICH_TEXT_EXTENSIONS = {
    "Heading": {"levels": [3, 4]},
    "HardBreak": True,
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Subscript": True,
    "Superscript": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
}
_ALLOW_LIST = allowlist_from_extensions(RICH_TEXT_EXTENSIONS)
ALLOWED_TAGS = frozenset(_ALLOW_LIST["tags"])
# nh3 writes every link's rel itself, so rel is never taken from the markup.
ALLOWED_ATTRIBUTES = {
    tag: frozenset(names - {"rel"}) for tag, names in _ALLOW_LIST["attributes"].items()
}
URL_SCHEMES = frozenset(_ALLOW_LIST["url_schemes"])
# Pasted markup the editor reads as ours, and so does the sanitiser: Word's <b>
# and <i>, and headings of every level as the two sub-heading levels (the
# editor's side is static/js/rich-text-headings.js).
_SYNONYMS = {"b": "strong", "i": "em", "h1": "h3", "h2": "h3", "h5": "h4", "h6": "h4"}
_SYNONYM_RE = re.compile(r"<(/?)(b|i|h[1256])(?=[\s/>])", re.IGNORECASE)


# Han characters: the unified ideographs, extension A, compatibility ideographs and
# extensions B-H, as a regular-expression class body.
CJK_RANGES = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\U00030000-\U0003134f"
)
_CJK_RE = re.compile(rf"[{CJK_RANGES}]")


def is_cjk(text: str) -> bool:
    """Whether `text` is one Han character."""
    return bool(_CJK_RE.fullmatch(text))


def chinese_number(value: int) -> str:
    """Write 1..999 the way the masthead does: 8 -> 八, 26 -> 二十六, 100 -> 一百."""
    if not 0 < value < 1000:
        return str(value)
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    out = ""
    if hundreds:
        out += CHINESE_DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else CHINESE_DIGITS[tens]) + "十"
    if units:
        out += CHINESE_DIGITS[units]
    return out


def issue_label(year: int, number: int, *, printed: bool = False) -> str:
    """How the digest names an issue, "2023 年第八期"; `printed` spaces it as the
    masthead does, "2023 年 第八期"."""
    space = " " if printed else ""
    return f"{year} 年{space}第{chinese_number(number)}期"


def cumulative_label(cumulative_number: int) -> str:
    """The running number printed after the issue's: "（总第二十六期）"."""
    return f"（总第{chinese_number(cumulative_number)}期）"


# What a masthead may write a number with: digits one by one (二〇二三, 一〇八),
# with units (一百零八, 两千零二十三), 廿 and 卅 for twenty and thirty.
CHINESE_NUMERAL_CHARS = "〇零一二三四五六七八九十百千两廿卅"
_CHINESE_NUMERAL_RE = re.compile(f"[{CHINESE_NUMERAL_CHARS}]+")


def parse_chinese_number(text: str) -> int:
    """Inverse of chinese_number, in every form a masthead prints ("八" -> 8,
    "一〇八" -> 108, "两千零二十三" -> 2023, "廿六" -> 26), also Arabic digits
    ("26" -> 26). cn2an reads it; it knows no 卅, so that is spelled out first."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not _CHINESE_NUMERAL_RE.fullmatch(text):
        raise ValueError(f"not a Chinese number: {text!r}")
    try:
        return int(cn2an.cn2an(text.replace("卅", "三十"), "normal"))
    except ValueError as error:
        raise ValueError(f"not a Chinese number: {text!r}") from error


def _with_synonyms(html: str) -> str:
    return _SYNONYM_RE.sub(lambda m: f"<{m[1]}{_SYNONYMS[m[2].lower()]}", html)


def sanitize_html(html: str) -> str:
    """Keep the allow-listed tags and attributes (pasted synonyms renamed first,
    so Word's <b> stays bold); links get rel=noopener."""
    return nh3.clean(
        _with_synonyms(html or ""),
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )


class _RemovedMarkup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.removed = Counter()

    def handle_starttag(self, tag, attrs):
        tag = _SYNONYMS.get(tag, tag)
        if tag not in ALLOWED_TAGS:
            self.removed[tag] += 1
        elif any(name == "style" for name, _value in attrs):
            self.removed["@style"] += 1


def removed_markup(html: str) -> Counter:
    """What sanitize_html drops from `html` that editors should be told of:
    elements by tag name, and style attributes as "@style". Other attributes
    (class, lang, target, data-*) change nothing a reader sees."""
    parser = _RemovedMarkup()
    parser.feed(html or "")
    parser.close()
    return parser.removed


_SPACE_RE = re.compile(r"\s+")
_TITLE_TRIM = "《》<>〈〉“”\"' \u3000"


def normalise_title(title: str) -> str:
    """Key for comparing titles: no whitespace, no book-title marks, case-folded."""
    return _SPACE_RE.sub("", title or "").strip(_TITLE_TRIM).casefold()


def html_to_text(value: str) -> str:
    """Body HTML as plain text; block ends become line breaks."""
    from django.utils.html import strip_tags

    value = re.sub(r"(?i)<br\s*/?>|</(p|li|h\d|tr|blockquote)>", "\n", value or "")
    return html.unescape(strip_tags(value))
