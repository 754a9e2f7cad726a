"""``signed_in`` for the header's ログイン / マイページ links.

Without a session cookie the visitor cannot be signed in: say so without opening
the session, so the page stays cacheable for them (common/no_store.py treats a
page that read the session as personal)."""

from __future__ import annotations

from django.conf import settings


def account(request) -> dict:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return {"signed_in": False}
    user = getattr(request, "user", None)
    return {"signed_in": bool(user and user.is_authenticated)}
