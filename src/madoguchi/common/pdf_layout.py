"""HTML → pages → PDF bytes with WeasyPrint, and nothing of Django: the PDF helper
processes (``pdf_pool``) import only this.

What makes a print fast enough for the counter (measured with ``./dev bench counter``,
see docs/operations.md):
- one ``FontConfiguration`` kept per thread: WeasyPrint's default, a new one per
  document, starts Pango's font map and its shaping caches cold every time;
- the cyclic garbage collector paused while WeasyPrint works (``collector_paused``);
- each linked stylesheet parsed once per process, not once per document.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import threading
from functools import lru_cache
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

_local = threading.local()
# Our print templates link their stylesheets in exactly this form; any other link
# is left to WeasyPrint (parsed per document: slower, same result).
_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^":]+)">')


def lay_out(html: str, base_url: str) -> Document:
    """The pages of ``html``; its relative URLs (its stylesheet) resolve against
    ``base_url`` (our static files).

    Only ``file:`` URLs, and ``data:`` ones (which fetch nothing: the QR codes),
    may be fetched: a closed network (LGWAN) has nothing else, and a template must
    not make the server call out.
    """
    sheets = [stylesheet(urljoin(base_url, href)) for href in _STYLESHEET_LINK.findall(html)]
    html = _STYLESHEET_LINK.sub("", html)
    with collector_paused():
        return HTML(string=html, base_url=base_url, url_fetcher=_fetcher()).render(
            font_config=font_config(), stylesheets=sheets
        )


def write(documents: list[Document]) -> bytes:
    """One PDF of the pages of several documents, in order (each laid out on its
    own, so each keeps its own page numbers: 「1 / 2」 of a form, not of the pile)."""
    if not documents:
        raise ValueError("no document to combine")
    pages = [page for document in documents for page in document.pages]
    with collector_paused():
        return documents[0].copy(pages).write_pdf()


def pdf_of(htmls: list[str], base_url: str) -> bytes:
    """Lay out each HTML document on its own and write their pages as one PDF."""
    return write([lay_out(html, base_url) for html in htmls])


def stylesheet(url: str) -> CSS:
    """The ``file:`` stylesheet at ``url``, parsed once (again when the file changes).

    Given to WeasyPrint as a user stylesheet instead of a linked one: with no other
    author style in our templates, the cascade is the same (both win over the
    user agent's)."""
    path = url2pathname(urlsplit(url).path)
    return _parsed(url, os.stat(path).st_mtime_ns)


@lru_cache(maxsize=32)
def _parsed(url: str, _mtime_ns: int) -> CSS:
    return CSS(url=url, url_fetcher=_fetcher())


def _fetcher() -> URLFetcher:
    return URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)


def font_config() -> FontConfiguration:
    """This thread's font configuration, made once (Pango's font map is not to be
    shared between threads)."""
    if getattr(_local, "fonts", None) is None:
        _local.fonts = FontConfiguration()
    return _local.fonts


@contextlib.contextmanager
def collector_paused():
    """The cyclic garbage collector off while WeasyPrint works: a document's boxes
    are hundreds of thousands of short-lived objects, and each automatic collection
    walked them again (a fifth of a visit's print). The cycles they leave are
    collected once, later."""
    if not gc.isenabled():  # already paused by an outer call
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
