"""Created the office's groups with their permissions.

The groups are made to match bulletin/roles.py after every migrate (post_migrate).
This migration once did it from that live table; it now does nothing, so it means
the same whatever the table says later.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0001_initial"),
        ("articles", "0001_initial"),
        (
            "taggit",
            "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx",
        ),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)
    ]
