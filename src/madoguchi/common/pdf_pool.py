"""Several HTML documents → one PDF, laid out on more than one core.

WeasyPrint is pure Python: one process lays out one page at a time. A counter
visit's print (ten forms and an eleven-page checklist) is split into contiguous
runs of documents: the request's own process lays out the first run while each
helper process lays out another, and the runs' PDFs are joined in order (pypdf).

The helpers are started with ``spawn``, not ``fork``: a fresh interpreter that
imports only WeasyPrint and ``pdf_layout`` (no Django, no database connection, no
Polars thread pool copied in a half-held state), kept for the life of the worker
process (fonts loaded once). ``MADOGUCHI_PDF_HELPERS=0`` lays out everything in the
request's process. If a helper dies or hangs, the run is laid out here instead.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from madoguchi.common import pdf_layout

log = logging.getLogger(__name__)

# Fewer documents than this are laid out here: a helper's round trip and the
# join cost more than they save on a receipt or one or two forms.
MIN_DOCUMENTS = 4
# A helper that has not answered by then is given up on (the request renders
# its run itself).
HELPER_TIMEOUT_S = 60

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_pid: int | None = None


def pdf_of_many(htmls: list[str], base_url: str, helpers: int) -> bytes:
    """One PDF of ``htmls`` in order, each laid out on its own (its own page
    numbers), using up to ``helpers`` helper processes."""
    if not htmls:
        raise ValueError("no document to lay out")
    runs = split(htmls, helpers + 1) if len(htmls) >= MIN_DOCUMENTS else [htmls]
    if len(runs) == 1:
        return pdf_layout.pdf_of(htmls, base_url)
    futures = []
    try:
        pool = _executor(helpers)
        futures = [pool.submit(pdf_layout.pdf_of, run, base_url) for run in runs[1:]]
    except (BrokenProcessPool, OSError, RuntimeError):
        log.warning("PDF helper processes unavailable; laying out in this process", exc_info=True)
        _discard()
    parts = [pdf_layout.pdf_of(runs[0], base_url)]
    for run, future in zip(runs[1:], futures or [None] * (len(runs) - 1), strict=True):
        parts.append(_result(future, run, base_url))
    return join(parts)


def split(items: list[str], count: int) -> list[list[str]]:
    """``items`` in at most ``count`` contiguous, non-empty runs of about the same
    total length (an HTML document's length is a fair guess of its layout time)."""
    count = max(1, min(count, len(items)))
    total = sum(len(item) for item in items)
    runs: list[list[str]] = [[]]
    done = 0
    for index, item in enumerate(items):
        left_after = len(items) - index  # items from here on, this one included
        runs_to_open = count - len(runs)
        # Start a new run once this one has its share (measured at the item's
        # middle), or when every remaining item is needed to fill the remaining runs.
        if (
            runs[-1]
            and runs_to_open
            and (done + len(item) / 2 > total * len(runs) / count or left_after == runs_to_open)
        ):
            runs.append([])
        runs[-1].append(item)
        done += len(item)
    return runs


def join(parts: list[bytes]) -> bytes:
    """The pages of several PDFs as one, in order, with the first one's metadata."""
    if len(parts) == 1:
        return parts[0]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(parts[0])))
    for part in parts[1:]:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def warm_up(helpers: int) -> None:
    """Start the helpers now (a worker's start-up), so that the first print does
    not wait for them to import WeasyPrint and load the fonts."""
    if helpers < 1:
        return
    try:
        pool = _executor(helpers)
        for future in [pool.submit(_warm) for _ in range(helpers)]:
            future.result(timeout=HELPER_TIMEOUT_S)
    except Exception:  # noqa: BLE001 - a print falls back to this process anyway
        log.warning("PDF helper processes did not start", exc_info=True)
        _discard()


def _result(future, run: list[str], base_url: str) -> bytes:
    if future is not None:
        try:
            return future.result(timeout=HELPER_TIMEOUT_S)
        except (BrokenProcessPool, TimeoutError):
            log.warning("a PDF helper process failed; laying out its part here", exc_info=True)
            _discard()
    return pdf_layout.pdf_of(run, base_url)


def _executor(helpers: int) -> ProcessPoolExecutor:
    global _pool, _pool_pid
    with _lock:
        # A pool belongs to the process that started it (not to a forked child).
        if _pool is None or _pool_pid != os.getpid():
            _pool = ProcessPoolExecutor(
                max_workers=helpers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_warm,
            )
            _pool_pid = os.getpid()
        return _pool


def _discard() -> None:
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None and _pool_pid == os.getpid():
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.kill()  # a hung helper is not waited for


def _warm() -> None:
    """In a helper: load WeasyPrint and the Japanese fonts once."""
    pdf_layout.pdf_of(["<p style='font-family: \"Noto Sans CJK JP\"'>窓口</p>"], "file:///")
