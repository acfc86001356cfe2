from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = "期刊编排"

    def ready(self):
        from issues import cache_invalidation, freezing

        cache_invalidation.connect_signals()
        freezing.register()
