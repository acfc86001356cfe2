"""The issue's year and the decades it is in or after become tokens of the
vector ('@2023', '@2020+' … '@1900+', see PostgresBackend.year_tokens), so that
a search can read a tier of matches newest years first inside the GIN index
(backends.YearWindow). The GIN index is dropped during the rewrite: updating it
row by row is far slower than building it again.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "UPDATE search_searchdocument "
    "SET vector = vector || array_to_tsvector(ARRAY['@' || issue_year] || ARRAY("
    "SELECT '@' || decade || '+' FROM generate_series(1900, issue_year, 10) decade)) "
    "WHERE issue_year IS NOT NULL",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING GIN (vector)",
    "ANALYZE search_searchdocument",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "UPDATE search_searchdocument "
    "SET vector = array_to_tsvector(ARRAY("
    "SELECT lexeme FROM unnest(vector) WHERE lexeme NOT LIKE '@%%'))",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING GIN (vector)",
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
        ("search", "0009_body_text_in_row"),
    ]

    operations = [migrations.RunPython(forward, backward)]
