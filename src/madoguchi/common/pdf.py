"""HTML templates → PDF with WeasyPrint, using the fonts installed from Debian
(Noto Sans CJK / IPAex), never anything from the network. (The layout itself, free
of Django, is in ``pdf_layout``; several documents at once in ``pdf_pool``.)"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import Document

from madoguchi.common import pdf_layout, pdf_pool


def render_document(template: str, context: dict, request=None) -> Document:
    """Lay out ``template`` as pages; relative URLs (its stylesheet) resolve in our
    static files."""
    html = render_to_string(template, context, request=request)
    return pdf_layout.lay_out(html, static_base_url())


def render_pdf(template: str, context: dict, request=None) -> bytes:
    return pdf_layout.write([render_document(template, context, request)])


def pdf_of_htmls(htmls: list[str]) -> bytes:
    """One PDF of several rendered templates in order, each laid out on its own (so
    each keeps its own page numbers: 「1 / 2」 of a form, not of the pile), on the
    PDF helper processes too when there are enough (``MADOGUCHI_PDF_HELPERS``)."""
    return pdf_pool.pdf_of_many(htmls, static_base_url(), settings.MADOGUCHI_PDF_HELPERS)


@cache
def static_base_url() -> str:
    return f"{Path(finders.find('madoguchi/print.css')).parent.as_uri()}/"
