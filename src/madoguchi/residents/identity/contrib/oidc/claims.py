"""From the IdP's claims to the four facts, leaving out the 個人番号.

Japanese IdPs give kana as language-tagged claims (``name#ja-Kana-JP``, or
``family_name#ja-Kana-JP`` + ``given_name#ja-Kana-JP``); the address as the
standard ``address`` object (``formatted``, or its parts)."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from madoguchi.common.japanese import join_list
from madoguchi.common.text_input import tidy_kana
from madoguchi.residents.identity.registry import IdentityError, VerifiedFacts

# Any claim that is or may be the 12-digit 個人番号 is dropped before anything
# else reads the claims: by name, and any value that is 12 digits on its own,
# whether the IdP sent it as text, a number, in a list or in an object.
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


_DROP = object()


def _looks_like_my_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | str):
        return bool(_TWELVE_DIGITS.match(unicodedata.normalize("NFKC", str(value))))
    return False


def _clean(value):
    """The value without anything 個人番号-like, or ``_DROP``."""
    if _looks_like_my_number(value):
        return _DROP
    if isinstance(value, dict):
        return without_my_number(value)
    if isinstance(value, list | tuple):
        return [v for v in map(_clean, value) if v is not _DROP]
    return value


def without_my_number(claims: dict) -> dict:
    """A copy with every 個人番号-like claim removed (also inside objects and lists)."""
    clean = {}
    for key, value in claims.items():
        if _MY_NUMBER_NAMES.search(str(key)):
            continue
        value = _clean(value)
        if value is not _DROP:
            clean[key] = value
    return clean


def subject_of(claims: dict) -> str:
    """The provider's ``sub``: an opaque id for the person, not a 個人番号, but one
    that is 12 digits might be one, and we never keep such a number; it is kept
    as a keyed hash instead (HMAC with the site's secret: 10¹² numbers are too few
    for a plain hash to hide one). Stable, so a second verification is recognised.
    Refusing it would lock out every resident of a provider that numbers its
    accounts so."""
    sub = claims.get("sub")
    if sub is None or isinstance(sub, bool) or str(sub).strip() == "":
        raise IdentityError(
            _(
                "本人確認サービスから利用者の識別子(sub)を受け取れませんでした。"
                "時間をおいてもう一度お試しください"
            )
        )
    if _looks_like_my_number(sub):
        if isinstance(sub, float):
            sub = int(sub)
        digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", str(sub)))
        key = settings.SECRET_KEY.encode()
        return "sha256:" + hmac.new(key, f"oidc-sub:{digits}".encode(), hashlib.sha256).hexdigest()
    return str(sub)


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
    subject = subject_of(claims)  # before the filter, which would drop a 12-digit one
    claims = without_my_number(claims)
    name, address = _name(claims), _address(claims)
    try:
        birth_date = date.fromisoformat(str(claims.get("birthdate", "")))
    except ValueError:
        birth_date = None
    missing = [
        label
        for label, value in ((_("氏名"), name), (_("住所"), address), (_("生年月日"), birth_date))
        if not value
    ]
    if missing:
        raise IdentityError(
            _(
                "本人確認サービスから%(missing)sを受け取れませんでした。"
                "サービスの画面で、情報の提供に同意したか確かめてください"
            )
            % {"missing": _inside_a_sentence(missing)}
        )
    try:
        kana = tidy_kana(_kana(claims))
    except ValueError:
        kana = ""
    return VerifiedFacts(
        subject=subject,
        name=name,
        name_kana=kana,
        address=address,
        birth_date=birth_date,
        sex=_SEX.get(str(claims.get("gender", "")).lower(), ""),
    )


def _inside_a_sentence(labels: list[str]) -> str:
    """「氏名・住所」 → 「氏名、住所」; "Name", "Address" → "name, address"."""
    language = get_language() or "ja"
    if not language.startswith("ja"):
        labels = [label.lower() for label in labels]
    return join_list(labels, language)
