from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "madoguchi.register"
    verbose_name = _("住民記録")

    def ready(self) -> None:
        from madoguchi.register.importers.registry import load_contrib

        load_contrib()  # each importer registers itself (@register)
