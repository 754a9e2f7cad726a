"""The fixed cast of residents (healthchecks' way): 高橋さん and 齊藤さん.

``ensure_resident`` makes a resident who can sign in at once (verified email) and
has a household profile. It is idempotent: run again, it updates the same person.
The tests' fixtures and ``manage.py demo`` build on it."""

from __future__ import annotations

from datetime import date

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from madoguchi.residents.models import Profile


@transaction.atomic
def ensure_resident(
    email: str,
    password: str,
    *,
    family_name: str,
    given_name: str,
    family_name_kana: str,
    given_name_kana: str,
    birth_date: date | None = None,
    sex: str = "",
    postal_code: str = "",
    address: str = "",
    phone: str = "",
    members: list[dict] | None = None,
):
    """The user with that email (made or updated), their address verified and
    primary, and their profile as given. Returns the user."""
    User = get_user_model()
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(username=_free_username(email), email=email)
    user.email = email
    user.first_name, user.last_name = given_name, family_name
    user.set_password(password)
    user.save()
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "family_name": family_name,
            "given_name": given_name,
            "family_name_kana": family_name_kana,
            "given_name_kana": given_name_kana,
            "birth_date": birth_date,
            "sex": sex,
            "postal_code": postal_code,
            "address": address,
            "phone": phone,
            "members": members or [],
        },
    )
    return user


def _free_username(email: str) -> str:
    User = get_user_model()
    base = email.split("@")[0][:140] or "resident"
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


# The cast, as the tests and the demo command know them.
TAKAHASHI = {
    "email": "takahashi@example.jp",
    "family_name": "高橋",
    "given_name": "健太",
    "family_name_kana": "たかはし",
    "given_name_kana": "けんた",
    "birth_date": date(1992, 6, 15),
    "sex": "male",
    "postal_code": "3792313",
    "address": "群馬県みどり市笠懸町鹿250番地",
    "phone": "09012345678",
    "members": [
        {
            "role": "spouse",
            "name": "高橋\u3000美穂",
            "name_kana": "たかはし みほ",
            "birth_date": "1993-01-08",
            "sex": "female",
        },
        {
            "role": "child",
            "name": "高橋\u3000陽翔",
            "name_kana": "たかはし はると",
            "birth_date": "2026-11-20",
            "sex": None,
        },
    ],
}
SAITO = {
    "email": "saito@example.jp",
    "family_name": "齊藤",  # 齊 (not 斉 or 斎): names keep their own kanji
    "given_name": "美咲",
    "family_name_kana": "さいとう",
    "given_name_kana": "みさき",
    "birth_date": date(1985, 5, 5),
    "sex": "female",
    "postal_code": "0600000",
    "address": "北海道札幌市中央区北1条西2丁目",
    "phone": "0112345678",
    "members": [
        {"role": "spouse", "birth_date": "1987-09-30", "sex": "male"},
        {"role": "child", "birth_date": "2016-07-01", "sex": "female"},
        {"role": "child", "birth_date": "2012-12-24", "sex": "male"},
    ],
}


def ensure_cast(password: str) -> dict[str, object]:
    """高橋さん and 齊藤さん, both with ``password``."""
    people = {}
    for key, person in (("takahashi", TAKAHASHI), ("saito", SAITO)):
        data = dict(person)
        people[key] = ensure_resident(data.pop("email"), password, **data)
    return people
