"""``Cache-Control: no-store`` on pages that carry a household's data.

The guide keeps a household's answers in the session for an hour; the pages that
show them must not be kept elsewhere: not by a shared PC's browser at the counter
(the next person presses Back), nor by a proxy. A page is such a page when its view
read the session (where those answers are), when its URL name is listed in settings
(``NO_STORE_URL_NAMES``), or when it answers a POST (it shows what was just sent).
Reading the session is what decides, so a new page that shows the answers is covered
without anyone remembering to list it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        session = getattr(request, "session", None)
        if (
            request.method == "POST"
            or (session is not None and session.accessed)
            or (match and match.view_name in settings.NO_STORE_URL_NAMES)
        ):
            add_never_cache_headers(response)
        return response
