"""The two pages that belong to no town: the list of towns (``/`` when the
installation has several) and a town's 503 while its catalogue does not load.
Drawn without the town's context processors (there is no town, or its
catalogue is what failed)."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language

from madoguchi.catalog.registry import CatalogUnavailable, catalog_of
from madoguchi.towns import directory


def _name(town) -> str:
    try:
        return catalog_of(town).municipality.name.get(get_language() or "ja")
    except CatalogUnavailable:
        return town.slug


def town_list(request):
    towns = [
        {"name": _name(t), "url": f"{request.META.get('SCRIPT_NAME', '')}/t/{t.slug}/"}
        for t in directory.active_towns()
    ]
    html = render_to_string("towns/list.html", {"towns": towns})
    return HttpResponse(html)


def catalog_unavailable(request, town):
    html = render_to_string("towns/unavailable.html", {"town": town})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "300"
    return response
