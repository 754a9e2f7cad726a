"""The demo's staff (``./dev manage demo``): a 子育て支援課 clerk, a 保険年金課
clerk and the 子育て支援課 supervisor (課長), with the residents' password.

Staff pages need MFA. Each demo staff member gets a TOTP authenticator with a
fresh random secret on first run; its key is printed so it can be added to an
authenticator app (or ``MADOGUCHI_REQUIRE_STAFF_MFA=false ./dev run`` to look
around locally without one). The applications in several states are the
applications app's demo; this step moves none (the residents' demo stays as sent).
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import decrypt
from django.conf import settings

from madoguchi.backoffice.cast import HOKEN, KACHO, KOSODATE, ensure_staff
from madoguchi.common import demo


def _totp_key(user) -> str:
    found = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(found.data["secret"])


@demo.register("backoffice", order=30)
def staff(shared: dict, password: str) -> list[str]:
    lines = ["職員(バックヤード /office/、パスワードは住民と同じ):"]
    people = {}
    for email, family, given, department, role in (KOSODATE, KACHO, HOKEN):
        user = ensure_staff(
            email, password, family, given, department, role, totp_secret=generate_totp_secret()
        )
        people[email] = user
        lines.append(
            f"  {email} ({family} {given}、{department}・{role}) 2段階認証キー: {_totp_key(user)}"
        )
    shared["staff"] = people
    lines.append(
        "  ↑ このキーを認証アプリ(Google Authenticator など)に手入力して、ログイン時の"
        "6けたのコードを得ます。"
    )
    if settings.MADOGUCHI_REQUIRE_STAFF_MFA:
        lines.append(
            "  手元で試すだけなら MADOGUCHI_REQUIRE_STAFF_MFA=false ./dev run で"
            "2段階認証なしでも入れます。"
        )
    return lines
