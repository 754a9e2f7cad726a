from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounterConfig(AppConfig):
    name = "madoguchi.counter"
    verbose_name = _("書かない窓口")
