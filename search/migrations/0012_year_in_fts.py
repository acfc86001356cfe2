"""On SQLite, the issue's year and decades become a column of the FTS5 table
('y2023 d2020 d2010 … d1900', see SqliteBackend.year_tokens), so that a window
of years is part of the MATCH instead of a filter on every match of every year.
FTS5 cannot add a column: the table is built anew from the old one.
"""

from django.db import migrations

FIRST_DECADE = 1900
TOKENIZE = "tokenize = 'unicode61 remove_diacritics 0'"


def year_tokens(year):
    decades = range(FIRST_DECADE, year + 1, 10)
    return " ".join([f"y{year}", *(f"d{decade}" for decade in decades)])


def rebuild(schema_editor, columns, fill_year):
    execute = schema_editor.execute
    execute(f"CREATE VIRTUAL TABLE search_fts_new USING fts5({columns}, {TOKENIZE})")
    copied = "rowid, title, meta, body, tail"
    execute(
        f"INSERT INTO search_fts_new ({copied}) SELECT {copied} FROM search_fts"  # noqa: S608
    )
    if fill_year:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT issue_year FROM search_searchdocument "
                "WHERE issue_year IS NOT NULL"
            )
            years = [year for (year,) in cursor.fetchall()]
            for year in years:
                cursor.execute(
                    "UPDATE search_fts_new SET year = %s WHERE rowid IN "
                    "(SELECT article_id FROM search_searchdocument WHERE issue_year = %s)",
                    [year_tokens(year), year],
                )
    execute("DROP TABLE search_fts")
    execute("ALTER TABLE search_fts_new RENAME TO search_fts")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        rebuild(schema_editor, "title, meta, body, tail, year", fill_year=True)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        rebuild(schema_editor, "title, meta, body, tail", fill_year=False)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0011_english_msgids"),
    ]

    operations = [migrations.RunPython(forward, backward)]
