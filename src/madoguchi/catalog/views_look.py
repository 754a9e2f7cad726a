"""The town's look from its catalogue (municipality.yaml ``look:``): its colours as
a small stylesheet (the CSP allows no inline style) and its logo file."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from madoguchi.catalog.registry import current_catalog


@require_GET
@cache_control(public=True, max_age=300)
def look_css(request):
    look = current_catalog().municipality.look
    lines = []
    if look is not None and look.key_color:
        lines.append(f"--key: {look.key_color};")
    if look is not None and look.key_dark_color:
        lines.append(f"--key-dark: {look.key_dark_color};")
    css = ":root { " + " ".join(lines) + " }\n" if lines else ""
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=300)
def logo(request):
    catalog = current_catalog()
    look = catalog.municipality.look
    if look is None or not look.logo:
        raise Http404
    path = catalog.directory / look.logo  # the schema allows a plain file name only
    if not path.is_file():
        raise Http404
    kind = "image/svg+xml" if path.suffix == ".svg" else "image/png"
    response = FileResponse(path.open("rb"), content_type=kind)
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
