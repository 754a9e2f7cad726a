"""``Cache-Control: no-store`` on pages that carry a household's data.

The guide keeps nothing on the server; the answers live only in the page. That
page must not be kept either: not by a shared PC's browser at the counter (the
next person presses Back), nor by a proxy. Which pages these are is a list of URL
names in settings (``NO_STORE_URL_NAMES``), so views need no decorator; any
response to a POST counts too, since it shows what was just sent.
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
        if request.method == "POST" or (match and match.view_name in settings.NO_STORE_URL_NAMES):
            add_never_cache_headers(response)
        return response
