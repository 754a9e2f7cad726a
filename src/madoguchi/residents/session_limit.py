"""A signed-in resident's session ends after ``MADOGUCHI_LOGIN_IDLE_SECONDS``
(30 minutes) without a page; see settings.py for why."""

from __future__ import annotations

from django.conf import settings


class IdleLimitMiddleware:
    """Sets the shorter limit on the way out of every signed-in response, after
    whatever sign-in path ran (password, code, passkey; allauth sets its own
    expiry on password sign-in). An integer expiry counts from the session's last
    save, and SESSION_SAVE_EVERY_REQUEST saves on every page: so this is "30
    minutes since the last page". Signing out flushes the session, and the guide's
    hour (SESSION_COOKIE_AGE) applies again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        # A request that never opened the session cannot have a signed-in user
        # (and must not open it now: see common/no_store.py).
        if session is not None and session.accessed and user is not None and user.is_authenticated:
            limit = settings.MADOGUCHI_LOGIN_IDLE_SECONDS
            if session.get("_session_expiry") != limit:
                session.set_expiry(limit)
        return response
