from django.apps import AppConfig


class EditionsConfig(AppConfig):
    name = "editions"
    verbose_name = "印刷版（PDF、Word）"

    def ready(self):
        from editions import signals  # noqa: F401
