from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "madoguchi.residents"
    verbose_name = _("住民")

    def ready(self) -> None:
        from madoguchi.residents.identity import registry

        registry.load_contrib()
        from madoguchi.residents import demo  # noqa: F401  (registers its demo step)
