"""Text to search units, the same way for documents and queries.

A *unit* is one CJK character or one run of letters/digits (``CPTPP``, ``500``),
after folding traditional characters to simplified (OpenCC), full-width forms to
half-width (NFKC) and case. Spaces and punctuation are not units, so text from a
PDF that reads 世界 500 强 and a query 世界500强 give the same units.

A query term is found as its exact unit sequence, whatever a segmenter would
have done with the text: the host index holds every unit and every pair of
adjacent units with positions (search.host_index), and ``match_text`` keeps the
sequence in the index rows, where the reference confirms it with a LIKE.
"""

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

import opencc

from bulletin.text import CJK_RANGES, is_cjk

_UNIT_RE = re.compile(rf"[{CJK_RANGES}]|[^\W_{CJK_RANGES}]+")

# A unit longer than this is a URL fragment or base64, not something anyone searches.
MAX_UNIT_LENGTH = 60

DEFAULT_TERMS_FILE = Path(__file__).with_name("default_terms.txt")


class Unit(NamedTuple):
    """One unit; a named tuple because highlighting makes one per character and
    a frozen dataclass costs twice as much to build."""

    text: str  # normalised
    start: int  # span in the original string
    end: int


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified, keeping the length so spans still point into text."""
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    # OpenCC rewrote a phrase to a different length; convert char by char instead.
    return "".join(
        c if len(c) == 1 else ch
        for ch, c in ((ch, _converter().convert(ch)) for ch in text)
    )


@functools.lru_cache(maxsize=65536)  # highlighting calls it once per character
def normalise_unit(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).casefold()[:MAX_UNIT_LENGTH]


def iter_units(text: str) -> Iterator[Unit]:
    """The units of text with their spans in the original string."""
    simplified = to_simplified(text or "")
    for match in _UNIT_RE.finditer(simplified):
        normalised = normalise_unit(match.group())
        if normalised:
            yield Unit(normalised, match.start(), match.end())


def units(text: str) -> list[str]:
    """The normalised units of text, as iter_units gives them without spans
    (the index's path: no tuple per character)."""
    matches = _UNIT_RE.findall(to_simplified(text or ""))
    return [unit for unit in map(normalise_unit, matches) if unit]


# A unit is a CJK character or a letter/digit run, so the few thousand distinct
# units of an archive are asked about over and over.
_is_cjk_unit = functools.lru_cache(maxsize=65536)(is_cjk)


def match_text(unit_list: Iterable[str]) -> str:
    """The unit sequence as one string that a LIKE '%…%' can search exactly.

    CJK units are written as they are; every other unit gets a space on each side,
    so 50 never matches inside 500 and 世界 500 强 reads "世界 500 强" from either
    the document or the query.
    """
    return "".join(u if _is_cjk_unit(u) else f" {u} " for u in unit_list)


def match_text_parts(text: str) -> list[list[str]]:
    """The unit sequences of a column written from match_text, one per part
    (lines): the inverse of match_text, so the host index is built from the
    database's rows without tokenizing the articles again.

    A space-free run is CJK units (one per character) or one other unit, since
    match_text writes every non-CJK unit between spaces.
    """
    parts = []
    for line in text.split("\n"):
        part: list[str] = []
        for chunk in line.split():
            if _is_cjk_unit(chunk[0]):
                part.extend(chunk)
            else:
                part.append(chunk)
        if part:
            parts.append(part)
    return parts


def default_terms() -> list[str]:
    lines = DEFAULT_TERMS_FILE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


class Segmenter:
    """rjieba (or jieba when rjieba is missing) with the project's domain terms."""

    def __init__(self, terms: Iterable[str] = ()):
        try:
            import rjieba

            self._jieba = rjieba.Jieba()
            self._cut = self._jieba.cut
            add = self._jieba.add_word
            for term in terms:
                add(term, 100000, None)
        except ImportError:  # pragma: no cover - fallback when the wheel is missing
            import jieba

            self._jieba = jieba.Tokenizer()
            self._cut = functools.partial(self._jieba.lcut, HMM=True)
            for term in terms:
                self._jieba.add_word(term, freq=100000)

    def cut(self, text: str) -> list[str]:
        return [word for word in self._cut(text) if word.strip()]


@functools.lru_cache(maxsize=2)  # each instance holds a full dictionary
def _segmenter(terms: tuple[str, ...]) -> Segmenter:
    return Segmenter(terms)


@functools.cache
def _default_terms_normalised() -> frozenset[str]:
    """The shipped terms as the segmenter gets them: the file never changes
    while the process runs, so it is read and folded once."""
    return frozenset(normalise_term(t) for t in default_terms())


def segmenter(extra_terms: Iterable[str] = ()) -> Segmenter:
    """A segmenter knowing the shipped terms and extra_terms (cached per term set).

    Every search calls this with the dictionary's words, so only the words not
    folded before are folded (normalise_term is cached)."""
    terms = _default_terms_normalised().union(map(normalise_term, extra_terms))
    return _segmenter(tuple(sorted(t for t in terms if t)))


@functools.lru_cache(maxsize=4096)
def normalise_term(term: str) -> str:
    """A dictionary entry as the segmenter sees query text: units without spaces."""
    return "".join(units(term))


def split_words(text: str, seg: Segmenter) -> list[list[str]]:
    """Unquoted query text (no spaces) to the unit lists of its words, for ANDing.

    The segmenter decides where words end, but only a cut between two words of two
    or more CJK characters splits the query: single characters and Latin/number
    runs stay glued to their neighbours, so 世界500强 and 医保局 stay one term
    while 民营经济发展 becomes 民营经济 AND 发展. Punctuation always splits.
    """
    folded = unicodedata.normalize("NFKC", to_simplified(text)).casefold()
    chunks: list[list[str]] = []
    previous_splittable = False
    after_punctuation = True
    for word in seg.cut(folded):
        word_units = units(word)
        if not word_units:
            after_punctuation = True
            continue
        splittable = len(word_units) >= 2 and all(is_cjk(u) for u in word_units)
        if after_punctuation or (previous_splittable and splittable):
            chunks.append(list(word_units))
        else:
            chunks[-1].extend(word_units)
        previous_splittable = splittable
        after_punctuation = False
    return chunks
