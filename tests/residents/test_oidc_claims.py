"""The OIDC claims filter (contrib/oidc/claims.py): a 個人番号 is dropped whatever its
type or depth, and a provider's ``sub`` that is 12 digits is kept only hashed."""

from __future__ import annotations

import json

import pytest

from madoguchi.residents.identity.contrib.oidc.claims import facts_from_claims, without_my_number
from madoguchi.residents.identity.registry import IdentityError

NUMBER = "123456789018"
CLAIMS = {
    "sub": "abc",
    "name": "高橋 健太",
    "address": {"formatted": "東京都千代田区千代田1-1"},
    "birthdate": "1992-06-15",
}


@pytest.mark.parametrize(
    "extra",
    [
        {"x_card": int(NUMBER)},  # an integer
        {"x_card": float(NUMBER)},
        {"x_cards": [NUMBER]},  # in a list
        {"x_cards": [int(NUMBER), "ok"]},
        {"x_cards": [[NUMBER]]},
        {"x_cards": [{"value": NUMBER}]},  # a list of objects
        {"x": {"y": {"z": int(NUMBER)}}},  # nested objects
        {"x": {"y": [{"mynumber": "whatever"}]}},
        {"x_card": "１２３４５６７８９０１８"},  # full-width digits
        {"x_card": "1234-5678-9018"},
    ],
)
def test_a_my_number_is_dropped_whatever_its_type_or_depth(extra):
    clean = without_my_number({**CLAIMS, **extra})
    text = json.dumps(clean, ensure_ascii=False)
    assert NUMBER not in text and "123456789018.0" not in text and "whatever" not in text
    assert "１２３４" not in text and "1234-5678" not in text
    assert clean["name"] == "高橋 健太" and clean["address"]["formatted"].startswith("東京都")


def test_what_is_not_a_my_number_is_kept():
    kept = {"x_count": 3, "x_list": ["a", 12345], "x_flag": True, "x_phone": "09012345678"}
    assert without_my_number({**CLAIMS, **kept}) == {**CLAIMS, **kept}


@pytest.mark.parametrize("sub", ["246813579024", 246813579024, "2468 1357 9024"])
def test_a_twelve_digit_sub_is_kept_only_as_a_hash(sub):
    facts = facts_from_claims({**CLAIMS, "sub": sub})
    assert "246813579024" not in repr(facts) and "2468 1357" not in repr(facts)
    assert facts.subject.startswith("sha256:")
    # The same person comes back as the same subject (re-verification is recognised).
    assert facts_from_claims({**CLAIMS, "sub": sub}).subject == facts.subject


def test_another_sub_is_kept_as_the_provider_sent_it():
    assert facts_from_claims({**CLAIMS, "sub": "a1b2c3"}).subject == "a1b2c3"


def test_no_sub_is_said_in_japanese():
    with pytest.raises(IdentityError, match="本人確認サービス"):
        facts_from_claims({k: v for k, v in CLAIMS.items() if k != "sub"})


def test_what_the_provider_did_not_send_is_said_in_english_too():
    from django.utils import translation

    with translation.override("en"), pytest.raises(IdentityError, match="user identifier"):
        facts_from_claims({k: v for k, v in CLAIMS.items() if k != "sub"})
    without = {k: v for k, v in CLAIMS.items() if k not in ("birthdate", "address")}
    with translation.override("en"), pytest.raises(IdentityError) as refused:
        facts_from_claims(without)
    assert "did not send your address, date of birth." in str(refused.value)
