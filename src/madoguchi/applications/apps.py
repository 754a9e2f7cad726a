from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "madoguchi.applications"
    verbose_name = "オンライン申請"

    def ready(self) -> None:
        from madoguchi.residents.mypage import add_section

        add_section("applications/mypage/_applications.html", order=20)
