from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "条目与来源"

    def ready(self):
        from articles import freezing

        freezing.register()
