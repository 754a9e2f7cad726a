"""ふりがな、電話番号、郵便番号: what residents type, tidied and checked.

Each function returns the tidy form or raises ``ValueError`` with a Japanese
sentence a form can show as it is."""

from __future__ import annotations

import re

import jaconv

from madoguchi.common.japanese import normalize

# Hiragana, the long-vowel mark, the iteration marks and spaces between names.
_HIRAGANA = re.compile(r"^[\u3041-\u3096\u309d\u309e\u30fc ]+$")


def hiragana(text: str) -> str:
    """「ﾀｶﾊｼ」「タカハシ」「たかはし」 → 「たかはし」; kanji or latin letters are refused."""
    value = jaconv.h2z(text.strip(), kana=True, ascii=False, digit=False)
    value = jaconv.kata2hira(value).replace("\u3000", " ")
    value = re.sub(r" +", " ", value)
    if value and not _HIRAGANA.match(value):
        raise ValueError("ふりがなは、ひらがなかカタカナで入れてください")
    return value


_PHONE = re.compile(r"^0\d{9,10}$")


def phone_number(text: str) -> str:
    """「０９０－１２３４－５６７８」 → 「090-1234-5678」 as typed, tidied; 10 or 11
    digits starting with 0 (a Japanese number), hyphens and spaces optional."""
    value = normalize(text).replace("ー", "-").replace("−", "-").replace("‐", "-")
    digits = re.sub(r"[\s\-()]", "", value)
    if not _PHONE.match(digits):
        raise ValueError(
            "電話番号は0から始まる10けたか11けたの数字で入れてください(例: 090-1234-5678)"
        )
    parts = [p for p in re.split(r"[\s\-()]+", value) if p]
    return "-".join(parts) if len(parts) > 1 else digits


_POSTAL = re.compile(r"^(\d{3})-?(\d{4})$")


def postal_code(text: str) -> str:
    """「１２３ー４５６７」「1234567」 → 「123-4567」."""
    value = normalize(text).replace("ー", "-").replace("−", "-").replace("〒", "").strip()
    match = _POSTAL.match(value)
    if not match:
        raise ValueError("郵便番号は7けたの数字で入れてください(例: 100-0001)")
    return f"{match[1]}-{match[2]}"
