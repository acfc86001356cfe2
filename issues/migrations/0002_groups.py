"""Create the office's groups with their permissions (see issues/roles.py)."""

from django.db import migrations

from issues.roles import GROUP_PERMISSIONS, migrate_groups


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0001_initial"),
        ("articles", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(migrate_groups, remove_groups)]
