"""Everything the guide and the profile know goes into the form: the insurance
answered in the guide, and the names of the spouse and the children from the
profile's household (the guide never asks names), joined person by person."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.applications import drafting
from madoguchi.applications.models import Application
from madoguchi.catalog.registry import current_catalog
from madoguchi.catalog.situation import Situation
from madoguchi.residents.models import Profile

from .conftest import CLAIM

pytestmark = pytest.mark.django_db

SPOUSE = {"name": "高橋\u3000美穂", "kana": "たかはし\u3000みほ"}
CHILD = {"name": "高橋\u3000陽翔", "kana": "たかはし\u3000はると"}


def birth(**self_facts) -> Situation:
    return Situation.model_validate(
        {
            "event": "birth",
            "event_date": "2026-11-20",
            "members": [
                {"role": "self", "birth_date": "1992-06-15", **self_facts},
                {"role": "spouse", "birth_date": "1993-01-08"},
                {"role": "newborn"},
            ],
        }
    )


def draft(user, procedure_id=CLAIM, situation=None) -> Application:
    return drafting.open_draft(user, current_catalog().procedures[procedure_id], situation)


def test_the_guides_insurance_and_the_profiles_names_fill_the_claim(takahashi):
    Profile.objects.filter(user=takahashi).update(
        members=[
            {"role": "spouse", "name": "高橋 美穂", "name_kana": "たかはし みほ",
             "birth_date": "1993-01-08", "sex": "female"},
        ]
    )  # fmt: skip
    app = draft(takahashi, situation=birth(insurance="shaho"))
    assert app.data["claimant_insurance"] == "shaho"
    assert app.data["spouse_name"] == SPOUSE
    # The newborn has no name yet: the row is there with the birth date only.
    assert app.data["children"] == [{"child_birth_date": "2026-11-20"}]


def test_without_the_guide_the_profiles_children_make_the_rows(takahashi):
    app = draft(takahashi)
    assert app.data["spouse_name"] == SPOUSE
    assert app.data["children"] == [{"child_name": CHILD, "child_birth_date": "2026-11-20"}]
    assert "claimant_insurance" not in app.data  # nobody said


def test_a_profile_child_joins_the_guides_child_of_the_same_birth_date(saito):
    situation = Situation.model_validate(
        {
            "event": "move_in",
            "event_date": "2026-04-01",
            "members": [
                {"role": "self", "insurance": "kokuho"},
                {"role": "child", "birth_date": "2012-12-24", "sex": "male", "insurance": "kokuho"},
                {"role": "child", "birth_date": "2016-07-01", "sex": "female"},
            ],
        }
    )
    Profile.objects.filter(user=saito).update(
        members=[
            {"role": "child", "name": "齊藤 結衣", "name_kana": "さいとう ゆい",
             "birth_date": "2016-07-01", "sex": "female"},
            {"role": "child", "name": "齊藤 蓮", "name_kana": "さいとう れん",
             "birth_date": "2012-12-24", "sex": "male"},
        ]
    )  # fmt: skip
    app = draft(saito, "child-medical-subsidy", situation)
    assert app.data["reason"] == "move_in"
    rows = app.data["children"]
    assert [r["child_name"]["name"] for r in rows] == ["齊藤\u3000蓮", "齊藤\u3000結衣"]
    assert rows[0]["child_insurance"] == "kokuho" and rows[0]["child_sex"] == "male"


def test_an_answer_that_is_not_one_of_the_forms_choices_is_left_empty(takahashi):
    app = draft(takahashi, situation=birth(insurance="kouki"))
    assert "claimant_insurance" not in app.data


def test_the_profile_page_keeps_the_household_names(client, takahashi):
    client.force_login(takahashi)
    response = client.post(
        reverse("residents:profile"),
        {
            "family_name": "高橋", "given_name": "健太",
            "family_name_kana": "たかはし", "given_name_kana": "けんた",
            "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0",
            "m-0-role": "spouse", "m-0-name": "高橋  美穂", "m-0-name_kana": "タカハシ ミホ",
            "m-0-birth_date_era": "平成", "m-0-birth_date_year": "5",
            "m-0-birth_date_month": "1", "m-0-birth_date_day": "8",
            "save": "1",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    (spouse,) = Profile.objects.get(user=takahashi).members
    assert spouse["name"] == "高橋\u3000美穂" and spouse["name_kana"] == "たかはし\u3000みほ"
    assert spouse["birth_date"] == "1993-01-08"
    page = client.get(reverse("residents:profile")).content.decode()
    assert 'value="高橋\u3000美穂"' in page and 'value="たかはし\u3000みほ"' in page
    assert draft(takahashi).data["spouse_name"] == SPOUSE
