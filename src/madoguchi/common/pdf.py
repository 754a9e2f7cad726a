"""HTML templates → PDF with WeasyPrint, using the fonts installed from Debian
(Noto Sans CJK / IPAex), never anything from the network."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def render_pdf(template: str, context: dict, request=None) -> bytes:
    """Render ``template``; relative URLs (its stylesheet) resolve in our static files.

    Only ``file:`` URLs may be fetched: a closed network (LGWAN) has nothing else,
    and a template must not make the server call out.
    """
    html = render_to_string(template, context, request=request)
    static_dir = Path(finders.find("madoguchi/print.css")).parent
    fetcher = URLFetcher(allowed_protocols={"file"}, fail_on_errors=True)
    return HTML(string=html, base_url=f"{static_dir.as_uri()}/", url_fetcher=fetcher).write_pdf()
