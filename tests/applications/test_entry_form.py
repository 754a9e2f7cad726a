"""The catalogue's form as Django forms: draft mode keeps what is right and
requires nothing; review mode requires what the catalogue requires; fields from a
verified identity are not inputs."""

from __future__ import annotations

from datetime import date

import pytest

from madoguchi.applications.entry_form import ApplicationForm, missing_required
from madoguchi.applications.prefill import Known, initial_values, locked_values
from madoguchi.catalog.situation import Situation

from .conftest import claim_post


def test_a_complete_claim_is_valid_and_tidied(claim_form):
    form = ApplicationForm(claim_form, data=claim_post(), draft=False)
    assert form.is_valid(), form.problems()
    values = form.values()
    assert values["claimant_name"] == {"name": "高橋\u3000太郎", "kana": "たかはし\u3000たろう"}
    assert values["claimant_birth_date"] == "1988-06-15"  # 昭和63年
    assert values["phone"] == "090-1234-5678"
    assert values["claimant_address"]["postal_code"] == "1000001"
    assert values["children"] == [
        {
            "child_name": {"name": "高橋\u3000陽翔", "kana": "たかはし\u3000はると"},
            "child_birth_date": "2026-11-20",
            "child_relationship": "child",
            "lives_together": True,
        }
    ]


def test_a_draft_needs_nothing_but_keeps_only_what_is_right(claim_form):
    data = {
        "phone": "でんわ",
        "email": "takahashi@example.jp",
        "children-TOTAL_FORMS": "0",
        "children-INITIAL_FORMS": "0",
    }
    form = ApplicationForm(claim_form, data=data, draft=True)
    assert not form.is_valid()
    values = form.values()
    assert values["email"] == "takahashi@example.jp"
    assert "phone" not in values
    assert [p.anchor for p in form.problems()] == ["id_phone"]


def test_the_bank_account_is_one_field_kept_as_banks_write_it(claim_form):
    form = ApplicationForm(claim_form, data=claim_post(bank_account_number="12345"), draft=False)
    assert form.is_valid(), form.problems()
    assert form.values()["bank_account"] == {
        "bank_code": "0001", "branch_code": "001", "type": "ordinary",
        "number": "0012345", "holder": "ﾀｶﾊｼ ﾀﾛｳ",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ({"bank_account_holder": "Yamada Hanako"}, "ローマ字は使えません"),
        ({"bank_account_number": "abc"}, "口座番号は7けたまでの数字"),
        ({"bank_account_number": "12345678"}, "口座番号は7けたまでの数字"),
        ({"bank_account_bank": "9998"}, "この金融機関コードは見つかりません"),
        ({"bank_account_branch": "998"}, "支店コード 998 の支店はありません"),
    ],
)
@pytest.mark.parametrize("draft", [True, False])
def test_a_wrong_bank_account_is_refused_with_the_reason(claim_form, typed, said, draft):
    """Residents typed 口座名義 "Yamada Hanako" and 口座番号 "abc" or 8 digits into
    plain text fields, and it was accepted."""
    form = ApplicationForm(claim_form, data=claim_post(**typed), draft=draft)
    assert not form.is_valid()
    (problem,) = form.problems()
    assert problem.label == "児童手当の振込先の口座" and said in problem.message
    assert problem.anchor == "id_bank_account_0"
    assert "bank_account" not in form.values()  # nothing wrong is kept


def test_review_mode_names_every_missing_field_with_its_label(claim_form):
    data = claim_post(phone="", **{"children-TOTAL_FORMS": "0"})
    del data["claimant_insurance"]
    form = ApplicationForm(claim_form, data=data, draft=False)
    assert not form.is_valid()
    labels = [p.label for p in form.problems()]
    assert "日中に連絡がとれる電話番号" in labels
    assert "請求者の健康保険" in labels
    assert "対象となる子ども" in labels  # min_items: 1
    assert all("This field" not in p.message for p in form.problems())


def test_fields_from_a_verified_identity_are_locked_and_taken_from_it(claim_form):
    identity = {
        "name": {"name": "高橋\u3000太郎", "kana": "たかはし\u3000たろう"},
        "birth_date": "1988-06-15",
        "address": {"postal_code": "1000001", "address": "東京都千代田区千代田1-1"},
        "sex": "male",
    }
    locked = locked_values(claim_form, identity)
    assert set(locked) == {"claimant_name", "claimant_birth_date", "claimant_address"}
    # Whatever the request says, the identity's values are the ones kept.
    data = claim_post(**{"claimant_name__name": "別人 次郎", "claimant_name__kana": "べつじん"})
    form = ApplicationForm(claim_form, data=data, draft=False, locked=locked)
    assert form.is_valid(), form.problems()
    assert form.values()["claimant_name"]["name"] == "高橋\u3000太郎"
    assert "claimant_name__name" not in form.form.fields


def test_prefill_from_the_guide_profile_and_identity(claim_form):
    situation = Situation.model_validate(
        {
            "event": "birth",
            "event_date": "2026-11-20",
            "members": [{"role": "self", "birth_date": "1988-06-15"}, {"role": "newborn"}],
        }
    )
    profile = {
        "phone": "09012345678",
        "email": "t@example.jp",
        "name": {"name": "高橋\u3000太郎", "kana": "たかはし\u3000たろう"},
    }
    values = initial_values(claim_form, Known(situation=situation, profile=profile))
    # identity.name falls back to the profile until an identity is verified
    assert values["claimant_name"]["name"] == "高橋\u3000太郎"
    assert values["phone"] == "09012345678"  # the profile's, as it is (read as before)
    # one repeat per newborn/child of the guide's household, with its birth date
    assert values["children"] == [{"child_birth_date": "2026-11-20"}]
    form = ApplicationForm(claim_form, values=values, draft=True)
    assert form.formsets["children"].forms[0].initial["child_birth_date"] == date(2026, 11, 20)


def test_missing_required_counts_what_mypage_shows(claim_form):
    missing = missing_required(claim_form, {"phone": "09012345678"}, {})
    assert "請求者の氏名" in missing and "日中に連絡がとれる電話番号" not in missing
    assert "メールアドレス" not in missing  # not required
