"""The full-text half of the index, one class per database, behind one interface.

Both backends store the same tokens (tokenizer.index_tokens per field: title A,
abstract/keywords/tags B, body C, source and attachments D) and answer the same
question: which articles have every token of the query? The exact check and
the ranking happen in the ORM (search/engine.py), identically on both.

User text never reaches MATCH or to_tsquery: the expressions are built here from
tokens, each quoted, so FTS5 syntax (NEAR(, *, :) or tsquery operators typed into
the search box are only characters that tokenize to nothing.
"""

from dataclasses import dataclass

from django.db import connection

from search.query import SearchQuery, Term

FIELDS = ("title", "meta", "body", "tail")
WEIGHTS = {"title": "A", "meta": "B", "body": "C", "tail": "D"}


@dataclass
class IndexRow:
    article_id: int
    tokens: dict[str, list[str]]  # field -> tokens


class SearchBackend:
    vendor = ""

    def write(self, rows: list[IndexRow]) -> None:
        """Store the full-text part for these articles (their SearchDocument rows exist)."""
        raise NotImplementedError

    def delete(self, article_ids: list[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def candidates_sql(self, query: SearchQuery) -> tuple[str, list]:
        """SELECT of the ids of articles holding every index token the query needs."""
        raise NotImplementedError


class PostgresBackend(SearchBackend):
    """A weighted tsvector column on search_searchdocument with a GIN index.

    Tokens are already segmented, so the 'simple' configuration only lowercases;
    tokens are joined by spaces and read back by to_tsvector unchanged.
    """

    vendor = "postgresql"

    def write(self, rows):
        vector = " || ".join(
            f"setweight(to_tsvector('simple', %s), '{WEIGHTS[field]}')"
            for field in FIELDS
        )
        sql = (
            f"UPDATE search_searchdocument SET vector = {vector} "  # noqa: S608
            "WHERE article_id = %s"
        )
        params = [
            [*(" ".join(row.tokens[field]) for field in FIELDS), row.article_id]
            for row in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)

    def delete(self, article_ids):
        """The vector lives in the SearchDocument row, which the cascade removes."""

    def clear(self):
        """Nothing beyond the SearchDocument rows."""

    def candidates_sql(self, query):
        expression = " & ".join(
            "(" + " | ".join(self._term(term) for term in group) + ")"
            for group in query.groups
        )
        return (
            "SELECT article_id FROM search_searchdocument "
            "WHERE vector @@ to_tsquery('simple', %s)",
            [expression],
        )

    @staticmethod
    def _term(term: Term) -> str:
        lexemes = [
            "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
            for token in term.index_tokens
        ]
        return "(" + " & ".join(lexemes) + ")"


class SqliteBackend(SearchBackend):
    """The FTS5 table search_fts, one column per field, rowid = article id."""

    vendor = "sqlite"

    def write(self, rows):
        with connection.cursor() as cursor:
            self._delete(cursor, [row.article_id for row in rows])
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, meta, body, tail) "
                "VALUES (%s, %s, %s, %s, %s)",
                [
                    [row.article_id, *(" ".join(row.tokens[f]) for f in FIELDS)]
                    for row in rows
                ],
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
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    def candidates_sql(self, query):
        expression = " AND ".join(
            "(" + " OR ".join(self._term(term) for term in group) + ")"
            for group in query.groups
        )
        return "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [expression]

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
