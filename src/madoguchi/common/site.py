"""Where the site is, for links that leave it (mail): ``MADOGUCHI_PUBLIC_URL``
when set, else the address the resident's own request came to; never a guess such
as localhost. And what the site is called: the town's name, not a host name.

Mail is written after the request (a background task), so the address is taken
while the request is served (``RequestOriginMiddleware``) and handed to the task."""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings

_origin: ContextVar[str] = ContextVar("madoguchi_request_origin", default="")


class RequestOriginMiddleware:
    """Remembers ``scheme://host[:port]`` of the request being served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            token = _origin.set(f"{request.scheme}://{request.get_host()}")
        except Exception:  # a host not allowed: Django answers 400 on its own
            token = _origin.set("")
        try:
            return self.get_response(request)
        finally:
            _origin.reset(token)


def public_origin(request=None) -> str:
    """``https://host[:port]`` residents use: the configured public URL, else the
    request's (given, or the one being served); '' outside any request."""
    if settings.PUBLIC_URL is not None:
        return settings.PUBLIC_URL.origin.rstrip("/")
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return _origin.get()


def absolute_url(path: str, origin: str = "") -> str:
    """``path`` on the public site. ``origin`` is one taken earlier (a task's, from
    the request that queued it); outside any request and without a public URL,
    MADOGUCHI_LOCAL_URL (./dev run on one machine) is the last resort."""
    if settings.PUBLIC_URL is not None:
        base = settings.PUBLIC_URL.origin
    else:
        base = origin or _origin.get() or settings.MADOGUCHI_LOCAL_URL
    return base.rstrip("/") + path


def site_name() -> str:
    """What mail calls the site: the municipality's name in the active language."""
    from django.utils.translation import get_language

    from madoguchi.catalog.registry import current_catalog

    return current_catalog().municipality.name.get(get_language() or "ja")
