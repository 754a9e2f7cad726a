from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "madoguchi.backoffice"
    verbose_name = "バックヤード(担当課)"
