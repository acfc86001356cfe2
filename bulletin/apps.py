from django.apps import AppConfig


class BulletinConfig(AppConfig):
    name = "bulletin"
    verbose_name = "信息摘编"

    def ready(self):
        from django.db.models.signals import post_migrate

        from bulletin.roles import sync_groups

        post_migrate.connect(sync_groups, dispatch_uid="bulletin-sync-groups")
