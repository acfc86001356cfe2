import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    """Each correction names its issue; the old field list becomes changes whose
    before/after texts were not recorded then."""
    Correction = apps.get_model("articles", "Correction")
    for correction in Correction.objects.select_related("article"):
        correction.issue_id = correction.article.issue_id
        correction.changes = [
            {"field": name, "before": "", "after": ""}
            for name in correction.changed_fields
        ]
        correction.save(update_fields=["issue", "changes"])


def backwards(apps, schema_editor):
    Correction = apps.get_model("articles", "Correction")
    for correction in Correction.objects.exclude(article=None):
        correction.changed_fields = [change["field"] for change in correction.changes]
        correction.save(update_fields=["changed_fields"])
    Correction.objects.filter(article=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_article_version_historicalarticle_and_more"),
        ("issues", "0004_publication_unicode_slug"),
    ]

    operations = [
        migrations.AddField(
            model_name="correction",
            name="issue",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="corrections",
                to="issues.issue",
                verbose_name="期刊",
            ),
        ),
        migrations.AddField(
            model_name="correction",
            name="changes",
            field=models.JSONField(
                default=list, help_text="每项：字段、更正前、更正后。", verbose_name="更正内容"
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="correction",
            name="issue",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="corrections",
                to="issues.issue",
                verbose_name="期刊",
            ),
        ),
        migrations.AlterField(
            model_name="correction",
            name="article",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="corrections",
                to="articles.article",
                verbose_name="条目",
            ),
        ),
        migrations.RemoveField(model_name="correction", name="changed_fields"),
    ]
