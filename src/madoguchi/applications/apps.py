from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "madoguchi.applications"
    verbose_name = _("オンライン申請")

    def ready(self) -> None:
        from madoguchi.residents.mypage import add_section

        add_section("applications/mypage/_applications.html", order=20)
        # What the department is waiting for comes before everything else.
        add_section("applications/mypage/_asked.html", order=1)
        from madoguchi.applications import demo  # noqa: F401  (registers its demo step)
        from madoguchi.applications.kinds import check_registry

        check_registry()  # a kind missing a part, or unknown to the schema, stops here
