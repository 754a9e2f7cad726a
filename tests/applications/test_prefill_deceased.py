"""On a death, the forms keep three people apart: the deceased (``deceased.X``: the
guide's member of role ``deceased``, named by the people list), the applicant (the
bereaved, ``identity.X``) and the heirs (a group of the form, typed in)."""

from __future__ import annotations

import pytest

from madoguchi.applications import drafting
from madoguchi.applications.prefill import Known, initial_values, locked_values
from madoguchi.catalog.registry import current_catalog
from madoguchi.catalog.situation import Situation
from madoguchi.residents.models import Profile

from .test_views import verify

# 高橋 花子 comes to the counter after her husband 一郎 died on 25 November.
HUSBAND = {"name": "高橋\u3000一郎", "kana": "たかはし\u3000いちろう"}
WIFE = {"name": "高橋\u3000花子", "kana": "たかはし\u3000はなこ"}
HOME = {"postal_code": "3792313", "address": "群馬県みどり市笠懸町鹿250番地"}
IDENTITY = {"name": WIFE, "birth_date": "1950-03-03", "sex": "female", "address": HOME}


def death(**deceased) -> Situation:
    return Situation.model_validate(
        {
            "event": "death",
            "event_date": "2026-11-25",
            "members": [
                {"role": "self", "birth_date": "1950-03-03", "insurance": "kokuho"},
                {"role": "deceased", "birth_date": "1948-05-03", "sex": "male", **deceased},
            ],
        }
    )


def form(procedure_id: str):
    return current_catalog().procedures[procedure_id].form


def husband(**extra) -> dict:
    return {"role": "deceased", "name": HUSBAND["name"], "name_kana": HUSBAND["kana"], **extra}


def test_the_deceased_fills_the_funeral_grant_and_the_applicant_stays_the_identitys():
    known = Known(situation=death(insurance="kokuho"), identity=IDENTITY, members=[husband()])
    values = initial_values(form("kokuho-funeral-expenses"), known)
    # The name from the people list, the birth date from the guide, the date of the
    # death from the situation.
    assert values["deceased_name"] == HUSBAND
    assert values["deceased_birth_date"] == "1948-05-03"
    assert values["death_date"] == "2026-11-25"
    # The bereaved applicant is the verified identity, not the deceased.
    assert values["applicant_name"] == WIFE
    assert values["applicant_birth_date"] == "1950-03-03"
    assert values["applicant_address"] == HOME
    # What the clerk asks: the funeral's date, the relationship, the account.
    assert {"funeral_date", "applicant_relationship", "bank_account"}.isdisjoint(values)


def test_the_identity_locks_the_applicant_never_the_deceased():
    spec = form("kokuho-funeral-expenses")
    locked = locked_values(spec, IDENTITY)
    assert locked["applicant_name"] == WIFE and locked["applicant_address"] == HOME
    assert not {"deceased_name", "deceased_birth_date", "deceased_address"} & set(locked)


def test_the_deceased_listed_under_their_old_relationship_is_found_by_birth_date():
    """The profile still lists the late husband as ``spouse``: born the same day as the
    guide's deceased, he is the deceased, and lived at the household's address."""
    late = {"role": "spouse", "name": HUSBAND["name"], "name_kana": HUSBAND["kana"]}
    known = Known(
        situation=death(),
        profile={"address": HOME},
        identity=IDENTITY,
        members=[{**late, "birth_date": "1948-05-03"}],
    )
    values = initial_values(form("kouki-funeral-expenses"), known)
    assert values["deceased_name"] == HUSBAND
    assert values["deceased_address"] == HOME
    # Born another day, a spouse is someone else: nothing is guessed.
    other = Known(
        situation=death(), identity=IDENTITY, members=[{**late, "birth_date": "1949-01-01"}]
    )
    assert "deceased_name" not in initial_values(form("kouki-funeral-expenses"), other)


def test_a_people_lists_address_of_the_deceased_gets_its_postal_code():
    known = Known(
        situation=death(),
        identity=IDENTITY,
        members=[husband(address="東京都千代田区千代田1-1")],
    )
    values = initial_values(form("head-of-household-change"), known)
    assert values["household_address"] == {
        "postal_code": "1000001",
        "address": "東京都千代田区千代田1-1",
    }
    # The 世帯主変更届's date is the day the head died.
    assert values["change_date"] == "2026-11-25"


def test_the_deceased_makes_the_row_of_the_insurance_they_leave():
    known = Known(situation=death(insurance="kokuho"), identity=IDENTITY, members=[husband()])
    values = initial_values(form("kokuho-withdraw"), known)
    assert values["reason"] == "death" and values["reason_date"] == "2026-11-25"
    # Only the deceased leaves; the wife, still insured, is not in it.
    assert values["insured"] == [{"insured_name": HUSBAND, "insured_birth_date": "1948-05-03"}]
    assert values["applicant_name"] == WIFE


def test_without_a_death_nothing_is_filled_for_a_deceased():
    move = Situation.model_validate(
        {"event": "move_out", "event_date": "2026-11-25", "members": [{"role": "self"}]}
    )
    known = Known(situation=move, identity=IDENTITY)
    values = initial_values(form("care-insurance-withdraw"), known)
    assert values["reason"] == "move_out" and values["reason_date"] == "2026-11-25"
    assert not {"insured_name", "insured_birth_date", "insured_address"} & set(values)


def test_the_heirs_are_typed_not_taken_from_the_household():
    """Heirs are not the household: the present owners start with no rows."""
    known = Known(
        situation=death(), identity=IDENTITY, members=[husband()], profile={"address": HOME}
    )
    values = initial_values(form("property-current-owner-notice"), known)
    assert "owners" not in values
    assert values["deceased_name"] == HUSBAND and values["applicant_name"] == WIFE


@pytest.mark.django_db
def test_a_death_draft_on_mypage_fills_the_deceased_and_the_verified_applicant(takahashi):
    """高橋さん, verified, applies online for the funeral grant of his late father,
    whom his profile lists under ``other`` with the birth date the guide was told."""
    Profile.objects.filter(user=takahashi).update(
        members=[
            {"role": "other", "name": "高橋 一郎", "name_kana": "たかはし いちろう",
             "birth_date": "1948-05-03", "sex": "male"},
        ]
    )  # fmt: skip
    verify(takahashi)
    proc = current_catalog().procedures["kokuho-funeral-expenses"]
    app = drafting.open_draft(takahashi, proc, death(insurance="kokuho"))
    assert app.data["deceased_name"] == {"name": "高橋\u3000一郎", "kana": "たかはし\u3000いちろう"}
    assert app.data["death_date"] == "2026-11-25"
    assert app.data["applicant_name"]["name"] == "高橋\u3000太郎"  # the identity's
    assert app.data["applicant_birth_date"] == "1988-06-15"
