"""Small text helpers shared by the apps: Chinese numerals and safe rich text."""

import html
import re

import nh3

CHINESE_DIGITS = "零一二三四五六七八九"

# Rich text in article bodies: what a reprinted news item needs, nothing that runs.
ALLOWED_TAGS = {
    "p", "br", "h3", "h4", "strong", "b", "em", "i", "u", "sub", "sup",
    "ul", "ol", "li", "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"},
                      "th": {"colspan", "rowspan"}}  # fmt: skip


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


def parse_chinese_number(text: str) -> int:
    """Inverse of chinese_number, also accepting Arabic digits ("八" -> 8, "26" -> 26)."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in CHINESE_DIGITS:
            current = CHINESE_DIGITS.index(char)
        elif char == "〇":
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            raise ValueError(f"not a Chinese number: {text!r}")
    return total + current


def sanitize_html(html: str) -> str:
    """Keep the allow-listed tags and attributes; links get rel=noopener."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


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
