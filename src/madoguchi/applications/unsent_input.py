"""What a resident typed when their sign-in had ended meanwhile (a phone left on
the table, the idle limit passed): the POST reaches the form signed out. Instead of
losing it, the typed values (not files: they cannot be kept without an owner) go
into the new, anonymous session; after signing in again they are saved into the
draft they were meant for, and the page says so.

The values stay on the server (the session store), are kept for one application
only, and are used only if the person who signs in owns that draft."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from madoguchi.applications.drafting import typed

KEY = "madoguchi-unsent-input"
MAX_FIELDS = 1000  # as Django's DATA_UPLOAD_MAX_NUMBER_FIELDS


def keep_when_signed_out(view):
    """Put before ``login_required``: a signed-out POST keeps its input, then signs in."""

    @wraps(view)
    def wrapper(request, public_id, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            raw = dict(list(typed(request.POST).items())[:MAX_FIELDS])
            request.session[KEY] = {
                "application": str(public_id),
                "input": raw,
                "files": bool(request.FILES),
            }
            messages.info(
                request,
                _(
                    "ログインの有効時間が過ぎていました。もう一度ログインしてください。"
                    "入力中の内容は、ログインのあとで下書きに戻します。"
                ),
            )
            login = reverse("account_login")
            return redirect(f"{login}?{urlencode({'next': request.path})}")
        return view(request, public_id, *args, **kwargs)

    return wrapper


def take(request, public_id) -> dict | None:
    """The input kept for this application (removed from the session), or None."""
    kept = request.session.get(KEY)
    if not isinstance(kept, dict) or kept.get("application") != str(public_id):
        return None
    del request.session[KEY]
    return kept if isinstance(kept.get("input"), dict) else None


def say_restored(request, kept: dict) -> None:
    text = _("ログインが切れる前に入力していた内容を、下書きに保存しました。")
    if kept.get("files"):
        text += _("ファイルは保存できなかったので、もう一度選んでください。")
    messages.success(request, text)
