"""From the IdP's claims to the four facts, leaving out the 個人番号.

Japanese IdPs give kana as language-tagged claims (``name#ja-Kana-JP``, or
``family_name#ja-Kana-JP`` + ``given_name#ja-Kana-JP``); the address as the
standard ``address`` object (``formatted``, or its parts)."""

from __future__ import annotations

import re
from datetime import date

from madoguchi.common.text_input import tidy_kana
from madoguchi.residents.identity.registry import IdentityError, VerifiedFacts

# Any claim that is or may be the 12-digit 個人番号 is dropped before anything
# else reads the claims: by name, and any value that is 12 digits on its own.
_MY_NUMBER_NAMES = re.compile(
    r"my_?number|mynumber|individual_?number|kojin_?bango|個人番号|マイナンバー", re.I
)
_TWELVE_DIGITS = re.compile(r"^\s*\d{4}[\s-]?\d{4}[\s-]?\d{4}\s*$")
_SEX = {
    "female": "female",
    "male": "male",
    "女": "female",
    "男": "male",
    "1": "male",
    "2": "female",
}


def without_my_number(claims: dict) -> dict:
    """A copy with every 個人番号-like claim removed (also inside objects)."""
    clean = {}
    for key, value in claims.items():
        if _MY_NUMBER_NAMES.search(str(key)):
            continue
        if isinstance(value, str) and _TWELVE_DIGITS.match(value):
            continue
        if isinstance(value, dict):
            value = without_my_number(value)
        clean[key] = value
    return clean


def _kana(claims: dict) -> str:
    for tag in ("ja-Kana-JP", "ja-Hira-JP"):
        if claims.get(f"name#{tag}"):
            return claims[f"name#{tag}"]
        family, given = claims.get(f"family_name#{tag}"), claims.get(f"given_name#{tag}")
        if family or given:
            return " ".join(p for p in (family, given) if p)
    return ""


def _address(claims: dict) -> str:
    address = claims.get("address")
    if isinstance(address, str):
        return address.strip()
    if not isinstance(address, dict):
        return ""
    if address.get("formatted"):
        return str(address["formatted"]).replace("\n", " ").strip()
    parts = [address.get(k) for k in ("region", "locality", "street_address")]
    return "".join(str(p) for p in parts if p).strip()


def _name(claims: dict) -> str:
    for key in ("name#ja-Hani-JP", "name"):
        if claims.get(key):
            return str(claims[key]).strip()
    family, given = claims.get("family_name"), claims.get("given_name")
    return " ".join(p for p in (family, given) if p).strip()


def facts_from_claims(claims: dict) -> VerifiedFacts:
    claims = without_my_number(claims)
    name, address = _name(claims), _address(claims)
    try:
        birth_date = date.fromisoformat(str(claims.get("birthdate", "")))
    except ValueError:
        birth_date = None
    missing = [
        label
        for label, value in (("氏名", name), ("住所", address), ("生年月日", birth_date))
        if not value
    ]
    if missing:
        raise IdentityError(
            f"本人確認サービスから{'・'.join(missing)}を受け取れませんでした。"
            "サービスの画面で、情報の提供に同意したか確かめてください"
        )
    try:
        kana = tidy_kana(_kana(claims))
    except ValueError:
        kana = ""
    return VerifiedFacts(
        subject=str(claims["sub"]),
        name=name,
        name_kana=kana,
        address=address,
        birth_date=birth_date,
        sex=_SEX.get(str(claims.get("gender", "")).lower(), ""),
    )
