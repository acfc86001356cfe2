from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = _("Issue compilation")

    def ready(self):
        from issues import cache_invalidation, freezing

        cache_invalidation.connect_signals()
        freezing.register()
