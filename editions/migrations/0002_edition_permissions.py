"""Let staff see the generated editions in the admin.

The groups are made to match bulletin/roles.py after every migrate (post_migrate).
This migration once did it from that live table; it now does nothing, so it means
the same whatever the table says later.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("editions", "0001_initial"),
        ("issues", "0002_groups"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)
    ]
