"""Signing up, verifying the address by the code in the mail, signing in and out,
a forgotten password — through a real SMTP server (``smtp_server``)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import CAST_PASSWORD

pytestmark = pytest.mark.django_db

NEW_EMAIL = "yamada@example.jp"
NEW_PASSWORD = "kouen-no-sakura-2026"


def code_in(text: str) -> str:
    match = re.search(r"\b(\d{6})\b", text)
    assert match, f"no 6-digit code in the mail:\n{text}"
    return match[1]


def sign_up(client: Client, email: str = NEW_EMAIL):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def test_the_login_page_is_in_japanese_in_the_site_look(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "ログイン" in page and 'class="site-header"' in page
    assert 'lang="ja"' in page
    assert "<script>" not in page and "style=" not in page  # the CSP allows neither


def test_sign_up_sends_a_six_digit_code_that_verifies_and_signs_in(client, smtp_server):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    (mail,) = smtp_server.wait_for(1)
    assert NEW_EMAIL in mail["To"]
    code = code_in(smtp_server.text(mail))
    # Typed in 全角 digits on a Japanese keyboard: still accepted.
    wide = code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    response = client.post(reverse("account_email_verification_sent"), {"code": wide})
    assert response.status_code == 302
    mypage = client.get(reverse("residents:mypage"))
    assert mypage.status_code == 200
    assert "マイページ" in mypage.content.decode()


def test_a_wrong_code_is_refused(client, smtp_server):
    sign_up(client)
    smtp_server.wait_for(1)
    response = client.post(reverse("account_email_verification_sent"), {"code": "000000x"})
    assert response.status_code == 200
    assert client.get(reverse("residents:mypage")).status_code == 302  # not signed in


def test_without_verifying_the_address_one_cannot_sign_in(client, smtp_server):
    sign_up(client)
    smtp_server.wait_for(1)
    other = Client()
    other.post(reverse("account_login"), {"login": NEW_EMAIL, "password": NEW_PASSWORD})
    assert other.get(reverse("residents:mypage")).status_code == 302


def test_takahashi_signs_in_by_email_and_out(client, takahashi):
    response = client.post(
        reverse("account_login"), {"login": "takahashi@example.jp", "password": CAST_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("residents:mypage")
    page = client.get(reverse("residents:mypage")).content.decode()
    assert "高橋" in page and "ログアウト" in page
    client.post(reverse("account_logout"))
    assert client.get(reverse("residents:mypage")).status_code == 302


def test_a_signed_in_session_ends_after_30_idle_minutes(client, takahashi, settings):
    client.post(
        reverse("account_login"), {"login": "takahashi@example.jp", "password": CAST_PASSWORD}
    )
    assert client.session.get_expiry_age() == settings.MADOGUCHI_LOGIN_IDLE_SECONDS == 1800
    assert not client.session.get_expire_at_browser_close()
    response = client.get(reverse("residents:mypage"))
    assert response.cookies["sessionid"]["max-age"] == 1800  # restarted by every page
    client.post(reverse("account_logout"))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE  # the guide's hour


def test_forgotten_password_by_code_from_the_mail(client, takahashi, smtp_server):
    client.post(reverse("account_reset_password"), {"email": "takahashi@example.jp"})
    (mail,) = smtp_server.wait_for(1)
    code = code_in(smtp_server.text(mail))
    response = client.post(reverse("account_confirm_password_reset_code"), {"code": code})
    assert response.status_code == 302
    new = "atarashii-kagi-2026"
    response = client.post(response["Location"], {"password1": new, "password2": new})
    assert response.status_code == 302
    fresh = Client()
    fresh.post(reverse("account_login"), {"login": "takahashi@example.jp", "password": new})
    assert fresh.get(reverse("residents:mypage")).status_code == 200


def test_repeated_wrong_passwords_are_rate_limited(client, takahashi):
    for _ in range(5):
        client.post(
            reverse("account_login"), {"login": "takahashi@example.jp", "password": "wrong"}
        )
    response = client.post(
        reverse("account_login"), {"login": "takahashi@example.jp", "password": CAST_PASSWORD}
    )
    assert response.status_code in (200, 429)
    assert client.get(reverse("residents:mypage")).status_code == 302  # still locked out


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_account_pages_have_no_inline_script_or_style(client, name):
    page = client.get(reverse(name)).content.decode()
    assert not re.search(r"<script(?![^>]*(\bsrc=|application/json))", page), page
    assert "style=" not in page


def test_mfa_pages_render_in_the_site_look_without_inline_script(client, takahashi):
    client.force_login(takahashi)
    for name in ("mfa_index", "mfa_activate_totp", "mfa_add_webauthn"):
        response = client.get(reverse(name))
        if response.status_code == 302:  # allauth asks to re-enter the password first
            continue
        page = response.content.decode()
        assert 'class="site-header"' in page
        assert not re.search(r"<script(?![^>]*(\bsrc=|application/json))", page), name
        assert "style=" not in page


def test_the_login_page_does_not_say_javascript_is_needed(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "<noscript>" not in page
    assert "data-needs-js" in page  # the passkey button, shown by residents/accounts.js
