"""Repeats by content: items whose text largely matches, whatever their link,
title or outlet.

An item's text (title and body as plain text, folded as search folds it:
traditional to simplified, full width to half width, case; spaces and
punctuation dropped) is cut into shingles of SHINGLE_UNITS consecutive units.
Its MinHash signature (datasketch) is kept in `Signature`, rebuilt by the
receivers below whenever the item is saved (inside `bulletin.batching.batch()`
once per item, at the batch's end; rows inserted in bulk arrive through
`created_in_bulk`). An LSH index of every signature names the few candidates
whose estimated Jaccard similarity is near THRESHOLD; each is then confirmed on
the exact shingle sets, so what is reported has at least THRESHOLD of its
shingles in common.

The thresholds are tested on the sample issue (tests/repeats/test_matching.py):
a re-flowed copy with a sentence changed, another title and another outlet
scores above 0.55; different stories of the same section stay below 0.1.
"""

import threading
from typing import NamedTuple

from datasketch import LeanMinHash, MinHash, MinHashLSH
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from articles.models import Article
from articles.signals import ContentRepeat
from bulletin import batching
from bulletin.text import html_to_text
from repeats.models import Signature
from search import tokenizer

SHINGLE_UNITS = 4  # characters (or letter/digit runs) per shingle
NUM_PERM = 128
SEED = 1
THRESHOLD = 0.4  # exact Jaccard similarity of the shingle sets that makes a repeat
# Candidates are asked of LSH a little below THRESHOLD, so that an estimate a
# little low does not lose a repeat; the exact check decides.
LSH_THRESHOLD = 0.3
# Fewer shingles than this (about fifty characters: a title and a line) say too
# little to compare; the shortest item of the sample issue has sixty.
MIN_SHINGLES = 50
BATCH_SIZE = 500


class Match(NamedTuple):
    article: Article  # its issue loaded
    similarity: float  # Jaccard similarity of the shingle sets, 0..1


# What an item's text is: its title and body, and for a book recommendation the
# book's title, summary and reason (its body is usually empty).
TEXT_FIELDS = ("title", "book_title", "body", "book_summary", "book_reason")


def text_of(article: Article) -> str:
    return "\n".join(
        html_to_text(article.body) if name == "body" else getattr(article, name)
        for name in TEXT_FIELDS
    )


def shingles(text: str) -> frozenset[str]:
    units = tokenizer.units(text)
    return frozenset(
        tokenizer.match_text(units[i : i + SHINGLE_UNITS])
        for i in range(len(units) - SHINGLE_UNITS + 1)
    )


def signature(shingle_set: frozenset[str]) -> LeanMinHash:
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update_batch([s.encode() for s in shingle_set])
    return LeanMinHash(minhash)


def to_bytes(minhash: LeanMinHash) -> bytes:
    buffer = bytearray(minhash.bytesize())
    minhash.serialize(buffer)
    return bytes(buffer)


def from_bytes(data) -> LeanMinHash:
    return LeanMinHash.deserialize(bytes(data))


def jaccard(a: frozenset, b: frozenset) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


# Keeping signatures in step --------------------------------------------------


def refresh_signatures(article_ids) -> int:
    """Rebuild the signatures of these items now (or when the batch ends)."""
    ids = sorted(set(article_ids))
    if batching.postpone(refresh_signatures, ids):
        return 0
    done = 0
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        rows, too_short = [], []
        for article in Article.objects.filter(pk__in=chunk).only(*TEXT_FIELDS):
            shingle_set = shingles(text_of(article))
            if len(shingle_set) < MIN_SHINGLES:
                too_short.append(article.pk)
                continue
            rows.append(
                Signature(article=article, minhash=to_bytes(signature(shingle_set)))
            )
        with transaction.atomic():
            Signature.objects.filter(article_id__in=too_short).delete()
            Signature.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["article"],
                update_fields=["minhash", "updated_at"],
            )
        done += len(rows)
    _forget_index()
    return done


def rebuild_all(progress=None) -> int:
    """Every item's signature anew; `progress(done, total)` after each chunk."""
    Signature.objects.all().delete()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), BATCH_SIZE):
        done += refresh_signatures(ids[start : start + BATCH_SIZE])
        if progress:
            progress(min(start + BATCH_SIZE, len(ids)), len(ids))
    return done


def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_signatures([instance.pk])


def articles_created_in_bulk(sender, pks, **kwargs):
    refresh_signatures(pks)


# The LSH index ------------------------------------------------------------------

# One index per process, rebuilt when the signatures change: their count and
# newest write tell (one query), and this process's own writes forget it.
_index_lock = threading.Lock()
_index: tuple[tuple, MinHashLSH] | None = None


def _forget_index() -> None:
    global _index
    _index = None


def lsh_index() -> MinHashLSH:
    """One query while the signatures are as last seen, two when they changed."""
    global _index
    version = tuple(
        Signature.objects.aggregate(
            n=Count("pk"), latest=Max("updated_at"), last=Max("article_id")
        ).values()
    )
    cached = _index
    if cached is not None and cached[0] == version:
        return cached[1]
    with _index_lock:
        lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        with lsh.insertion_session() as session:
            for pk, data in Signature.objects.values_list("article_id", "minhash"):
                session.insert(pk, from_bytes(data), check_duplication=False)
        _index = (version, lsh)
    return lsh


# Finding repeats ----------------------------------------------------------------


def repeats_of_many(articles) -> dict[int, list[Match]]:
    """The items of other issues and of the pool whose text largely matches each
    of these (not the item itself, nor items of its own issue), best first.

    At most three queries for any number of items: the index's version, the
    signatures when they changed, the candidates with their issues."""
    subjects = []
    for article in articles:
        shingle_set = shingles(text_of(article))
        if len(shingle_set) >= MIN_SHINGLES:
            subjects.append((article, shingle_set))
    if not subjects:
        return {}
    lsh = lsh_index()
    wanted = {}
    for article, shingle_set in subjects:
        wanted[article.pk] = set(lsh.query(signature(shingle_set))) - {article.pk}
    candidate_ids = set().union(*wanted.values())
    if not candidate_ids:
        return {}
    candidates = {
        candidate.pk: (candidate, shingles(text_of(candidate)))
        for candidate in Article.objects.filter(pk__in=candidate_ids).select_related(
            "issue"
        )
    }
    found: dict[int, list[Match]] = {}
    for article, shingle_set in subjects:
        matches = []
        for pk in wanted[article.pk]:
            if pk not in candidates:
                continue  # deleted since the index was read
            candidate, candidate_shingles = candidates[pk]
            if article.issue_id and candidate.issue_id == article.issue_id:
                continue
            similarity = jaccard(shingle_set, candidate_shingles)
            if similarity >= THRESHOLD:
                matches.append(Match(candidate, similarity))
        if matches:
            matches.sort(key=lambda m: (-m.similarity, m.article.pk))
            found[article.pk] = matches
    return found


def find_repeats(article: Article) -> list[Match]:
    """The items whose text largely matches this one's, best first (see
    repeats_of_many)."""
    return repeats_of_many([article]).get(article.pk, [])


def message(match: Match) -> str:
    """How editors are told: "与 2023 年第八期《…》内容重复"."""
    other = match.article
    if other.issue_id:
        return _("Repeats the content of %(issue)s “%(title)s”") % {
            "issue": other.issue,
            "title": other.title,
        }
    return _("Repeats the content of “%(title)s” in the pool") % {"title": other.title}


def content_repeats_wanted(sender, articles, **kwargs):
    """The answer to articles.signals.content_repeats_wanted."""
    return {
        pk: [ContentRepeat(match.article, message(match)) for match in matches]
        for pk, matches in repeats_of_many(articles).items()
    }
