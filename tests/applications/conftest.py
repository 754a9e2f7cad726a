"""The online application's fixtures: the example catalogue's 児童手当 form, and
residents 高橋 and 齊藤 from the shared cast (tests/conftest.py)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfWriter

from madoguchi.catalog.registry import current_catalog

CLAIM = "child-allowance-claim"


@pytest.fixture
def files_dir(tmp_path, settings):
    settings.MADOGUCHI_FILES_DIR = tmp_path / "files"
    return settings.MADOGUCHI_FILES_DIR


@pytest.fixture
def claim_form():
    return current_catalog().procedures[CLAIM].form


def png_bytes(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def pdf_bytes(pages: int = 1) -> bytes:
    """A real PDF (an A4 blank page each), as a scanner or a phone would save it."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# A complete 児童手当 claim as the edit page posts it (ふりがな in カタカナ and 全角
# digits on purpose: they are tidied).
def claim_post(**extra) -> dict[str, str]:
    data = {
        "claimant_name__name": "高橋 太郎",
        "claimant_name__kana": "タカハシ タロウ",
        "claimant_birth_date_era": "昭和",
        "claimant_birth_date_year": "63",
        "claimant_birth_date_month": "6",
        "claimant_birth_date_day": "15",
        "claimant_address__postal": "100-0001",
        "claimant_address__address": "東京都千代田区千代田1-1",
        "phone": "０９０－１２３４－５６７８",
        "email": "takahashi@example.jp",
        "claimant_insurance": "kokuho",
        "spouse_name__name": "高橋 花子",
        "spouse_name__kana": "たかはし はなこ",
        "children-TOTAL_FORMS": "1",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "10",
        "children-0-child_name__name": "高橋 陽翔",
        "children-0-child_name__kana": "たかはし はると",
        "children-0-child_birth_date_era": "西暦",
        "children-0-child_birth_date_year": "2026",
        "children-0-child_birth_date_month": "11",
        "children-0-child_birth_date_day": "20",
        "children-0-lives_together": "yes",
        "children-0-child_relationship": "child",
        # 振込先: みずほ銀行 東京営業部 (codes present in the zengin data); the
        # holder typed in 全角カナ is kept in 半角カナ.
        "bank_account_bank": "0001",
        "bank_account_branch": "001",
        "bank_account_type": "ordinary",
        "bank_account_number": "1234567",
        "bank_account_holder": "タカハシ タロウ",
    }
    data.update(extra)
    return data
