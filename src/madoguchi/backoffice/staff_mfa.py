"""Staff pages need a session that passed the second factor, not only an account
that has one set up.

allauth records each step of a sign-in in the session
(``get_authentication_records``): ``{"method": "password"}``, then
``{"method": "mfa", "type": "totp"}``; a passkey sign-in is one ``"mfa"`` record
(``passwordless``). A session made any other way (Django's ``login()`` from an old
admin form, ``force_login``, a session from before this check) has no ``"mfa"``
record and is sent to the MFA step (allauth's ``mfa_reauthenticate``), which adds
one when the code is right. The back office's decorator (``access.py``) and the
admin site (``admin_site.py``) both ask ``mfa_gate``.
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


def session_passed_mfa(request: HttpRequest) -> bool:
    """Whether this session's sign-in used a second factor (TOTP, a passkey or a
    recovery code), for the user signed in now."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def mfa_required() -> bool:
    return bool(settings.MADOGUCHI_REQUIRE_STAFF_MFA)


def mfa_gate(request: HttpRequest, next_url: str | None = None) -> HttpResponseRedirect | None:
    """None when the signed-in staff member may go on; otherwise where to send them,
    with a message: to set up a second factor, or to use it for this session."""
    if not mfa_required() or session_passed_mfa(request):
        return None
    if next_url is None:
        # After a POST the same address would answer «method not allowed»: go
        # back to the page the form was on instead (same site only).
        next_url = request.get_full_path() if request.method in ("GET", "HEAD") else None
        if next_url is None:
            next_url = resolve_url("backoffice:queue")
    if not is_mfa_enabled(request.user):
        messages.info(request, _("職員の画面を使うには、2段階認証の設定が必要です。"))
        return HttpResponseRedirect(reverse("mfa_index"))
    messages.warning(
        request,
        _(
            "職員の画面は、2段階認証を済ませたログインでだけ使えます。"
            "認証アプリのコード(またはパスキー)で本人であることを確かめてください。"
        ),
    )
    query = urlencode({REDIRECT_FIELD_NAME: next_url})
    return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{query}")
