from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "madoguchi.backoffice"
    verbose_name = "バックヤード(担当課)"

    def ready(self) -> None:
        from madoguchi.backoffice import demo  # noqa: F401  (registers its demo step)
