"""The full-text half kept in the database goes: each host's tantivy index
(search/host_index.py) finds and ranks results, built from the rows' text.

Dropped: the tsvector column and its GIN index, and the result-order indexes
the year windows walked, on PostgreSQL; the FTS5 table and the empty vector
column on SQLite. Going back restores them empty: run `reindex` after.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "DROP INDEX IF EXISTS search_document_issue_order",
    "DROP INDEX IF EXISTS search_document_date_order",
    "ALTER TABLE search_searchdocument DROP COLUMN vector",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE search_searchdocument ADD COLUMN vector tsvector NOT NULL DEFAULT ''",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING GIN (vector)",
    "CREATE INDEX search_document_issue_order ON search_searchdocument "
    "(issue_year DESC NULLS LAST, issue_number DESC NULLS LAST, "
    "source_date DESC NULLS LAST, article_id DESC)",
    "CREATE INDEX search_document_date_order ON search_searchdocument "
    "(source_date DESC NULLS LAST, issue_year DESC NULLS LAST, "
    "issue_number DESC NULLS LAST, article_id DESC)",
]
SQLITE_FORWARD = [
    "DROP TABLE IF EXISTS search_fts",
    "ALTER TABLE search_searchdocument DROP COLUMN vector",
]
SQLITE_BACKWARD = [
    "ALTER TABLE search_searchdocument ADD COLUMN vector text NOT NULL DEFAULT ''",
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, meta, body, tail, year, "
    "tokenize = 'unicode61 remove_diacritics 0')",
]


def run(statements):
    def operation(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0013_index_change_log"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="searchdocument", name="vector"),
            ],
            database_operations=[
                migrations.RunPython(
                    run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
                    run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
                ),
            ],
        ),
    ]
