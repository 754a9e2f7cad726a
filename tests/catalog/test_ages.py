"""Each programme's age takes effect on its own day (ages.yaml): 後期高齢者医療 on the
75th birthday itself, 介護保険 and 国民年金 on the day before the birthday."""

from datetime import date

from madoguchi.catalog.guide import run_guide
from tests.conftest import situation

TODAY = date(2026, 11, 25)
BORN = "1951-11-21"  # 75th birthday: 2026-11-21


def statuses(catalog, **data) -> dict[str, str]:
    result = run_guide(catalog, situation(**data), today=TODAY)
    return {p.id: p.status for p in result.procedures}


def death(day: str, insurance: str) -> dict:
    return {
        "event": "death",
        "event_date": day,
        "members": [
            {"role": "deceased", "birth_date": BORN, "insurance": insurance},
            {"role": "self", "birth_date": "1955-01-01", "insurance": "kouki"},
        ],
        "owns_real_estate": False,
    }


def test_a_death_the_day_before_the_75th_birthday_is_still_kokuho(catalog):
    found = statuses(catalog, **death("2026-11-20", "kokuho"))
    assert found["kokuho-withdraw"] == "required"
    assert found["kokuho-funeral-expenses"] == "required"
    assert "kouki-withdraw" not in found


def test_a_death_on_the_75th_birthday_is_kouki(catalog):
    found = statuses(catalog, **death("2026-11-21", "kouki"))
    assert found["kouki-withdraw"] == "required"
    assert "kokuho-withdraw" not in found


def test_a_move_in_the_day_before_the_75th_birthday_enrols_in_kokuho(catalog):
    mover = {"role": "self", "birth_date": BORN, "insurance": "kokuho"}
    found = statuses(catalog, event="move_in", event_date="2026-11-20", members=[mover])
    assert found["kokuho-enroll"] == "required"
    assert "kouki-enroll" not in found
    on_birthday = statuses(
        catalog,
        event="move_in",
        event_date="2026-11-21",
        moved_from_other_prefecture=True,
        members=[mover | {"insurance": "kouki"}],
    )
    assert on_birthday["kouki-enroll"] == "required"
    assert "kokuho-enroll" not in on_birthday


def test_care_insurance_counts_from_the_day_before_the_65th_birthday(catalog):
    mover = {"role": "self", "birth_date": "1961-11-21", "insurance": "kokuho"}
    day_before = statuses(catalog, event="move_in", event_date="2026-11-20", members=[mover])
    assert day_before["care-insurance-move-in"] == "required"
    two_days_before = statuses(
        catalog,
        event="move_in",
        event_date="2026-11-19",
        members=[mover | {"care_certified": False}],
    )
    assert "care-insurance-move-in" not in two_days_before


def test_the_catalogue_names_its_ages_with_their_legal_basis(catalog):
    ages = {a.fact: a for a in catalog.ages}
    assert ages["kouki_age"].takes_effect == "birthday"
    assert "第52条" in ages["kouki_age"].legal_basis
    assert ages["care_age"].takes_effect == "day_before_birthday"
    assert ages["pension_age"].takes_effect == "day_before_birthday"
