"""Archivists and chief editors maintain the search dictionary (issues/roles.py)."""

from django.db import migrations

from issues.roles import migrate_groups


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("issues", "0002_groups"),
    ]

    operations = [migrations.RunPython(migrate_groups, migrations.RunPython.noop)]
