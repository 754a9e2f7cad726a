"""Error pages for residents: plain words in their language, a way back, no
technical detail, the right status code.

Django's own 400 and 500 pages are rendered without the request, so they could
not show the site's header, language or links; these handlers always pass it.
Under the API's path the ``ApiErrorsAsJsonMiddleware`` turns them into JSON.
"""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

logger = logging.getLogger(__name__)


def _page(request: HttpRequest, template: str, status: int, context: dict | None = None):
    return render(request, template, context or {}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return too_large(request, exception)
    return _page(request, "errors/400.html", 400)


def too_large(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """413: the request was larger than the site takes. Nothing of it was saved;
    the resident goes back, where their draft is as they last saved it."""
    from django.conf import settings

    limit_mb = settings.MADOGUCHI_MAX_REQUEST_BYTES // (1024 * 1024)
    return _page(request, "errors/413.html", 413, {"limit_mb": limit_mb})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page. What failed may be the very thing the site's frame needs (the
    catalogue gives the municipality's name), so fall back to a page that needs
    nothing but the template itself."""
    try:
        return _page(request, "errors/500.html", 500)
    except Exception:
        logger.exception("the 500 page could not be rendered; sending the plain one")
        return HttpResponse(render_to_string("errors/500_plain.html"), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a stale or missing CSRF token: almost always a page left
    open too long (the token outlived the session) or cookies switched off."""
    return _page(request, "errors/csrf.html", 403, {"start_again": _start_again_url(request)})


def _start_again_url(request: HttpRequest) -> str | None:
    """The first step of the guide the resident was on, if the form was one of its."""
    match = getattr(request, "resolver_match", None)
    event = match.kwargs.get("event") if match else None
    if not event:
        return None
    try:
        return reverse("catalog:start", kwargs={"event": event})
    except NoReverseMatch:
        return None
