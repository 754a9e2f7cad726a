from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from madoguchi.residents.cast import ensure_resident
from madoguchi.residents.models import Profile

pytestmark = pytest.mark.django_db


def test_ensure_resident_is_idempotent_and_verified(takahashi):
    again = ensure_resident(
        "Takahashi@example.jp",
        "another-pass-2026",
        family_name="高橋",
        given_name="健太",
        family_name_kana="たかはし",
        given_name_kana="けんた",
    )
    assert again.pk == takahashi.pk
    assert get_user_model().objects.count() == 1 and Profile.objects.count() == 1
    address = EmailAddress.objects.get(user=again)
    assert address.verified and address.primary
    assert again.check_password("another-pass-2026")


def test_saito_keeps_the_rare_kanji(saito):
    assert Profile.objects.get(user=saito).family_name == "齊藤"
