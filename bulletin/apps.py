from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinConfig(AppConfig):
    name = "bulletin"
    verbose_name = _("Bulletin")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import post_delete, post_migrate, post_save

        from bulletin.auth import user_changed
        from bulletin.caching import invalidate
        from bulletin.permission_names import name_permissions
        from bulletin.roles import sync_groups

        post_migrate.connect(sync_groups, dispatch_uid="bulletin-sync-groups")
        post_migrate.connect(name_permissions, dispatch_uid="bulletin-name-permissions")
        # Cached pages are kept per reader's permissions (bulletin/pages.py):
        # m2m_changed covers granting and revoking, these the deletions it misses.
        for model in (Group, Permission):
            post_delete.connect(
                invalidate, sender=model, dispatch_uid=f"cache-del-{model.__name__}"
            )
        for signal in (post_save, post_delete):
            signal.connect(
                user_changed,
                sender=get_user_model(),
                dispatch_uid=f"user-changed-{signal is post_save}",
            )
