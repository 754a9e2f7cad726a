"""The demo people (``./dev manage demo``): 高橋さん and 齊藤さん, each with a saved
checklist of the guide; the applications app adds their applications."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from madoguchi.catalog.situation import Situation
from madoguchi.common import demo
from madoguchi.residents import checklists
from madoguchi.residents.cast import SAITO, TAKAHASHI, ensure_cast


def takahashi_birth(today) -> Situation:
    """高橋さん夫婦(国保)に、3日前に赤ちゃんが生まれた。"""
    return Situation.model_validate(
        {
            "event": "birth",
            "event_date": (today - timedelta(days=3)).isoformat(),
            "members": [
                {
                    "role": "self",
                    "birth_date": "1992-06-15",
                    "sex": "male",
                    "insurance": "kokuho",
                    "receives_child_allowance": False,
                },
                {
                    "role": "spouse",
                    "birth_date": "1993-01-08",
                    "sex": "female",
                    "insurance": "kokuho",
                    "receives_child_allowance": False,
                },
                {"role": "newborn", "birth_weight_g": 3050},
            ],
            "single_parent": False,
        }
    )


def saito_move_in(today) -> Situation:
    """齊藤さん一家が5日前に札幌市から転入。小学生と中学生、犬が1匹。"""
    return Situation.model_validate(
        {
            "event": "move_in",
            "event_date": (today - timedelta(days=5)).isoformat(),
            "move_out_planned_date": (today - timedelta(days=6)).isoformat(),
            "members": [
                {
                    "role": "self",
                    "birth_date": "1985-05-05",
                    "sex": "female",
                    "insurance": "kokuho",
                    "has_mynumber_card": True,
                    "receives_child_allowance": True,
                },
                {
                    "role": "spouse",
                    "birth_date": "1987-09-30",
                    "sex": "male",
                    "insurance": "kokuho",
                    "has_mynumber_card": True,
                },
                {"role": "child", "birth_date": "2016-07-01", "sex": "female"},
                {"role": "child", "birth_date": "2012-12-24", "sex": "male"},
            ],
            "single_parent": False,
            "has_dog": True,
        }
    )


@demo.register("residents", order=10)
def people_and_checklists(shared: dict, password: str) -> list[str]:
    people = ensure_cast(password)
    today = timezone.localdate()
    shared["people"] = people
    shared["situations"] = {
        "takahashi": takahashi_birth(today),
        "saito": saito_move_in(today),
    }
    for key, situation in shared["situations"].items():
        checklists.keep(people[key], situation)
    return [
        f"{p['family_name']}さん: {p['email']}(保存したやることリスト 1件)"
        for p in (TAKAHASHI, SAITO)
    ]
