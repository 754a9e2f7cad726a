"""本人確認: the page that lists the ways to verify, and the round trip to one.

A page that needs an identity (an application's review) links here with
``?next=<its path>``; the path rides in the session through the provider's round
trip and the resident lands back there once verified. Only a local path is kept.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.common import audit
from madoguchi.residents.identity import store
from madoguchi.residents.identity.contrib.demo.plugin import SESSION_KEY as DEMO_SESSION
from madoguchi.residents.identity.contrib.demo.plugin import demo_facts
from madoguchi.residents.identity.registry import IdentityError, IdentityProvider, registry

logger = logging.getLogger(__name__)
NEXT_SESSION_KEY = "identity_next"


def _local_next(request: HttpRequest, value: str | None) -> str:
    """``value`` if it is a path on this site (``/…``, not ``//host``), else ""."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return ""
    ok = url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return value if ok else ""


def _identity_page(next_path: str) -> HttpResponse:
    response = redirect("residents:identity")
    if next_path:
        response["Location"] += "?" + urlencode({"next": next_path})
    return response


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
    return render(
        request,
        "residents/identity.html",
        {
            "identity": current,
            "providers": providers,
            "next": _local_next(request, request.GET.get("next")),
        },
    )


@login_required
@require_POST
def begin(request: HttpRequest, provider_id: str) -> HttpResponse:
    provider = _usable(provider_id)
    next_path = _local_next(request, request.POST.get("next"))
    if next_path:
        request.session[NEXT_SESSION_KEY] = next_path
    else:
        request.session.pop(NEXT_SESSION_KEY, None)
    try:
        return provider.begin(request)
    except IdentityError as exc:
        messages.error(request, str(exc))
        return _identity_page(next_path)


@login_required
@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, provider_id: str) -> HttpResponse:
    """The provider's return (OIDC: GET with code and state; demo: our own POST)."""
    provider = _usable(provider_id)
    next_path = _local_next(request, request.session.pop(NEXT_SESSION_KEY, None))
    try:
        facts = provider.complete(request)
    except IdentityError as exc:
        # The reason in words, never the claims (they are personal data).
        logger.info("identity verification failed (provider %s)", provider_id)
        messages.error(request, str(exc))
        return _identity_page(next_path)
    store.store(request, request.user, provider.id, facts)
    messages.success(request, _("本人確認ができました"))
    return redirect(next_path) if next_path else redirect("residents:identity")


@login_required
def demo(request: HttpRequest) -> HttpResponse:
    """The demo provider's own page: fixed, made-up facts to confirm."""
    if not request.session.get(DEMO_SESSION):
        return redirect("residents:identity")
    _usable("demo")
    return render(
        request,
        "residents/identity_demo.html",
        {
            "facts": demo_facts(request.user),
            "next": _local_next(request, request.session.get(NEXT_SESSION_KEY)),
        },
    )
