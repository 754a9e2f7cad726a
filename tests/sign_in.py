"""Signing in through the real forms in tests: allauth's password form, then (for an
account with a TOTP authenticator) its MFA form with a code computed from the
secret by allauth's own TOTP functions.

allauth accepts each code once per user (``TOTP._mark_code_used``: a cache entry
for the period), so a test signs each person in once and keeps that client.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for ``secret``."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    # This period's code (not the oldest one the tolerance still takes, which may
    # expire between computing it and posting it).
    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(client: Client, email: str, password: str, totp_secret: str | None = None) -> Client:
    """Sign ``client`` in as allauth's forms do; fails the test with the page's
    reason if a step does not go through."""
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    assert response.status_code == 302, _why(response)
    if response["Location"].startswith(reverse("mfa_authenticate")):
        assert totp_secret is not None, f"{email} has MFA: give the TOTP secret"
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(totp_secret)})
        assert response.status_code == 302, _why(response)
    assert "_auth_user_id" in client.session, f"{email} is not signed in: {response['Location']}"
    return client


def _why(response) -> str:
    """The page's main text, for the assertion message."""
    import re

    html = response.content.decode()
    main = re.search(r"<main.*?</main>", html, re.S)
    text = re.sub(r"<[^>]+>", " ", main[0] if main else html)
    return f"{response.status_code}: {' '.join(text.split())[:600]}"
