"""SearchDocument.vector becomes a model field, so the row and its vector are
written in one statement (one row version per save, not two).

PostgreSQL has had the column since 0001; SQLite gets an empty text column.
"""

from django.db import migrations, models


class TokenVectorField(models.Field):
    """The field as it was (a tsvector on PostgreSQL, text on SQLite), kept
    here since search.models dropped it (0014)."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


def add_sqlite_column(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "ALTER TABLE search_searchdocument ADD COLUMN vector text NOT NULL DEFAULT ''"
        )


def drop_sqlite_column(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ALTER TABLE search_searchdocument DROP COLUMN vector")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_head_tokens_in_vector"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="searchdocument",
                    name="vector",
                    field=TokenVectorField(default="", editable=False),
                ),
            ],
            database_operations=[
                migrations.RunPython(add_sqlite_column, drop_sqlite_column),
            ],
        ),
    ]
