"""Staff may see the generated editions in the admin (issues/roles.py)."""

from django.db import migrations

from issues.roles import migrate_groups


class Migration(migrations.Migration):
    dependencies = [
        ("editions", "0001_initial"),
        ("issues", "0002_groups"),
    ]

    operations = [migrations.RunPython(migrate_groups, migrations.RunPython.noop)]
