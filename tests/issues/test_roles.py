from django.contrib.auth.models import Group

from bulletin.roles import GROUP_PERMISSIONS


def test_the_migrations_give_each_group_exactly_the_permissions_of_the_roles_table(db):
    for name, codenames in GROUP_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert granted == set(codenames), name
