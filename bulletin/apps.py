from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinConfig(AppConfig):
    name = "bulletin"
    verbose_name = _("Bulletin")

    def ready(self):
        from django.db.models.signals import post_migrate

        from bulletin.permission_names import name_permissions
        from bulletin.roles import sync_groups

        post_migrate.connect(sync_groups, dispatch_uid="bulletin-sync-groups")
        post_migrate.connect(name_permissions, dispatch_uid="bulletin-name-permissions")
