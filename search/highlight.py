"""Marking matched terms in original text: escaped HTML with <mark>, and snippets.

Matching works on units (tokenizer.iter_units), so a term 世界500强 marks the
original 世界 500 强 with its spaces, and a traditional-character query marks the
simplified text.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search import tokenizer
from search.query import Term

SNIPPET_LENGTH = 120


def match_spans(text: str, terms: list[Term]) -> list[tuple[int, int]]:
    """Merged (start, end) spans of every occurrence of any term in text."""
    found = list(tokenizer.iter_units(text))
    sequence = [unit.text for unit in found]
    spans = []
    for term in terms:
        size = len(term.units)
        if not size:
            continue
        first = term.units[0]
        for index, unit in enumerate(sequence):
            if unit == first and tuple(sequence[index : index + size]) == term.units:
                spans.append((found[index].start, found[index + size - 1].end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans: list[tuple[int, int]]) -> str:
    out, position = [], 0
    for start, end in spans:
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def highlight(text: str, terms: list[Term]) -> SafeString:
    """All of text, HTML-escaped, with every match wrapped in <mark>."""
    return mark_safe(_render(text or "", match_spans(text or "", terms)))  # noqa: S308


def snippet(
    texts: list[str], terms: list[Term], length: int = SNIPPET_LENGTH
) -> SafeString:
    """A window of about `length` characters around the first match in the first
    text that has one (or the start of the first non-empty text), highlighted."""
    texts = [" ".join((t or "").split()) for t in texts]
    for text in texts:
        spans = match_spans(text, terms)
        if spans:
            first_start = spans[0][0]
            start = max(0, first_start - length // 3)
            end = min(len(text), start + length)
            window = [
                (max(s, start) - start, min(e, end) - start)
                for s, e in spans
                if s < end and e > start
            ]
            body = _render(text[start:end], window)
            prefix = "…" if start > 0 else ""
            suffix = "…" if end < len(text) else ""
            return mark_safe(prefix + body + suffix)  # noqa: S308
    for text in texts:
        if text:
            suffix = "…" if len(text) > length else ""
            return mark_safe(escape(text[:length]) + suffix)  # noqa: S308
    return mark_safe("")  # noqa: S308
