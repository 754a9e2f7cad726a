from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.common.japanese import format_date, normalize, parse_date, wareki


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", date(2026, 11, 20)),
        ("2026/11/20", date(2026, 11, 20)),
        ("２０２６年１１月２０日", date(2026, 11, 20)),
        ("令和8年11月20日", date(2026, 11, 20)),
        ("令和８年１１月２０日", date(2026, 11, 20)),
        ("R8.11.20", date(2026, 11, 20)),
        ("r8/11/20", date(2026, 11, 20)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("S64.1.7", date(1989, 1, 7)),
        ("H1.1.8", date(1989, 1, 8)),
        ("昭和20年8月15日", date(1945, 8, 15)),
    ],
)
def test_dates_as_residents_write_them(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2026-02-30", "という日付はありません"),
        ("平成31年5月1日", "元号と年を確認"),  # 平成 ended on 4/30
        ("S64.1.8", "元号と年を確認"),  # 昭和 ended on 1/7
        ("きのう", "日付として読めません"),
    ],
)
def test_impossible_dates_are_explained(text, words):
    with pytest.raises(ValueError) as caught:
        parse_date(text)
    assert words in str(caught.value)


def test_wareki_and_display():
    assert wareki(date(2019, 5, 1)) == "令和元年5月1日"
    assert wareki(date(2026, 12, 3)) == "令和8年12月3日"
    assert wareki(date(1989, 1, 7)) == "昭和64年1月7日"
    assert format_date(date(2026, 12, 3)) == "2026年12月3日(木)"
    assert format_date(date(2026, 12, 3), "en") == "Thu 3 Dec 2026"


@given(st.dates(min_value=date(1912, 8, 1), max_value=date(2100, 12, 31)))
def test_wareki_round_trips(day):
    assert parse_date(wareki(day)) == day


def test_normalize_width():
    assert normalize(" ＡＢＣ１２３ ｶﾀｶﾅ ") == "ABC123 カタカナ"
