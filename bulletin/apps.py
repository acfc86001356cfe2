from django.apps import AppConfig


class BulletinConfig(AppConfig):
    name = "bulletin"
    verbose_name = "信息摘编"
