"""The two pages that belong to no town: the list of towns (``/`` when the
installation has several) and a town's 503 while its catalogue does not load.
Drawn without the town's context processors (there is no town, or its
catalogue is what failed)."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language

from madoguchi.catalog.registry import CatalogUnavailable, catalog_of
from madoguchi.towns import directory


def _name(town) -> str:
    try:
        return catalog_of(town).municipality.name.get(get_language() or "ja")
    except CatalogUnavailable:
        return town.slug


def _prefecture(town) -> str:
    try:
        return catalog_of(town).municipality.prefecture.get(get_language() or "ja")
    except CatalogUnavailable:
        return ""


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    """In the browser's language: these pages come before LocaleMiddleware (they
    belong to no town), so they choose it themselves."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        context = context | {"language": translation.get_language()}
        if "towns" in context:
            context["towns"] = [t | {"name": _name(t["town"]), "prefecture": _prefecture(t["town"])}
                                for t in context["towns"]]  # fmt: skip
        response = HttpResponse(render_to_string(template, context), status=status)
    response["Content-Language"] = context["language"]
    response["Vary"] = "Accept-Language, Cookie"
    return response


def town_list(request):
    towns = [
        {"town": t, "url": f"{request.META.get('SCRIPT_NAME', '')}/t/{t.slug}/"}
        for t in directory.active_towns()
    ]
    return _render(request, "towns/list.html", {"towns": towns})


def catalog_unavailable(request, town):
    response = _render(request, "towns/unavailable.html", {"town": town}, status=503)
    response["Retry-After"] = "300"
    return response
