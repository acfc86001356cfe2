from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OaiConfig(AppConfig):
    name = "oai"
    verbose_name = _("Metadata interchange")

    def ready(self):
        from oai import signals  # noqa: F401
