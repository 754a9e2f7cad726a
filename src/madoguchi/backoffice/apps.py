from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "madoguchi.backoffice"
    verbose_name = _("バックヤード(担当課)")

    def ready(self) -> None:
        from madoguchi.backoffice import demo  # noqa: F401  (registers its demo step)
