"""Shared fixtures: the example catalogue and a fixed cast of households.

The cast (healthchecks' way) lets tests read as sentences: 高橋さんの家 has a baby,
齊藤さん moves in with two school children, 田中さん's father dies…
"""

from __future__ import annotations

from pathlib import Path

import pytest

from madoguchi.catalog.loader import Catalog, load
from madoguchi.catalog.situation import Situation

EXAMPLE = Path(__file__).resolve().parent.parent / "municipalities" / "example"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load(EXAMPLE)


def situation(**data) -> Situation:
    return Situation.model_validate(data)


@pytest.fixture
def takahashi_birth() -> Situation:
    """高橋さん夫婦(国保)に、2026-11-20 に 2,400 g の赤ちゃんが生まれた。出産した妻は
    自営業(国民年金の第1号)で、出産費用は出産育児一時金より少なかった(差額を申請する)。"""
    return situation(
        event="birth",
        event_date="2026-11-20",
        childbirth_grant_to_claim=True,
        members=[
            {
                "role": "self",
                "birth_date": "1992-06-15",
                "sex": "male",
                "insurance": "kokuho",
                "receives_child_allowance": False,
                "receives_child_rearing_allowance": False,
            },
            {
                "role": "spouse",
                "birth_date": "1993-01-08",
                "sex": "female",
                "insurance": "kokuho",
                "receives_child_allowance": False,
                "receives_child_rearing_allowance": False,
            },
            {"role": "newborn", "birth_weight_g": 2400},
        ],
        single_parent=False,
    )


@pytest.fixture
def saito_move_in() -> Situation:
    """齊藤さん一家が 2026-11-20 に転入。小学生と中学生、マイナンバーカードあり、犬はいない。"""
    return situation(
        event="move_in",
        event_date="2026-11-20",
        members=[
            {
                "role": "self",
                "birth_date": "1985-05-05",
                "insurance": "shaho",
                "has_mynumber_card": True,
                "receives_child_allowance": True,
                "care_certified": False,
            },
            {
                "role": "spouse",
                "birth_date": "1987-09-30",
                "insurance": "shaho",
                "has_mynumber_card": True,
                "receives_child_allowance": False,
                "care_certified": False,
            },
            {
                "role": "child",
                "birth_date": "2016-07-01",
                "insurance": "shaho",
                "has_mynumber_card": False,
                "receives_child_allowance": False,
                "care_certified": False,
            },
            {
                "role": "child",
                "birth_date": "2012-12-24",
                "insurance": "shaho",
                "has_mynumber_card": False,
                "receives_child_allowance": False,
                "care_certified": False,
            },
        ],
        single_parent=False,
        has_dog=False,
    )


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"
