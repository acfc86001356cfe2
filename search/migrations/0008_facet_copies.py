"""Index rows carry what the facets count, so that the rows a search finds
bring it along instead of a second read of a thousand articles."""

import django.db.models.deletion
from django.db import migrations, models

# Portable SQL (SQLite and PostgreSQL): one statement however many rows.
FILL = (
    "UPDATE search_searchdocument SET "
    "section_id = (SELECT section_id FROM articles_article a WHERE a.id = article_id), "
    "source_id = (SELECT source_id FROM articles_article a WHERE a.id = article_id), "
    "kind = (SELECT kind FROM articles_article a WHERE a.id = article_id), "
    "publication_id = (SELECT publication_id FROM issues_issue i WHERE i.id = issue_id), "
    "has_policy = EXISTS (SELECT 1 FROM articles_articlepolicydocument p "
    "WHERE p.article_id = search_searchdocument.article_id)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_article_version_historicalarticle_and_more"),
        ("issues", "0004_publication_unicode_slug"),
        ("search", "0007_vector_field"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="has_policy",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="kind",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="publication",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="issues.publication",
            ),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="section",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="issues.section",
            ),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="source",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="articles.source",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
