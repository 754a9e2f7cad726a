"""HTML templates → PDF with WeasyPrint, using the fonts installed from Debian
(Noto Sans CJK / IPAex), never anything from the network."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML


def _local_only(url: str, *args, **kwargs):
    """Resolve ``/static/...`` from our own files; refuse any other URL."""
    from weasyprint.urls import default_url_fetcher

    if url.startswith("file://"):
        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"PDF rendering does not fetch {url!r}: closed network")


def render_pdf(template: str, context: dict, request=None) -> bytes:
    html = render_to_string(template, context, request=request)
    css_path = finders.find("madoguchi/print.css")
    base = f"file://{css_path.rsplit('/', 1)[0]}/" if css_path else None
    return HTML(string=html, base_url=base, url_fetcher=_local_only).write_pdf()
