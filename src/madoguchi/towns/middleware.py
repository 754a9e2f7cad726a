"""Which town a request is for, before anything else reads the path.

1. Its host name, when a town lists it (``Town.hosts``: a town with its own domain).
2. Else the first path segment ``/t/<slug>/``: it is taken off ``path_info`` and
   becomes part of the script prefix, so every ``reverse()`` and redirect of the
   page keeps it and the apps' URLs do not change.
3. Else, in an installation of one town, that town (today's URLs unchanged).
4. Else ``/`` lists the towns and every other path is 404.

The town is active (``towns.context``) while the view runs and while a streamed
response (CSV export) is written. A town whose catalogue never loaded answers
503 with an explanation; the other towns serve as usual.
"""

from __future__ import annotations

from django.conf import settings
from django.core.handlers.wsgi import get_script_name
from django.http import Http404
from django.http.request import split_domain_port
from django.urls import get_script_prefix, set_script_prefix

from madoguchi.catalog.registry import CatalogUnavailable, catalog_of
from madoguchi.towns import directory, views
from madoguchi.towns.context import activate

PATH_MARK = "/t/"


def town_for(request):
    """(town or None, the path prefix that named it or '')."""
    found = directory.directory()
    host, _port = split_domain_port(request.get_host())
    town = found.by_host.get(host.lower())
    if town is not None:
        return town, ""
    path = request.path_info
    if path.startswith(PATH_MARK):
        slug, _slash, _rest = path[len(PATH_MARK) :].partition("/")
        town = found.by_slug.get(slug)
        if town is not None:
            return town, f"{PATH_MARK}{slug}"
    if len(found.towns) == 1:
        return found.towns[0], ""
    return None, ""


class TownMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        town, prefix = town_for(request)
        if town is None:
            if request.path_info == "/":
                return views.town_list(request)
            if request.path_info.startswith(settings.API_PATH_PREFIX):
                from django.utils.translation import gettext as _

                from madoguchi.common.api_errors import api_error

                message = _("市区町村を URL で指定してください(例: /t/<町>/api/v1/guide)")
                return api_error(404, message)
            raise Http404("町が見つかりません")
        if prefix:
            rest = request.path_info[len(prefix) :]
            if not rest:  # /t/sakura → /t/sakura/
                from django.http import HttpResponsePermanentRedirect

                return HttpResponsePermanentRedirect(request.path + "/")
            request.path_info = rest
            base = get_script_name(request.META).rstrip("/")
            request.META["SCRIPT_NAME"] = base + prefix
        request.town = town
        previous_prefix = get_script_prefix()
        if prefix:
            set_script_prefix(request.META["SCRIPT_NAME"] + "/")
        try:
            with activate(town):
                try:
                    catalog_of(town)
                except CatalogUnavailable:
                    return views.catalog_unavailable(request, town)
                response = self.get_response(request)
        finally:
            set_script_prefix(previous_prefix)
        if getattr(response, "streaming", False):
            script = request.META["SCRIPT_NAME"] + "/" if prefix else None
            response.streaming_content = _in_town(town, script, response.streaming_content)
        return response


def _in_town(town, script_prefix, chunks):
    """A streamed body is written after the view returned: in its town still."""
    previous_prefix = get_script_prefix()
    if script_prefix:
        set_script_prefix(script_prefix)
    try:
        with activate(town):
            yield from chunks
    finally:
        set_script_prefix(previous_prefix)
