from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "madoguchi.common"
    verbose_name = _("共通")
