"""Several HTML documents → one PDF (common/pdf_pool.py, common/pdf_layout.py): the
same pages, in the same order, whether a helper process lays out part of them or
not, and still a whole PDF when a helper dies. Read back with pypdf."""

from __future__ import annotations

import gc
import io
import time

import pytest
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError

from madoguchi.common import pdf_layout, pdf_pool


def doc(n: int, pages: int = 1) -> str:
    body = "".join(
        f'<p style="break-before: page">書類{n} {p + 1}枚目</p>' if p else f"<p>書類{n} 1枚目</p>"
        for p in range(pages)
    )
    return (
        '<html lang="ja"><head><style>@page { size: A5; @bottom-right { content: '
        'counter(page) " / " counter(pages) } } body { font-family: "Noto Sans CJK JP", '
        f'"IPAexGothic" }}</style></head><body>{body}</body></html>'
    )


def texts(pdf: bytes) -> list[str]:
    return ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


DOCS = [doc(1), doc(2, pages=2), doc(3), doc(4), doc(5, pages=3), doc(6)]
EXPECTED = [
    "書類11枚目1/1",
    "書類21枚目1/2",
    "書類22枚目2/2",
    "書類31枚目1/1",
    "書類41枚目1/1",
    "書類51枚目1/3",
    "書類52枚目2/3",
    "書類53枚目3/3",
    "書類61枚目1/1",
]


def test_in_this_process_each_document_keeps_its_own_page_numbers():
    assert texts(pdf_pool.pdf_of_many(DOCS, "file:///", helpers=0)) == EXPECTED


def test_with_a_helper_process_the_same_pages_in_the_same_order():
    assert texts(pdf_pool.pdf_of_many(DOCS, "file:///", helpers=1)) == EXPECTED


def test_when_the_helper_dies_the_print_is_still_whole():
    pdf_pool.warm_up(1)
    pool = pdf_pool._executor(1)
    for process in list(pool._processes.values()):
        process.kill()
        process.join()
    assert texts(pdf_pool.pdf_of_many(DOCS, "file:///", helpers=1)) == EXPECTED
    # And the next print starts a new helper.
    assert texts(pdf_pool.pdf_of_many(DOCS, "file:///", helpers=1)) == EXPECTED


def test_a_few_documents_are_laid_out_here():
    assert len(pdf_pool.split(DOCS[:3], 2)) == 2  # split() itself would share them…
    assert pdf_pool.MIN_DOCUMENTS > 3  # …but three are not worth a helper
    assert texts(pdf_pool.pdf_of_many(DOCS[:3], "file:///", helpers=1)) == EXPECTED[:4]


@pytest.mark.parametrize("count", [1, 2, 3, 6, 9])
def test_split_keeps_order_and_leaves_no_run_empty(count):
    items = ["a" * n for n in (5, 40, 3, 3, 30, 8)]
    runs = pdf_pool.split(items, count)
    assert [item for run in runs for item in run] == items
    assert len(runs) == min(count, len(items)) and all(runs)


def test_split_shares_the_length_about_evenly():
    forms, checklist = ["f" * 5000] * 10, "c" * 38000
    first, second = pdf_pool.split([*forms, checklist], 2)
    assert first == forms[:9] and second == [forms[9], checklist]


def test_nothing_to_print_is_refused():
    with pytest.raises(ValueError):
        pdf_pool.pdf_of_many([], "file:///", helpers=0)


def test_a_linked_stylesheet_is_parsed_once_and_again_when_it_changes(tmp_path):
    sheet = tmp_path / "print.css"
    sheet.write_text("@page { size: A5 }")
    html = '<html><head><link rel="stylesheet" href="print.css"></head><body>x</body></html>'
    base = f"{tmp_path.as_uri()}/"
    first = pdf_layout.lay_out(html, base)
    assert round(first.pages[0].width) == round(148 / 25.4 * 96)  # A5 portrait
    assert pdf_layout.stylesheet(f"{base}print.css") is pdf_layout.stylesheet(f"{base}print.css")
    time.sleep(0.01)
    sheet.write_text("@page { size: A5 landscape }")
    second = pdf_layout.lay_out(html, base)
    assert round(second.pages[0].width) == round(210 / 25.4 * 96)


def test_only_local_files_may_be_fetched():
    html = '<html><body><img src="http://example.jp/a.png"></body></html>'
    with pytest.raises(FatalURLFetchingError):
        pdf_layout.lay_out(html, "file:///")


def test_the_collector_runs_again_after_a_layout_even_one_that_fails():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), pdf_layout.collector_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
