"""Every build is its own row: drop the one-row-per-kind constraint. Existing rows
stay as they are and become the first entries of each issue's history."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("editions", "0002_edition_permissions"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="edition",
            name="editions_edition_unique_kind",
        ),
        migrations.AlterModelOptions(
            name="edition",
            options={
                "get_latest_by": "generated_at",
                "ordering": ("-generated_at", "-pk"),
                "verbose_name": "印刷版",
                "verbose_name_plural": "印刷版",
            },
        ),
        migrations.AddIndex(
            model_name="edition",
            index=models.Index(
                fields=["issue", "kind", "-generated_at"],
                name="editions_edition_latest_idx",
            ),
        ),
    ]
