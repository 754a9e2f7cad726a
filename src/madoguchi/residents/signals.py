"""A signed-in resident's session: shorter idle limit (settings.MADOGUCHI_LOGIN_IDLE_SECONDS)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in)
def shorten_idle_limit(sender, request, user, **kwargs) -> None:
    # An integer expiry counts from the last save; SESSION_SAVE_EVERY_REQUEST saves
    # on every page, so this is "N seconds without a page". Logging out flushes the
    # session and the guide's hour applies again.
    if request is not None and hasattr(request, "session"):
        request.session.set_expiry(settings.MADOGUCHI_LOGIN_IDLE_SECONDS)
