"""Two-step sign-in: an authenticator app (TOTP) and recovery codes, end to end."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse

from tests.conftest import CAST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = {"login": "takahashi@example.jp", "password": CAST_PASSWORD}


def now_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def activate_totp(client: Client) -> str:
    client.post(reverse("account_login"), LOGIN)
    # Changing how one signs in asks for the password again first.
    response = client.get(reverse("mfa_activate_totp"))
    assert reverse("account_reauthenticate") in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert 'class="site-header"' in page and "style=" not in page
    client.post(response["Location"], {"password": CAST_PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200, response.get("Location")
    page = response.content.decode()
    assert "img" in page and "style=" not in page
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page)
    secret = secret or re.search(r'value="([A-Z2-7]{32})"', page)
    assert secret, page
    response = client.post(reverse("mfa_activate_totp"), {"code": now_code(secret[1])})
    assert response.status_code == 302, response.content.decode()
    return secret[1]


def test_with_totp_on_sign_in_asks_for_the_app_code(client, takahashi):
    secret = activate_totp(client)
    client.post(reverse("account_logout"))
    fresh = Client()
    response = fresh.post(reverse("account_login"), LOGIN)
    assert response["Location"] == reverse("mfa_authenticate")
    assert fresh.get(reverse("residents:mypage")).status_code == 302
    page = fresh.get(reverse("mfa_authenticate")).content.decode()
    assert 'class="site-header"' in page and "style=" not in page
    fresh.post(reverse("mfa_authenticate"), {"code": now_code(secret)})
    assert fresh.get(reverse("residents:mypage")).status_code == 200


def test_a_recovery_code_works_once_instead_of_the_app(client, takahashi):
    activate_totp(client)
    page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    codes = re.findall(r"\b([0-9a-f]{8})\b", page)
    assert len(codes) >= 10, page
    client.post(reverse("account_logout"))
    fresh = Client()
    fresh.post(reverse("account_login"), LOGIN)
    fresh.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert fresh.get(reverse("residents:mypage")).status_code == 200
