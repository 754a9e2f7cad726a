"""HTML templates → PDF with WeasyPrint, using the fonts installed from Debian
(Noto Sans CJK / IPAex), never anything from the network."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
import threading

from weasyprint import HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher


def render_document(template: str, context: dict, request=None) -> Document:
    """Lay out ``template`` as pages; relative URLs (its stylesheet) resolve in our
    static files.

    Only ``file:`` URLs may be fetched: a closed network (LGWAN) has nothing else,
    and a template must not make the server call out.
    """
    html = render_to_string(template, context, request=request)
    static_dir = Path(finders.find("madoguchi/print.css")).parent
    fetcher = URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
    return HTML(string=html, base_url=f"{static_dir.as_uri()}/", url_fetcher=fetcher).render(
        font_config=_font_config()
    )


_local = threading.local()


def _font_config() -> FontConfiguration:
    if getattr(_local, "fonts", None) is None:
        _local.fonts = FontConfiguration()
    return _local.fonts


def render_pdf(template: str, context: dict, request=None) -> bytes:
    return render_document(template, context, request).write_pdf()


def combine(documents: list[Document]) -> bytes:
    """One PDF of the pages of several documents, in order (each laid out on its
    own, so each keeps its own page numbers: 「1 / 2」 of a form, not of the pile)."""
    if not documents:
        raise ValueError("no document to combine")
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
