"""Archivists and chief editors maintain the search dictionary (SearchTerm)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ("档案员", "主编")
CODENAMES = ("view_searchterm", "add_searchterm", "change_searchterm", "delete_searchterm")


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make them exist now.
    app_config = apps.get_app_config("search")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="search", codename__in=CODENAMES
        )
    )
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="search")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("issues", "0002_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
