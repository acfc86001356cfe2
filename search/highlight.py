"""Marking matched terms in original text: escaped HTML with <mark>, and snippets.

Matching works on units (tokenizer.iter_units), so a term 世界500强 marks the
original 世界 500 强 with its spaces, and a traditional-character query marks the
simplified text.
"""

import functools
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search import tokenizer
from search.query import Term

SNIPPET_LENGTH = 120
# How far folding (NFKC, case) may move a position; see _first_match_start.
FOLD_SLACK = 32


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


def _first_match_start(text: str, terms: list[Term]) -> int | None:
    """Where the first match in text starts, reading units only up to it.

    A term whose units do not show in the folded text in order (see _GAP)
    cannot match, so most texts without a match, even those holding each of
    its characters somewhere (医 here, 保 there), are passed over without
    splitting them into units."""
    folded = _folded(tokenizer.to_simplified(text))
    shown = {term: _loose_pattern(term.units).search(folded) for term in terms}
    terms = [term for term in terms if shown[term]]
    if not terms:
        return None
    # Start a little before the first place the folded text shows a term (folding
    # may shift positions slightly), not inside a Latin run; read from the start
    # if nothing turns up there.
    near = min(shown[term].start() for term in terms)
    offset = max(0, near - FOLD_SLACK)
    while offset and _inside_latin_run(text, offset):
        offset -= 1
    found = _first_match_from(text, terms, offset)
    if found is None and offset:
        found = _first_match_from(text, terms, 0)
    return found


# Full-width punctuation and the ideographic space: NFKC changes them one for
# one into ASCII punctuation and a space, which _GAP passes over either way.
_FOLDED_PUNCTUATION = re.compile(
    "[\u3000\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
)


def _folded(text: str) -> str:
    """text as the index folds it (NFKC, case), at the same positions.

    Chinese text is rarely NFKC-normal only because of its full-width
    punctuation; when nothing else would change, the costly normalisation
    (a millisecond or so per results page) is skipped."""
    if unicodedata.is_normalized("NFKC", _FOLDED_PUNCTUATION.sub("", text)):
        return text.casefold()
    return unicodedata.normalize("NFKC", text).casefold()


# What may stand between two units of a match in folded text: any run of
# characters that are not units (punctuation, spaces), or a few characters of
# anything, for the rare symbol that folding turns into letters (℃, ㎡).
_GAP = r"(?:[\W_]*|.{0,8}?)"


@functools.lru_cache(maxsize=256)
def _loose_pattern(units: tuple[str, ...]) -> re.Pattern:
    """A term's units in order with gaps between them, in folded text."""
    return re.compile(_GAP.join(re.escape(unit) for unit in units), re.DOTALL)


def _inside_latin_run(text: str, offset: int) -> bool:
    before = text[offset - 1]
    return before.isalnum() and not tokenizer.is_cjk(before)


def _first_match_from(text: str, terms: list[Term], offset: int) -> int | None:
    longest = max(len(term.units) for term in terms)
    recent: list[tokenizer.Unit] = []
    for unit in tokenizer.iter_units(text[offset:]):
        recent.append(unit)
        del recent[: -longest or None]
        sequence = tuple(u.text for u in recent)
        for term in terms:
            size = len(term.units)
            if size and sequence[-size:] == term.units:
                return offset + recent[-size].start
    return None


def _longest_match(terms: list[Term]) -> int:
    """Characters a match may cover in the original text: its units, a space
    between each two, and what folding may shift."""
    return max(len("".join(t.units)) + len(t.units) for t in terms) + FOLD_SLACK


def snippet(
    texts: list[str], terms: list[Term], length: int = SNIPPET_LENGTH
) -> SafeString:
    """A window of about `length` characters around the first match in the first
    text that has one (or the start of the first non-empty text), highlighted.

    Only the window is marked, so a long body costs what its opening does."""
    texts = [" ".join((t or "").split()) for t in texts]
    terms = [term for term in terms if term.units]
    for text in texts if terms else []:
        first_start = _first_match_start(text, terms)
        if first_start is not None:
            start = max(0, first_start - length // 3)
            end = min(len(text), start + length)
            # Read a little beyond the window so that matches crossing its edges
            # are still found, then clip them to it.
            reach = _longest_match(terms)
            margin_start = max(0, start - reach)
            margin = text[margin_start : min(len(text), end + reach)]
            window = [
                (
                    max(s + margin_start, start) - start,
                    min(e + margin_start, end) - start,
                )
                for s, e in match_spans(margin, terms)
                if s + margin_start < end and e + margin_start > start
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
