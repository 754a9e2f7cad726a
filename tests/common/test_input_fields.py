"""The common input fields and tidiers refuse what cannot be a date or a name with a
sentence, never an exception: a 20-digit year, a child born in 2999, a name with a
control character or an emoji."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django import forms
from django.utils import timezone

from madoguchi.common.forms import EARLIEST_BIRTH, BirthDateField, EraDateField, FilterDateField
from madoguchi.common.japanese import NoSuchDate, era_date
from madoguchi.common.text_input import tidy_free_text, tidy_name

HUGE = "9" * 20


def error_of(field: forms.Field, value) -> str:
    with pytest.raises(forms.ValidationError) as caught:
        field.clean(value)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize("era", ["西暦", "昭和", "令和"])
@pytest.mark.parametrize("year", [HUGE, "10000", "١٠٠٠٠٠٠٠٠٠٠٠٠٠٠٠٠٠٠٠٠"])
def test_a_year_of_many_digits_is_said_to_be_wrong(era, year):
    message = error_of(EraDateField(), [era, year, "1", "1"])
    assert "年が正しくありません" in message


def test_era_date_says_no_such_date_for_a_year_beyond_the_calendar():
    for era in ("西暦", "平成"):
        with pytest.raises(NoSuchDate):
            era_date(era, 10**20, 1, 1)


def test_a_birth_date_after_today_is_refused():
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert "今日より後" in error_of(BirthDateField(), ["西暦", "2999", "1", "1"])
    assert "今日より後" in error_of(
        BirthDateField(), ["西暦", str(tomorrow.year), str(tomorrow.month), str(tomorrow.day)]
    )
    today = timezone.localdate()
    assert BirthDateField().clean(["西暦", str(today.year), str(today.month), str(today.day)])


def test_a_birth_date_before_1900_is_refused():
    assert "1900年" in error_of(BirthDateField(), ["西暦", "1000", "1", "1"])
    assert "1900年" in error_of(BirthDateField(), ["明治", "32", "12", "31"])
    assert BirthDateField().clean(["明治", "33", "1", "1"]) == EARLIEST_BIRTH


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
def test_a_filter_date_at_the_edge_of_the_calendar_is_refused(day):
    assert "から" in error_of(FilterDateField(required=False), day)


def test_a_filter_date_in_range_is_a_date():
    assert FilterDateField(required=False).clean("2026-11-20") == date(2026, 11, 20)


@pytest.mark.parametrize(
    "name",
    [
        "高橋\x00太郎",
        "高橋\x1b[31m太郎",
        "高橋\x7f",
        "高橋\u202e太郎",
        "高橋\u2066太郎",
        "高橋😀",
        "高橋\u200b太郎",
        "高橋\x85",
    ],
)
def test_a_name_with_control_characters_bidi_or_emoji_is_refused(name):
    with pytest.raises(ValueError, match="氏名"):
        tidy_name(name)


@pytest.mark.parametrize(
    ("name", "tidy"),
    [
        ("高橋　健太", "高橋\u3000健太"),
        ("  髙橋  健太 ", "髙橋\u3000健太"),
        ("齋藤 美咲", "齋藤\u3000美咲"),
        ("ジョン・スミス", "ジョン・スミス"),
        ("O'Brien Mary-Ann", "O'Brien\u3000Mary-Ann"),
        ("𠮷田 花子", "𠮷田\u3000花子"),  # a kanji outside the BMP is a name, not an emoji
        ("葛\U000e0100城", "葛\U000e0100城"),  # an ideographic variation selector is kept
    ],
)
def test_real_names_are_kept(name, tidy):
    assert tidy_name(name) == tidy


@pytest.mark.parametrize("text", ["a\x00b", "\x1b]0;x\x07", "abc\u202edef", "x\u2068y"])
def test_free_text_with_control_characters_or_bidi_is_refused(text):
    with pytest.raises(ValueError, match="使えない文字"):
        tidy_free_text(text)


def test_free_text_keeps_line_breaks_tabs_and_emoji():
    assert tidy_free_text("一行目\r\n二行目\tです 😀") == "一行目\r\n二行目\tです 😀"
