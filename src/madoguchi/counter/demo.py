"""The demo's 総合窓口 clerk (``./dev manage demo``): 森さん, in the group 「総合窓口」
and in no department, with the residents' password and a TOTP key printed like the
back office's staff."""

from __future__ import annotations

from allauth.mfa.totp.internal.auth import generate_totp_secret

from madoguchi.common import demo
from madoguchi.counter.cast import GROUP, MADOGUCHI, ensure_counter_clerk


@demo.register("counter", order=32)
def counter_clerk(shared: dict, password: str) -> list[str]:
    from madoguchi.backoffice.demo import _totp_key

    email, family, given = MADOGUCHI
    user = ensure_counter_clerk(email, password, family, given, totp_secret=generate_totp_secret())
    return [
        f"窓口の職員(書かない窓口 /counter/、待合の表示 /counter/display/、{GROUP}):",
        f"  {email} ({family} {given}) 2段階認証キー: {_totp_key(user)}",
    ]
