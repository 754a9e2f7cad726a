from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "madoguchi.common"
    verbose_name = "共通"
