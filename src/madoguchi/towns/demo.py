"""``./dev manage demo``: さくら町 beside みどり市, so a newcomer sees the border: its
own 子育て支援課 clerk and a resident with a sent 児童手当 in that clerk's queue."""

from __future__ import annotations

from datetime import date

from madoguchi.common import demo
from madoguchi.towns.demo_town import ensure_sakura
from madoguchi.towns.work import in_town

CLERK = ("kosodate@sakura.example.jp", "佐々木", "陽子", "kosodate")
RESIDENT = {
    "email": "sato@sakura.example.jp",
    "family_name": "佐藤",
    "given_name": "大輔",
    "family_name_kana": "さとう",
    "given_name_kana": "だいすけ",
    "birth_date": date(1990, 4, 10),
    "sex": "male",
    "postal_code": "3799999",
    "address": "群馬県さくら町役場前12番地",
    "phone": "09087654321",
    "members": [
        {"role": "spouse", "birth_date": "1991-08-02", "sex": "female"},
        {"role": "child", "birth_date": "2026-10-01", "sex": "female"},
    ],
}
SITUATION = {
    "event": "birth",
    "event_date": "2026-10-01",
    "members": [
        {"role": "self", "birth_date": "1990-04-10", "receives_child_allowance": False},
        {"role": "spouse", "birth_date": "1991-08-02", "receives_child_allowance": False},
        {"role": "newborn"},
    ],
}


@demo.register("towns-sakura", order=90)
def sakura(shared: dict, password: str) -> list[str]:
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    from madoguchi.applications.demo import _send, _verified
    from madoguchi.backoffice.cast import ensure_staff
    from madoguchi.backoffice.demo import _totp_key
    from madoguchi.catalog.registry import current_catalog
    from madoguchi.catalog.situation import Situation
    from madoguchi.residents.cast import ensure_resident

    town = ensure_sakura()
    with in_town(town):
        email, family, given, department = CLERK
        clerk = ensure_staff(
            email, password, family, given, department, totp_secret=generate_totp_secret()
        )
        data = dict(RESIDENT)
        resident = ensure_resident(data.pop("email"), password, **data)
        _verified(resident)
        procedure = current_catalog().procedures["child-allowance-claim"]
        sent = _send(resident, procedure, Situation.model_validate(SITUATION))
    return [
        "2つめの町「さくら町」(/t/sakura/、カタログは var/demo-towns/sakura/):",
        f"  職員 {email} ({family} {given}、{department}) 2段階認証キー: {_totp_key(clerk)}",
        f"  住民 {RESIDENT['email']}: 送信済み {sent.procedure_name}(受付番号 {sent.receipt_number})",
        "  みどり市の職員には、さくら町の申請は見えません(逆も同じ)。",
    ]
