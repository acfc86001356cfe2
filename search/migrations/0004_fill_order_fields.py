"""Fill the copied issue and source date of existing index rows.

On PostgreSQL this also drops the positions and weights that the vectors no
longer use (the tokens stay, so no reindex is needed).
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery

POSTGRES_FILL = """
UPDATE search_searchdocument AS row
SET issue_id = article.issue_id, source_date = article.source_date,
    vector = strip(row.vector)
FROM articles_article AS article
WHERE article.id = row.article_id
"""


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FILL)
        return
    Article = apps.get_model("articles", "Article")
    SearchDocument = apps.get_model("search", "SearchDocument")
    article = Article.objects.filter(pk=OuterRef("article_id"))
    SearchDocument.objects.update(
        issue_id=Subquery(article.values("issue_id")[:1]),
        source_date=Subquery(article.values("source_date")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_copy_order_fields")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
