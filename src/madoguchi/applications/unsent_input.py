"""What a resident typed when their sign-in had ended meanwhile (a phone left on
the table, the idle limit passed): the POST reaches the form signed out. Instead of
losing it, the typed values (not files: they cannot be kept without an owner) go
into the new, anonymous session; after signing in again the form they were sent
from takes them back (the draft entry saves them into the draft; the 補正 form
shows them again, unsent), and the page says so.

The values stay on the server (the session store), are kept for one application
and one page only, and are used only if the person who signs in owns that
application."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from madoguchi.applications.drafting import typed

KEY = "madoguchi-unsent-input"
MAX_FIELDS = 1000  # as Django's DATA_UPLOAD_MAX_NUMBER_FIELDS

SIGNED_OUT = gettext_lazy("ログインの有効時間が過ぎていました。もう一度ログインしてください。")
# What happens to the input after signing in, by the page it was sent from.
INTO_DRAFT = gettext_lazy("入力中の内容は、ログインのあとで下書きに戻します。")
INTO_CORRECTION = gettext_lazy(
    "入力中の内容は、ログインのあとで修正の画面に戻します(まだ送っていません)。"
)


def keep_when_signed_out(view=None, *, promise=INTO_DRAFT):
    """Put before ``login_required``: a signed-out POST keeps its input, then signs in.
    ``promise`` tells the resident where the input will be found again."""
    if view is None:
        return lambda v: keep_when_signed_out(v, promise=promise)

    @wraps(view)
    def wrapper(request, public_id, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            raw = dict(list(typed(request.POST).items())[:MAX_FIELDS])
            request.session[KEY] = {
                "application": str(public_id),
                "page": _page(request),
                "input": raw,
                "files": bool(request.FILES),
            }
            # Japanese sentences follow each other with no space; others take one.
            space = "" if (get_language() or "ja").startswith("ja") else " "
            messages.info(request, f"{SIGNED_OUT}{space}{promise}")
            login = reverse("account_login")
            return redirect(f"{login}?{urlencode({'next': request.path})}")
        return view(request, public_id, *args, **kwargs)

    return wrapper


def _page(request) -> str:
    """The page the input belongs to (its URL name): the draft's input is never
    handed to the 補正 form, nor the other way round."""
    match = request.resolver_match
    return match.view_name if match is not None else ""


def take(request, public_id) -> dict | None:
    """The input kept for this application and this page (removed from the
    session), or None."""
    kept = request.session.get(KEY)
    if (
        not isinstance(kept, dict)
        or kept.get("application") != str(public_id)
        or kept.get("page") != _page(request)
    ):
        return None
    del request.session[KEY]
    return kept if isinstance(kept.get("input"), dict) else None


def say_restored(request, kept: dict) -> None:
    text = _("ログインが切れる前に入力していた内容を、下書きに保存しました。")
    if kept.get("files"):
        text += _("ファイルは保存できなかったので、もう一度選んでください。")
    messages.success(request, text)


def say_shown_again(request, kept: dict) -> None:
    """The 補正 form's input is shown again, not sent: the resident checks it and
    goes on to the review as before."""
    messages.success(
        request,
        _(
            "ログインが切れる前に入力していた内容を戻しました。まだ送っていません。"
            "確かめてから「確認へ進む」を押してください。"
        ),
    )
    if kept.get("files"):
        # Files cannot wait in a session without an owner: said apart, as a warning.
        messages.warning(
            request,
            _(
                "選んでいたファイルは、ログインが切れていたため受け取れませんでした。"
                "お手数ですが、もう一度ファイルを選んでください。"
            ),
        )
