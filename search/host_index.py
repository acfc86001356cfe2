"""This host's embedded search index (tantivy): the results in result order.

The database stays the source of truth. search_searchdocument holds each
article's unit sequences per field, and search_indexchange logs every write to
those rows. Each host keeps an index directory of its own (SEARCH_INDEX_DIR)
and, before every search, applies what the log holds beyond what it has
applied: one small query when nothing changed. A missing index, or one of an
older schema, is built from the database's rows (also by `reindex` and the
`search_index` command, with a progress bar).

Every process of the host may write: a file lock lets one at a time, the
others wait for it and then read what it committed. The state file names the
index directory in use and the last change applied; a rebuild writes a new
directory and switches the state to it, so readers never see half an index.

Matching is exact, as the LIKE of the reference path (engine.matching): each
field is indexed as its units and as the pairs of adjacent units with their
positions, a term of three or more units is the phrase of its pairs. Result
order is the reference's too: the bands of summed field weights, best first,
each read in issue order from a fast field (the order keys below), so a search
reads about the rows it returns, however common the word.
"""

import contextlib
import datetime
import fcntl
import itertools
import json
import logging
import os
import shutil
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import tantivy
from django.conf import settings
from django.db import connection
from django.db.models import Q

from articles.models import Article
from bulletin.sql import id_list
from search import tokenizer
from search.models import IndexChange, SearchDocument
from search.query import SearchQuery, Term
from search.ranking import FIELD_WEIGHTS, FIELDS

logger = logging.getLogger(__name__)

# Bump when the schema or what goes into a document changes: every host then
# rebuilds its index on its next search.
SCHEMA_VERSION = 1
STATE_FILE = "state.json"
LOCK_FILE = "write.lock"
# How long a search waits for another process writing the index, and how long
# a missing change id is looked for again (a transaction still open when a
# later one committed; PostgreSQL hands out ids before commit).
WRITE_WAIT_SECONDS = 30
GAP_SECONDS = 600
MAX_GAPS = 1000
READ_CHUNK = 2000
WRITER_HEAP_BYTES = 64 * 1024 * 1024
# Relevance is read band by band up to this many groups (4 ** groups bands of
# best fields); longer queries rank every match by score.
MAX_BANDED_GROUPS = 3

# The order keys: one unsigned 64-bit value per document that sorts, largest
# first, as the reference orders (engine._order_keys), with the article id in
# the low bits. A missing value is 0 and so comes last, as NULLS LAST.
YEAR_BASE, YEAR_BITS = 1900, 8  # 1901 to 2155
NUMBER_BITS = 10  # issue numbers up to 1023
DAY_BITS = 17  # source dates to 2258
PK_BITS = 64 - YEAR_BITS - NUMBER_BITS - DAY_BITS
PK_MASK = (1 << PK_BITS) - 1
_DAY_ZERO = 693595  # date(1899, 12, 31).toordinal()

# Between two parts of a field (a title and a book title): no pair spans it.
PART_BREAK = "|"
# Between the units of a pair: no unit holds it (tokenizer._UNIT_RE).
PAIR_JOIN = "_"

# The issue of an article without one (the pool), for Scope.hidden_issues.
NO_ISSUE = 0

# What ranked_rows gives for each result, read from fast fields: the id, then
# what the facets count (search.filters.FacetRow follows this order).
RESULT_COLUMNS = (
    "article_id",
    "publication_id",
    "issue_year",
    "issue_id",
    "issue_number",
    "section_id",
    "source_id",
    "kind",
    "source_date",
    "has_policy",
)
# The index row's columns a document is made of.
COLUMNS = (
    *RESULT_COLUMNS,
    *(f"{name}_text" for name in FIELDS),
)
# Fast fields of the result columns after the id (kind as its position among
# the choices, the source date as its ordinal).
_NUMBERS = ("publication", "year", "issue", "number", "section", "source")
KINDS = tuple(Article.Kind.values)


def _clamped(value: int | None, low: int, bits: int) -> int:
    """value as a key part: 0 when missing, otherwise 1 up to the largest the
    bits hold (values beyond tie with it and fall to the next key)."""
    if value is None:
        return 0
    return min(max(value - low, 1), (1 << bits) - 1)


def order_keys(pk, year, number, source_date) -> tuple[int, int]:
    """(issue order, date order) of one article, see the key layout above."""
    if pk > PK_MASK:
        raise ValueError(f"article id {pk} is beyond the host index's {PK_MASK}")
    y = _clamped(year, YEAR_BASE, YEAR_BITS)
    n = _clamped(number, 0, NUMBER_BITS)
    d = _clamped(source_date and source_date.toordinal(), _DAY_ZERO, DAY_BITS)
    issue_order = (((y << NUMBER_BITS | n) << DAY_BITS | d) << PK_BITS) | pk
    date_order = (((d << YEAR_BITS | y) << NUMBER_BITS | n) << PK_BITS) | pk
    return issue_order, date_order


def _pairs(units) -> list[str]:
    return [a + PAIR_JOIN + b for a, b in itertools.pairwise(units)]


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("article", indexed=True, fast=True)
    builder.add_unsigned_field("issue", indexed=True, fast=True)
    for name in ("publication", "year", "number", "section", "source", "kind"):
        builder.add_unsigned_field(name, fast=True)
    builder.add_unsigned_field("source_day", fast=True)
    builder.add_boolean_field("has_policy", fast=True)
    builder.add_unsigned_field("issue_order", fast=True)
    builder.add_unsigned_field("date_order", fast=True)
    for name in FIELDS:
        builder.add_text_field(
            f"{name}_units", tokenizer_name="whitespace", index_option="basic"
        )
        builder.add_text_field(
            f"{name}_pairs", tokenizer_name="whitespace", index_option="position"
        )
    return builder.build()


SCHEMA = _schema()


def _document(row: tuple) -> tantivy.Document:
    pk, publication, year, issue, number, section, source, kind, date, policy = row[
        : len(RESULT_COLUMNS)
    ]
    texts = row[len(RESULT_COLUMNS) :]
    issue_order, date_order = order_keys(pk, year, number, date)
    document = tantivy.Document()
    document.add_unsigned("article", pk)
    document.add_unsigned("issue", issue or NO_ISSUE)
    for name, value in zip(
        _NUMBERS, (publication, year, issue, number, section, source), strict=True
    ):
        if value is not None:
            document.add_unsigned(name, value)
    if kind:
        document.add_unsigned("kind", KINDS.index(kind))
    if date is not None:
        document.add_unsigned("source_day", date.toordinal())
    document.add_boolean("has_policy", policy)
    document.add_unsigned("issue_order", issue_order)
    document.add_unsigned("date_order", date_order)
    for name, text in zip(FIELDS, texts, strict=True):
        parts = tokenizer.match_text_parts(text)
        document.add_text(
            f"{name}_units",
            " ".join(dict.fromkeys(unit for part in parts for unit in part)),
        )
        document.add_text(
            f"{name}_pairs",
            f" {PART_BREAK} ".join(
                " ".join(_pairs(part)) for part in parts if len(part) > 1
            ),
        )
    return document


def _result_rows(searcher: tantivy.Searcher, addresses: list) -> list[tuple]:
    """RESULT_COLUMNS of these documents, from their fast fields."""
    if not addresses:
        return []
    columns = [searcher.fast_field_values("article", addresses)]
    columns += [searcher.fast_field_values(name, addresses) for name in _NUMBERS]
    kinds = searcher.fast_field_values("kind", addresses)
    days = searcher.fast_field_values("source_day", addresses)
    columns += [
        ["" if kind is None else KINDS[kind] for kind in kinds],
        [None if day is None else datetime.date.fromordinal(day) for day in days],
        searcher.fast_field_values("has_policy", addresses),
    ]
    return list(zip(*columns, strict=True))


# Queries ---------------------------------------------------------------------

Occur = tantivy.Occur
Query = tantivy.Query
# Fields heaviest first, as the reference ranks a group by its best field.
_BY_WEIGHT = sorted(FIELDS, key=FIELD_WEIGHTS.__getitem__, reverse=True)


def _any(queries: list) -> Query:
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Should, q) for q in queries])


def _term_in(term: Term, name: str) -> Query:
    """The exact unit sequence of term in one field."""
    units = term.units
    if len(units) == 1:
        return Query.term_query(SCHEMA, f"{name}_units", units[0])
    pairs = _pairs(units)
    if len(pairs) == 1:
        return Query.term_query(SCHEMA, f"{name}_pairs", pairs[0])
    return Query.phrase_query(SCHEMA, f"{name}_pairs", pairs)


def _group_in(group, name: str) -> Query:
    return _any([_term_in(term, name) for term in group])


def _group_anywhere(group) -> Query:
    return _any([_term_in(term, name) for term in group for name in FIELDS])


def _best_in(group, position: int) -> Query:
    """The group is in the field at position (of _BY_WEIGHT) and in no heavier one."""
    clauses = [(Occur.Must, _group_in(group, _BY_WEIGHT[position]))]
    clauses += [
        (Occur.MustNot, _group_in(group, name)) for name in _BY_WEIGHT[:position]
    ]
    return Query.boolean_query(clauses)


def _bands(groups) -> list[Query]:
    """Matches of every group by their summed weight, heaviest band first: a
    band is every choice of best field per group with that sum."""
    by_sum: dict[int, list[Query]] = {}
    for choice in itertools.product(range(len(_BY_WEIGHT)), repeat=len(groups)):
        weight = sum(FIELD_WEIGHTS[_BY_WEIGHT[p]] for p in choice)
        both = Query.boolean_query(
            [
                (Occur.Must, _best_in(group, p))
                for group, p in zip(groups, choice, strict=True)
            ]
        )
        by_sum.setdefault(weight, []).append(both)
    return [_any(by_sum[weight]) for weight in sorted(by_sum, reverse=True)]


def _scored(groups) -> Query:
    """Every match scored as the reference scores it: per group the weight of
    its best field, summed."""
    return Query.boolean_query(
        [
            (
                Occur.Must,
                Query.disjunction_max_query(
                    [
                        Query.const_score_query(_group_in(group, name), float(weight))
                        for name, weight in FIELD_WEIGHTS.items()
                    ]
                ),
            )
            for group in groups
        ]
    )


def _every_group(groups) -> Query:
    return Query.boolean_query(
        [(Occur.Must, _group_anywhere(group)) for group in groups]
    )


@dataclass(frozen=True)
class Scope:
    """What a search may return beyond matching: issues it must leave out (0
    stands for the pool, articles without an issue) and, if set, the only
    articles it may return (the filters)."""

    hidden_issues: tuple[int, ...] = ()
    only: tuple[int, ...] | None = None

    def narrow(self, match: Query, excluded: tuple[Term, ...]) -> Query:
        clauses = [(Occur.Must, match)]
        if self.only is not None:
            allowed = Query.term_set_query(SCHEMA, "article", list(self.only))
            clauses.append((Occur.Must, Query.const_score_query(allowed, 0.0)))
        if self.hidden_issues:
            hidden = Query.term_set_query(SCHEMA, "issue", list(self.hidden_issues))
            clauses.append((Occur.MustNot, hidden))
        clauses += [(Occur.MustNot, _group_anywhere((term,))) for term in excluded]
        return Query.boolean_query(clauses)


def ranked_rows(
    query: SearchQuery, *, limit: int, by_date: bool, scope: Scope
) -> list[tuple]:
    """The first `limit` matches of query in result order, as RESULT_COLUMNS."""
    if limit <= 0 or scope.only == ():
        return []
    searcher = host_index().searcher()

    def first(match: Query, wanted: int, order: str) -> list:
        hits = searcher.search(
            scope.narrow(match, query.excluded),
            limit=wanted,
            count=False,
            order_by_field=order,
        ).hits
        return [address for _, address in hits]

    groups = query.groups
    if by_date:
        found = first(_every_group(groups), limit, "date_order")
    elif len(groups) <= MAX_BANDED_GROUPS:
        found = []
        for band in _bands(groups):
            found += first(band, limit - len(found), "issue_order")
            if len(found) >= limit:
                break
    else:
        hits = searcher.search(
            scope.narrow(_scored(groups), query.excluded),
            limit=max(searcher.num_docs, 1),
            count=False,
        ).hits
        addresses = [address for _, address in hits]
        keys = searcher.fast_field_values("issue_order", addresses)
        scores = (score for score, _ in hits)
        ranked = sorted(zip(scores, keys, range(len(hits)), strict=False), reverse=True)
        found = [addresses[position] for _, _, position in ranked[:limit]]
    return _result_rows(searcher, found)


# Keeping the index in step with the database ---------------------------------


@dataclass
class State:
    """What the host index holds, as the state file says: shared by the host's
    processes, rewritten only under the write lock."""

    directory: str
    applied: int  # the last change id applied
    # ...and its article: a log that no longer holds that pair was replaced
    # (a restore, a database swapped), so the index is built again.
    applied_article: int | None = None
    gaps: dict[int, float] = field(default_factory=dict)  # missing id -> seen at
    schema: int = SCHEMA_VERSION


def _in_open_transaction() -> bool:
    """Inside a transaction of the caller's (a test's wrapping one aside):
    the changes this connection sees may yet be rolled back, and SQLite then
    hands their ids out again, so the index must not take them as applied."""
    return any(
        not getattr(block, "_from_testcase", False)
        for block in connection.atomic_blocks
    )


@contextlib.contextmanager
def _exclusive(path: Path, wait: float):
    """The host-wide write lock, or None after waiting `wait` seconds for it."""
    with open(path, "a") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    yield None
                    return
                time.sleep(0.02)
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class HostIndex:
    """The index directory of this host, opened once per process."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._lock = threading.Lock()
        self._index: tantivy.Index | None = None
        self._opened: State | None = None

    # Reading ---------------------------------------------------------------

    def searcher(self) -> tantivy.Searcher:
        """A searcher holding every change committed to the database so far
        (inside a transaction of the caller's, as committed before it)."""
        with self._lock:
            state = self._state()
            if state is not None and _in_open_transaction():
                self._open(state)
                return self._index.searcher()
            changes = self._pending(state) if state else None
            if changes != []:
                state = self.catch_up(seen=(state, changes)) or state
            if state is None:
                raise RuntimeError(
                    f"the search index in {self.root} is being built by another process"
                )
            self._open(state)
            return self._index.searcher()

    def _state(self) -> State | None:
        try:
            data = json.loads((self.root / STATE_FILE).read_text())
        except (FileNotFoundError, ValueError):
            return None
        if data.get("schema") != SCHEMA_VERSION:
            return None
        data["gaps"] = {int(pk): seen for pk, seen in data["gaps"].items()}
        return State(**data)

    def _open(self, state: State) -> None:
        """Read the index as state says: another directory is opened, another
        commit to the same one reloaded."""
        if self._opened is None or state.directory != self._opened.directory:
            self._index = tantivy.Index.open(str(self.root / state.directory))
        elif state != self._opened:
            self._index.reload()
        self._opened = state

    @staticmethod
    def _pending(state: State) -> list[tuple[int, int]] | None:
        """(change id, article id) of the changes the index has not applied;
        None if the log no longer holds the last one applied (see State)."""
        beyond = Q(id__gte=state.applied)
        if state.gaps:
            beyond |= Q(id__in=list(state.gaps))
        changes = list(
            IndexChange.objects.filter(beyond)
            .order_by("id")
            .values_list("id", "article_id")
        )
        if state.applied:
            if not changes or changes[0] != (state.applied, state.applied_article):
                return None
            return changes[1:]
        return changes

    # Writing ---------------------------------------------------------------

    def catch_up(self, progress=None, seen=(None, ())) -> State | None:
        """Apply the changes logged since the index last looked (building it
        if there is none); None if another process kept the lock too long.

        seen: a state and the changes pending for it, read before taking the
        lock; still pending if no other process has moved the state on since.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with _exclusive(self.root / LOCK_FILE, WRITE_WAIT_SECONDS) as locked:
            if locked is None:
                logger.warning(
                    "search index %s: still locked, read as it is", self.root
                )
                return None
            state = self._state()
            changes = seen[1] if seen[0] == state else self._pending(state)
            if state is None or changes is None:
                return self._build(progress)
            if changes:
                state = self._apply(state, changes, progress)
            return state

    def rebuild(self, progress=None) -> State:
        """Build the index again from the database, into a new directory."""
        self.root.mkdir(parents=True, exist_ok=True)
        with _exclusive(self.root / LOCK_FILE, WRITE_WAIT_SECONDS) as locked:
            if locked is None:
                raise RuntimeError(f"the search index in {self.root} stays locked")
            return self._build(progress)

    def _build(self, progress) -> State:
        last = IndexChange.objects.order_by("-id").values_list("id", "article_id")
        latest, latest_article = last.first() or (0, None)
        # Changes of transactions still open now have ids at most this far back.
        present = set(
            IndexChange.objects.filter(id__gt=latest - MAX_GAPS).values_list(
                "id", flat=True
            )
        )
        directory = f"index-{uuid.uuid4().hex[:12]}"
        path = self.root / directory
        path.mkdir()
        index = tantivy.Index(SCHEMA, path=str(path))
        writer = index.writer(heap_size=WRITER_HEAP_BYTES, num_threads=1)
        total = SearchDocument.objects.count()
        done = 0
        for row in SearchDocument.objects.values_list(*COLUMNS).iterator(READ_CHUNK):
            writer.add_document(_document(row))
            done += 1
            if progress and done % READ_CHUNK == 0:
                progress(done, total)
        writer.commit()
        writer.wait_merging_threads()
        if progress:
            progress(done, total)
        now = time.time()
        gaps = {
            pk: now
            for pk in range(max(latest - MAX_GAPS, 0) + 1, latest + 1)
            if pk not in present
        }
        state = State(directory, latest, latest_article, gaps)
        self._save(state)
        for old in self.root.glob("index-*"):
            if old.name != directory:
                shutil.rmtree(old, ignore_errors=True)
        return state

    def _apply(self, state: State, changes, progress) -> State:
        index = tantivy.Index.open(str(self.root / state.directory))
        writer = index.writer(heap_size=WRITER_HEAP_BYTES, num_threads=1)
        articles = sorted({article for _, article in changes})
        # By query: the binding's delete by term reads an int as signed.
        writer.delete_documents_by_query(
            Query.term_set_query(SCHEMA, "article", articles)
        )
        for start in range(0, len(articles), READ_CHUNK):
            chunk = articles[start : start + READ_CHUNK]
            rows = SearchDocument.objects.filter(article_id__in=id_list(chunk))
            for row in rows.values_list(*COLUMNS):
                writer.add_document(_document(row))
            if progress:
                progress(min(start + READ_CHUNK, len(articles)), len(articles))
        writer.commit()
        writer.wait_merging_threads()

        seen = dict(changes)
        top = max(state.applied, *seen)
        now = time.time()
        gaps = {
            pk: since
            for pk, since in state.gaps.items()
            if pk not in seen and now - since < GAP_SECONDS
        }
        for pk in range(max(state.applied, top - MAX_GAPS) + 1, top):
            if pk not in seen:
                gaps[pk] = now
        newest = sorted(gaps, reverse=True)[:MAX_GAPS]
        state = State(
            directory=state.directory,
            applied=top,
            applied_article=seen.get(top, state.applied_article),
            gaps={pk: gaps[pk] for pk in newest},
        )
        self._save(state)
        return state

    def _save(self, state: State) -> None:
        temporary = self.root / f"{STATE_FILE}.{os.getpid()}"
        temporary.write_text(json.dumps(asdict(state)))
        os.replace(temporary, self.root / STATE_FILE)


_current: HostIndex | None = None
_current_lock = threading.Lock()


def host_index() -> HostIndex:
    """The index of SEARCH_INDEX_DIR, one per process."""
    global _current
    root = Path(settings.SEARCH_INDEX_DIR)
    with _current_lock:
        if _current is None or _current.root != root:
            _current = HostIndex(root)
        return _current
