"""Re-flowing an item's lines into the paragraphs its author wrote, and telling
sub-headings from body text, by how full each line is set."""

import re
from collections import Counter

from archive.importers.lines import (
    URL_RE,
    Line,
    Paragraph,
    display_width,
    ends_sentence,
    is_ascii_alnum,
)

# Labels that always start a paragraph of their own.
ATTACHMENT_RE = re.compile(r"^附\s*[：:]\s*(?P<label>.*)$")
ABSTRACT_RE = re.compile(r"^摘\s*要\s*[：:]\s*(?P<text>.*)$")
KEYWORDS_RE = re.compile(r"^关\s*键\s*词\s*[：:]\s*(?P<text>.*)$")
URL_CONTINUATION_RE = re.compile(r"^[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+$")
NUMBERED_HEADING_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|[(（]\d+[)）]|\d+[.．、])\S"
)
# "……，”张三说。" — a short attribution line finishes the quote's paragraph.
ATTRIBUTION_RE = re.compile(r"^[^，。“”\s]{1,12}(?:说|表示|指出|介绍|称)[。，：]$")
# A one-line paragraph ending like this is a sentence, not a sub-heading.
NOT_HEADING_END = "。；：…，、,;:”"
DEFAULT_FULL_WIDTH = 30


class Layout:
    """How wide a full body line is set, and what follows from it."""

    def __init__(self, full_width: float = DEFAULT_FULL_WIDTH):
        self.full_width = full_width

    @classmethod
    def of(cls, lines: list[Line]) -> "Layout":
        """The width of a full body line, to tell where a paragraph ends."""
        widths = Counter(
            round(display_width(line.text))
            for line in lines
            if not line.whole_paragraph and display_width(line.text) >= 15
        )
        if not widths:
            return cls()
        return cls(widths.most_common(1)[0][0])

    def paragraphs(self, lines: list[Line]) -> list[Paragraph]:
        """Join lines a page layout broke into the paragraphs the author wrote.

        A paragraph ends after a line clearly shorter than a full line, or after a
        sentence end when the next line is indented (the text layer drops the
        indent, so the line is shorter than a full one). Labels (附, 摘要, 关键词)
        and links always start a paragraph.
        """
        paragraphs: list[Paragraph] = []
        previous = None
        for line in lines:
            width = display_width(line.text)
            if previous is not None and self._continues(previous, line, width):
                current = paragraphs[-1]
                current.text += line.text
                current.line_count += 1
                current.width = max(current.width, width)
            else:
                paragraphs.append(
                    Paragraph(line.text, line.number, 1, width, role=line.role)
                )
            previous = line
        return paragraphs

    def is_subheading(self, paragraph: Paragraph) -> bool:
        if paragraph.role == "subheading":
            return True
        if paragraph.line_count != 1 or paragraph.role:
            return False
        text = paragraph.text
        if text[-1] in NOT_HEADING_END:
            return False
        if text[-1] in "？！?!":
            return paragraph.width <= 15
        if NUMBERED_HEADING_RE.match(text):
            return paragraph.width <= self.full_width - 0.75
        return self._is_short(text)

    def _is_short(self, text: str) -> bool:
        """Clearly shorter than a full line, so the line ends a paragraph.

        Latin text is set wider than the half em counted for it, and a Latin word
        that does not fit moves whole to the next line, so such lines get slack.
        """
        if is_ascii_alnum(text[-1]):
            slack = 6
        else:
            slack = 3 + 0.1 * sum(
                1 for char in text if char.isascii() and char.isalpha()
            )
        return display_width(text) < self.full_width - slack

    def _continues(self, previous: Line, line: Line, width: float) -> bool:
        if (
            previous.whole_paragraph
            or line.whole_paragraph
            or line.role
            or previous.role
        ):
            return False
        if URL_RE.match(previous.text):
            return bool(URL_CONTINUATION_RE.match(line.text)) and not URL_RE.match(
                line.text
            )
        if any(
            regex.match(line.text)
            for regex in (ATTACHMENT_RE, URL_RE, ABSTRACT_RE, KEYWORDS_RE)
        ):
            return False
        indented = width <= self.full_width - 0.75
        if NUMBERED_HEADING_RE.match(previous.text) and indented:
            return previous.text[-1] in "，、,"
        if self._is_short(previous.text):
            return False
        if ATTRIBUTION_RE.match(line.text):
            return True
        return not (ends_sentence(previous.text) and indented)
