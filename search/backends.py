"""The full-text half of the index, one class per database, behind one interface.

Both backends store the same tokens (tokenizer.index_tokens of every field) and
answer the same question: which index rows have every token of the query? The
exact check and the ranking happen in the ORM on the row's text columns
(search/engine.py), identically on both.

User text never reaches MATCH or to_tsquery: the expressions are built here from
tokens, each quoted, so FTS5 syntax (NEAR(, *, :) or tsquery operators typed into
the search box are only characters that tokenize to nothing.
"""

import contextlib
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import BooleanField, Expression, Field, Func, Value

from search.models import TokenVectorField
from search.query import SearchQuery, Term


@dataclass(frozen=True)
class IndexedField:
    """One part of an item as search sees it: how much a match there weighs, and
    whether it is a head field (its tokens also stored behind the head mark, so
    one index condition finds the best-ranked matches)."""

    name: str
    weight: int
    head: bool = False


# The one declaration of ranking: the title, abstract/keywords/tags (meta), body
# text, and source/attachments (tail), heaviest first. The relevance expression
# and the tiers that read results in order (engine.py) derive from it.
INDEXED_FIELDS = (
    IndexedField("title", 8, head=True),
    IndexedField("meta", 4, head=True),
    IndexedField("body", 2),
    IndexedField("tail", 1),
)
FIELDS = tuple(field.name for field in INDEXED_FIELDS)
HEAD_FIELDS = tuple(field.name for field in INDEXED_FIELDS if field.head)
FIELD_WEIGHTS = {field.name: field.weight for field in INDEXED_FIELDS}


@dataclass
class IndexRow:
    article_id: int
    tokens: dict[str, list[str]]  # field -> tokens
    year: int | None = None  # the year (YearWindow)

    def all_tokens(self) -> set[str]:
        return {token for field in FIELDS for token in self.tokens[field]}

    def head_tokens(self) -> set[str]:
        """Title and abstract/keywords/tags: the fields that rank highest."""
        return {token for field in HEAD_FIELDS for token in self.tokens[field]}


@dataclass(frozen=True)
class YearWindow:
    """A slice of the result order for the full-text condition: the rows of
    issue years from lo up to hi (hi excluded). No lo: every older year and
    the rows without an issue; no hi: every newer year.

    Issue order is newest year first, so reading a tier newest years first
    lets a search stop after the rows it shows, without the heap reading every
    match of a common word to sort them all (engine._read_tier).
    """

    lo: int | None = None
    hi: int | None = None


class SearchBackend:
    vendor = ""
    # Decades counted from here; a year before it has its own token only.
    FIRST_DECADE = 1900

    @classmethod
    def _decades(cls, year: int) -> range:
        """The decades a year is in or after: with them, "from 2013 on" is the
        years to the next decade and one decade token, so that the index walks
        the shorter of a window's rows and the query's matches, never one
        entry per year of a long window."""
        return range(cls.FIRST_DECADE, year + 1, 10)

    @classmethod
    def _from_year(cls, year: int) -> tuple[range, int]:
        """ "Issue year is year or later" as the years before the next decade,
        and that decade (see _decades)."""
        year = int(year)
        decade = max(-(-year // 10) * 10, cls.FIRST_DECADE)
        return range(year, decade), decade

    def vector(self, row: IndexRow):
        """The value of SearchDocument.vector for row (an expression or "")."""
        return ""

    def write(self, rows: list[IndexRow]) -> None:
        """Store the full-text part kept outside the SearchDocument rows (which
        exist by now) for these articles."""

    def delete(self, article_ids: list[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        """Empty the index: every SearchDocument row and what lies beside them."""
        raise NotImplementedError

    @contextlib.contextmanager
    def rebuilding(self):
        """Around writing every row anew (indexing.reindex_all)."""
        yield

    def matches(
        self,
        query: SearchQuery,
        head: tuple[Term, ...] = (),
        window: YearWindow | None = None,
    ) -> "RowMatches":
        """A filter on search_searchdocument: the row holds every token query
        needs, lacks each excluded term the index proves (see
        provable_exclusions), if head is given has any of those terms' tokens
        in its title or abstract/keywords/tags (the head condition may hold for
        other rows too: callers confirm), and if window is given lies in it."""
        raise NotImplementedError


def provable_exclusions(query: SearchQuery) -> tuple[Term, ...]:
    """Excluded terms whose tokens prove them (tokenizer.is_exact_in_index):
    the full-text condition leaves their rows out by itself. Longer excluded
    terms are left to the exact check on the row's text: lacking one of their
    tokens proves nothing about a row that has them all."""
    return tuple(term for term in query.excluded if term.exact_in_index)


class RowMatches(Expression):
    """A boolean SQL condition on the search_searchdocument row being filtered.

    template names that row as {row}; the alias is taken when the condition joins
    a query and follows it when Django relabels the query as a subquery.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, template: str, params: list, alias: str | None = None):
        super().__init__()
        self.template, self.params, self.alias = template, params, alias

    def resolve_expression(self, query=None, *args, **kwargs):
        resolved = self.copy()
        resolved.alias = query.get_initial_alias()
        return resolved

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler, connection):
        row = compiler.quote_name_unless_alias(self.alias)
        return self.template.format(row=row), list(self.params)


class PostgresBackend(SearchBackend):
    """A tsvector column on search_searchdocument with a GIN index.

    The tokens are stored as they are (array_to_tsvector: no parser, no positions,
    no weights) because the GIN index only has to find candidate rows; which field
    matched is read from the row's small text columns. The title and
    abstract/keywords tokens are stored a second time behind HEAD_MARK, so that
    one GIN condition finds "the best-ranked matches" without reading any row's
    vector, and the issue's year is in it too (year_tokens), for the year
    windows: the index answers the whole tsquery exactly (no recheck),
    however the head, year and full conditions combine. (The year as a second
    condition on the btree of issue order let the planner walk that index and
    read each row's vector.) Queries are cast to tsquery directly, so no text
    search configuration touches either side.
    """

    vendor = "postgresql"
    # Not unit characters (units are CJK characters and letter/digit runs).
    HEAD_MARK = "^"
    YEAR_MARK = "@"

    def vector(self, row):
        # array_to_tsvector sorts the lexemes itself.
        tokens = [*row.all_tokens(), *(self.HEAD_MARK + t for t in row.head_tokens())]
        if row.year is not None:
            tokens += self.year_tokens(row.year)
        return Func(
            Value(tokens, output_field=Field()),
            template="array_to_tsvector(%(expressions)s::text[])",
            output_field=TokenVectorField(),
        )

    def delete(self, article_ids):
        """The vector lives in the SearchDocument row, which the cascade removes."""

    def clear(self):
        """TRUNCATE gives the table, its TOAST table and indexes new empty
        files: deleted rows would stay as dead space that the rebuild grows
        past (a second reindex of 100 000 items took the table from 1.4 GB to
        2.5 GB) until a VACUUM FULL, which locks the table for a minute.
        Inside a transaction that has written rows (their deferred foreign
        key checks pending) PostgreSQL refuses TRUNCATE: the rows are deleted."""
        with connection.cursor() as cursor:
            if connection.in_atomic_block:
                cursor.execute("DELETE FROM search_searchdocument")
            else:
                cursor.execute("TRUNCATE search_searchdocument")

    GIN_INDEX = "search_document_vector_gin"

    @contextlib.contextmanager
    def rebuilding(self):
        """Without the GIN index while every row is written, then with a new
        one: building it at once is several times faster than updating it row
        by row, and gives a compact index (a smaller one to scan). Inside a
        transaction the index stays: PostgreSQL refuses to build one on a
        table with deferred checks pending, and the lock would last as long."""
        if connection.in_atomic_block:
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {self.GIN_INDEX}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {self.GIN_INDEX} "
                    "ON search_searchdocument USING GIN (vector)"
                )
                cursor.execute("ANALYZE search_searchdocument")

    def matches(self, query, head=(), window=None):
        if head and list(query.groups) == [tuple(head)]:
            # The marked tokens of the one group imply its unmarked ones,
            # which are among the longest lists the index would walk.
            tsquery = self._tsquery([head], mark=self.HEAD_MARK)
        else:
            tsquery = self._tsquery(query.groups)
            if head:
                marked = self._tsquery([head], mark=self.HEAD_MARK)
                tsquery = f"({marked}) & {tsquery}"
        for term in provable_exclusions(query):
            tsquery += f" & !{self._term(term)}"
        if window is not None and window.lo is not None:
            tsquery += f" & {self._from_year_query(window.lo)}"
        if window is not None and window.hi is not None:
            tsquery += f" & !{self._from_year_query(window.hi)}"
        # One tsquery: a second @@ condition on the same index is rechecked
        # on every row it finds, reading that row's vector.
        return RowMatches("{row}.vector @@ %s::tsquery", [tsquery])

    @classmethod
    def year_tokens(cls, year: int) -> list[str]:
        """The year itself ('@2023') and every decade it is in or after
        ('@2020+', '@2010+' … '@1900+'), see SearchBackend._decades."""
        mark = cls.YEAR_MARK
        return [f"{mark}{year}", *(f"{mark}{decade}+" for decade in cls._decades(year))]

    @classmethod
    def _from_year_query(cls, year: int) -> str:
        """tsquery for "issue year is year or later" (see year_tokens)."""
        years, decade = cls._from_year(year)
        parts = [f"'{cls.YEAR_MARK}{y}'" for y in years]
        parts.append(f"'{cls.YEAR_MARK}{decade}+'")
        return "(" + " | ".join(parts) + ")"

    @classmethod
    def _tsquery(cls, groups, mark: str = "") -> str:
        return " & ".join(
            "(" + " | ".join(cls._term(term, mark) for term in group) + ")"
            for group in groups
        )

    @staticmethod
    def _term(term: Term, mark: str = "") -> str:
        lexemes = [
            "'" + (mark + token).replace("\\", "\\\\").replace("'", "''") + "'"
            for token in term.index_tokens
        ]
        return "(" + " & ".join(lexemes) + ")"


class SqliteBackend(SearchBackend):
    """The FTS5 table search_fts, one column per field, rowid = article id,
    and a column `year` with the issue's year and decades (year_tokens), so
    that a window of years is part of the MATCH: FTS5 then finds only that
    window's rows, instead of every match of every year for each window."""

    vendor = "sqlite"

    def write(self, rows):
        with connection.cursor() as cursor:
            self._delete(cursor, [row.article_id for row in rows])
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, meta, body, tail, year) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    [
                        row.article_id,
                        *(" ".join(row.tokens[f]) for f in FIELDS),
                        " ".join(self.year_tokens(row.year)),
                    ]
                    for row in rows
                ],
            )

    @classmethod
    def year_tokens(cls, year: int | None) -> list[str]:
        """'y2023' and 'd2020', 'd2010' … 'd1900' (the unicode61 tokenizer
        keeps letters and digits only); none for an article without an issue."""
        if year is None:
            return []
        return [f"y{year}", *(f"d{decade}" for decade in cls._decades(year))]

    @classmethod
    def _from_year_query(cls, year: int) -> str:
        years, decade = cls._from_year(year)
        return (
            "{year} : (" + " OR ".join([*(f"y{y}" for y in years), f"d{decade}"]) + ")"
        )

    def delete(self, article_ids):
        with connection.cursor() as cursor:
            self._delete(cursor, article_ids)

    @staticmethod
    def _delete(cursor, article_ids):
        for start in range(0, len(article_ids), 500):
            chunk = article_ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"DELETE FROM search_fts WHERE rowid IN ({marks})",  # noqa: S608
                chunk,
            )

    def clear(self):
        """SQLite reuses the freed pages; the FTS5 deletions are merged away
        once the rebuild is done (rebuilding)."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
            cursor.execute("DELETE FROM search_searchdocument")

    @contextlib.contextmanager
    def rebuilding(self):
        """Merge the FTS5 index into one segment afterwards: without deleted
        entries, smaller and quicker to read."""
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO search_fts (search_fts) VALUES ('optimize')"
                )

    # The text columns, named in every term: the year column's tokens must
    # not answer a word typed into the search box.
    TEXT = "{" + " ".join(FIELDS) + "}"
    HEAD = "{" + " ".join(HEAD_FIELDS) + "}"

    def matches(self, query, head=(), window=None):
        groups = " AND ".join(
            "(" + " OR ".join(self._term(term) for term in group) + ")"
            for group in query.groups
        )
        expression = f"{self.TEXT} : ({groups})"
        if head:
            any_head = " OR ".join(self._term(term) for term in head)
            expression = f"{self.HEAD} : ({any_head}) AND {expression}"
        if window is not None and window.lo is not None:
            expression += f" AND {self._from_year_query(window.lo)}"
        not_wanted = [
            f"{self.TEXT} : ({self._term(term)})" for term in provable_exclusions(query)
        ]
        if window is not None and window.hi is not None:
            not_wanted.append(self._from_year_query(window.hi))
        if not_wanted:
            expression = f"({expression}) NOT ({' OR '.join(not_wanted)})"
        template = "{row}.article_id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
        return RowMatches(template, [expression])

    @staticmethod
    def _term(term: Term) -> str:
        quoted = ['"' + token.replace('"', '""') + '"' for token in term.index_tokens]
        return "(" + " AND ".join(quoted) + ")"


def get_backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"search has no backend for {connection.vendor}")
