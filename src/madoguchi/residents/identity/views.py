"""本人確認: the page that lists the ways to verify, and the round trip to one."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.common import audit
from madoguchi.residents.identity import store
from madoguchi.residents.identity.contrib.demo.plugin import SESSION_KEY as DEMO_SESSION
from madoguchi.residents.identity.contrib.demo.plugin import demo_facts
from madoguchi.residents.identity.registry import IdentityError, IdentityProvider, registry

logger = logging.getLogger(__name__)


def _usable(provider_id: str) -> IdentityProvider:
    for provider in registry.usable():
        if provider.id == provider_id:
            return provider
    raise Http404


@login_required
def identity(request: HttpRequest) -> HttpResponse:
    current = store.latest_for(request.user)
    if current is not None:
        audit.record(request, "view", store.TARGET, current.pk, page="identity")
    language = get_language() or "ja"
    providers = [
        {"id": p.id, "label": p.label(language), "demo": p.demo} for p in registry.usable()
    ]
    return render(request, "residents/identity.html", {"identity": current, "providers": providers})


@login_required
@require_POST
def begin(request: HttpRequest, provider_id: str) -> HttpResponse:
    provider = _usable(provider_id)
    try:
        return provider.begin(request)
    except IdentityError as exc:
        messages.error(request, str(exc))
        return redirect("residents:identity")


@login_required
@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, provider_id: str) -> HttpResponse:
    """The provider's return (OIDC: GET with code and state; demo: our own POST)."""
    provider = _usable(provider_id)
    try:
        facts = provider.complete(request)
    except IdentityError as exc:
        # The reason in words, never the claims (they are personal data).
        logger.info("identity verification failed (provider %s)", provider_id)
        messages.error(request, str(exc))
        return redirect("residents:identity")
    store.store(request, request.user, provider.id, facts)
    messages.success(request, _("本人確認ができました"))
    return redirect("residents:identity")


@login_required
def demo(request: HttpRequest) -> HttpResponse:
    """The demo provider's own page: fixed, made-up facts to confirm."""
    if not request.session.get(DEMO_SESSION):
        return redirect("residents:identity")
    _usable("demo")
    return render(request, "residents/identity_demo.html", {"facts": demo_facts(request.user)})
