"""Keep the body's unit text in the row (STORAGE MAIN) instead of TOAST.

The exact check of a term of three or more units reads body_text for every
result it confirms; out of line, each read cost a TOAST index lookup and a
chunk fetch, about half of the check. Rows get wider (about 2 KB), which the
bitmap scans of the GIN index barely notice. Existing rows are rewritten so
that their text moves in; the GIN index is rebuilt rather than updated row by
row.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "ALTER TABLE search_searchdocument ALTER COLUMN body_text SET STORAGE MAIN",
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "UPDATE search_searchdocument SET body_text = body_text || ''",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING GIN (vector)",
    "ANALYZE search_searchdocument",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE search_searchdocument ALTER COLUMN body_text SET STORAGE EXTENDED",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0008_facet_copies"),
    ]

    operations = [migrations.RunPython(forward, backward)]
