from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectConfig(AppConfig):
    name = "collect"
    verbose_name = _("Collecting from the web")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from bulletin import caching
        from collect.models import Snapshot

        # An item's page links its snapshot: a new or deleted one makes it stale.
        for signal in (post_save, post_delete):
            signal.connect(
                caching.invalidate,
                sender=Snapshot,
                dispatch_uid=f"cache-{signal is post_save}-Snapshot",
            )
