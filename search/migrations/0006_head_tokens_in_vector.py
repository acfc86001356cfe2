"""Move the head tokens into the full vector, marked, and drop head_vector.

One GIN condition over one vector then answers "matches the query and has a
term in its title or abstract" inside the index, where two vectors made the
planner read each candidate's full vector from TOAST to check the second one.
The GIN index is dropped during the rewrite: updating it row by row is far
slower than building it again.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "DROP INDEX IF EXISTS search_document_head_gin",
    "UPDATE search_searchdocument SET vector = vector || "
    "array_to_tsvector(ARRAY(SELECT '^' || lexeme FROM unnest(head_vector)))",
    "ALTER TABLE search_searchdocument DROP COLUMN head_vector",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING GIN (vector)",
    "ANALYZE search_searchdocument",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "ALTER TABLE search_searchdocument ADD COLUMN head_vector tsvector NOT NULL DEFAULT ''",
    "ALTER TABLE search_searchdocument ALTER COLUMN head_vector SET STORAGE MAIN",
    "UPDATE search_searchdocument SET "
    "head_vector = array_to_tsvector(ARRAY("
    "SELECT substr(lexeme, 2) FROM unnest(vector) WHERE lexeme LIKE '^%%')), "
    "vector = array_to_tsvector(ARRAY("
    "SELECT lexeme FROM unnest(vector) WHERE lexeme NOT LIKE '^%%'))",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING GIN (vector)",
    "CREATE INDEX search_document_head_gin ON search_searchdocument USING GIN (head_vector)",
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
        ("search", "0005_order_keys_and_head_vector"),
    ]

    operations = [migrations.RunPython(forward, backward)]
