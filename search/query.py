"""The search box's small query language, parsed into terms of units.

- words are ANDed: ``民营经济 营商环境``; unquoted Chinese is cut into words by the
  segmenter (``民营经济发展`` = ``民营经济 发展``), see tokenizer.split_words;
- ``"…"`` is a phrase: its units must appear in this order (spaces ignored);
- ``-word`` or ``-"…"`` excludes;
- ``OR`` (capitals) between two words or phrases accepts either.

``parse`` raises ``QueryError`` (and nothing else) for input it cannot search:
empty, punctuation only, too long, too many terms, or nothing but exclusions.
Unbalanced quotes are forgiven: the phrase runs to the end of the input.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from search import tokenizer

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

_TOKEN_RE = re.compile(r'(-?)"([^"]*)(?:"|$)|(\S+)')


class QueryError(ValueError):
    """The query cannot be searched; str(error) is a message for the reader."""


@dataclass(frozen=True)
class Term:
    """A sequence of units that must occur together."""

    units: tuple[str, ...]

    @property
    def text(self) -> str:
        return "".join(self.units) if self.is_cjk_only else " ".join(self.units)

    @property
    def is_cjk_only(self) -> bool:
        return all(tokenizer.is_cjk(u) for u in self.units)

    @property
    def pattern(self) -> str:
        """What a LIKE '%…%' over a match_text column looks for."""
        return tokenizer.match_text(self.units)


@dataclass(frozen=True)
class SearchQuery:
    """All groups must match (AND); a group matches when any of its terms does (OR)."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    @property
    def positive_terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]

    def __str__(self):
        parts = [" OR ".join(_quote(t) for t in group) for group in self.groups]
        parts += [f"-{_quote(t)}" for t in self.excluded]
        return " ".join(parts)


def _quote(term: Term) -> str:
    return f'"{term.text}"' if len(term.units) > 1 else term.text


@dataclass
class _Piece:
    kind: str  # "or", "word", "phrase"
    text: str
    negated: bool = False


def _pieces(text: str) -> list[_Piece]:
    pieces = []
    for match in _TOKEN_RE.finditer(text):
        negated, phrase, word = match.groups()
        if word is None:
            pieces.append(_Piece("phrase", phrase, negated=bool(negated)))
        elif word == "OR":
            pieces.append(_Piece("or", word))
        elif word.startswith("-") and len(word) > 1:
            pieces.append(_Piece("word", word[1:], negated=True))
        else:
            pieces.append(_Piece("word", word))
    return pieces


def _as_terms(piece: _Piece, seg: tokenizer.Segmenter, *, whole: bool) -> list[Term]:
    """The terms of one piece; whole=True keeps a word as one term (OR, exclusion)."""
    if piece.kind == "phrase" or whole:
        units = tokenizer.units(piece.text)
        return [Term(tuple(units))] if units else []
    return [Term(tuple(chunk)) for chunk in tokenizer.split_words(piece.text, seg)]


def parse(text: str, seg: tokenizer.Segmenter | None = None) -> SearchQuery:
    """Parse the search box's text; raise QueryError with a message if it is unusable."""
    text = (text or "").strip()
    if not text:
        raise QueryError(_("Please enter the words to search for."))
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            _("The query is too long: please use at most %(limit)s characters.")
            % {"limit": MAX_QUERY_LENGTH}
        )
    seg = seg or tokenizer.segmenter()
    pieces = _pieces(text)
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    for index, piece in enumerate(pieces):
        if piece.kind == "or":
            join_next = bool(groups) and index + 1 < len(pieces)
            continue
        next_is_or = index + 1 < len(pieces) and pieces[index + 1].kind == "or"
        if piece.negated:
            excluded.extend(_as_terms(piece, seg, whole=True))
            join_next = False
            continue
        terms = _as_terms(piece, seg, whole=join_next or next_is_or)
        if not terms:
            join_next = False
            continue
        if join_next:
            groups[-1].extend(terms)
        else:
            groups.extend([term] for term in terms)
        join_next = False
    groups = [list(dict.fromkeys(group)) for group in groups]
    groups = list({tuple(group): None for group in groups})
    excluded = list(dict.fromkeys(excluded))
    if not groups:
        if excluded:
            raise QueryError(
                _(
                    "Please enter at least one word to search for "
                    "(exclusions alone are not enough)."
                )
            )
        raise QueryError(_("The query has no letters or digits to search for."))
    if sum(len(g) for g in groups) + len(excluded) > MAX_TERMS:
        raise QueryError(
            _("The query has too many terms: please use at most %(limit)s.")
            % {"limit": MAX_TERMS}
        )
    return SearchQuery(groups=tuple(tuple(g) for g in groups), excluded=tuple(excluded))
