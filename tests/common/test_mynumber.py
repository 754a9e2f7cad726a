"""Recognising a 個人番号 to refuse it: its name, and its check digit (施行令 8条)."""

from __future__ import annotations

import pytest

from madoguchi.common.mynumber import check_digit, is_my_number, names_my_number


def test_the_check_digit_of_the_law_s_formula():
    assert check_digit("12345678901") == 8  # the usual sample, 123456789018
    assert check_digit("00000000000") == 0
    # Remainder 1 gives 0 too (not 10): ΣP×Q = 1 × Q(1) = 2 → r = 2 → 9;
    # 10000000000: P(11) = 1, Q(11) = 6 → r = 6 → 5.
    assert check_digit("00000000001") == 9 and check_digit("10000000000") == 5


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("123456789018", True),
        ("１２３４５６７８９０１８", True),
        ("1234-5678-9018", True),
        ("1234 5678 9018", True),
        ("123456789017", False),  # wrong check digit
        ("12345678901", False),
        ("1234567890180", False),  # 13 digits: a 法人番号's length
        ("2026-11-20", False),
        ("", False),
    ],
)
def test_is_my_number(value, expected):
    assert is_my_number(value) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("個人番号", True),
        ("マイナンバー", True),
        ("ﾏｲﾅﾝﾊﾞｰ", True),
        ("my_number", True),
        ("MyNumber", True),
        ("kojin_bango", True),
        ("マイナンバーカード有無", False),  # the card, not the number
        ("my_number_card", False),
        ("宛名番号", False),
    ],
)
def test_names_my_number(name, expected):
    assert names_my_number(name) is expected
