"""デモ: the resident confirms fixed, made-up facts on our own page.

For the example municipality and the tests only: it proves nothing, so it is
not offered on a public site (``check_config`` says why) unless
``MADOGUCHI_IDENTITY_DEMO_ON_PUBLIC_SITE`` is set for a demonstration server."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from madoguchi.residents.identity.registry import (
    IdentityError,
    IdentityProvider,
    VerifiedFacts,
    register,
)

SESSION_KEY = "identity_demo"
DEMO_FACTS = {
    "name": "窓口 花子",
    "name_kana": "まどぐち はなこ",
    "address": "みどり県みどり市中央一丁目1番1号",
    "birth_date": date(1980, 4, 1),
    "sex": "female",
}


@register("demo")
class DemoProvider(IdentityProvider):
    name = {"ja": "デモ用の本人確認(実際の確認はしません)", "en": "Demo (verifies nothing)"}
    demo = True

    def check_config(self) -> list[str]:
        public = getattr(settings, "PUBLIC_URL", None) is not None
        allowed = getattr(settings, "MADOGUCHI_IDENTITY_DEMO_ON_PUBLIC_SITE", False)
        if public and not allowed:
            return [_("デモ用の本人確認は、公開中のサイトでは使えません(何も確認しないため)")]
        return []

    def begin(self, request: HttpRequest) -> HttpResponse:
        request.session[SESSION_KEY] = True
        return HttpResponseRedirect(reverse("residents:identity_demo"))

    def complete(self, request: HttpRequest) -> VerifiedFacts:
        if not request.session.pop(SESSION_KEY, False):
            raise IdentityError(
                _("本人確認を完了できませんでした。もう一度はじめからお試しください")
            )
        return VerifiedFacts(subject=f"demo-{request.user.pk}", **demo_facts(request.user))


def demo_facts(user) -> dict:
    """What the demo "card" says: the resident's own profile when it has the four
    facts (so that a demonstration of 高橋さん's application stays 高橋さん's), else
    the fixed made-up facts."""
    from madoguchi.residents.models import Profile

    profile = Profile.objects.filter(user=user).first()
    if profile is None or not (profile.name.strip() and profile.address and profile.birth_date):
        return dict(DEMO_FACTS)
    return {
        "name": profile.name,
        "name_kana": profile.name_kana,
        "address": profile.address,
        "birth_date": profile.birth_date,
        "sex": profile.sex,
    }
