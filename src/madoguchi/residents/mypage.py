"""MyPage's sections: other apps add theirs (申請の一覧, お知らせ…) here.

    # in applications/apps.py, AppConfig.ready():
    from madoguchi.residents.mypage import add_section
    add_section("applications/mypage/_applications.html", order=20)

Each template is included in ``residents/mypage.html`` with the page's context
(``request``, ``user``, ``profile``, ``identity``); it draws its own ``<section>``
with an ``<h2>``. Lower ``order`` comes first; the profile is 10, the identity 90.
"""

from __future__ import annotations

_sections: dict[str, int] = {
    "residents/mypage/_checklists.html": 5,
    "residents/mypage/_profile.html": 10,
    "residents/mypage/_identity.html": 90,
}


def add_section(template_name: str, *, order: int = 50) -> None:
    _sections[template_name] = order


def sections() -> list[str]:
    return [name for name, _ in sorted(_sections.items(), key=lambda item: (item[1], item[0]))]
