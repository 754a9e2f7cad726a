"""What residents type is tidied the way a city office expects, or refused with a
reason (common/text_input.py through the form's fields)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from madoguchi.applications.entry_form import make_fields
from madoguchi.applications.kinds import of
from madoguchi.catalog.form_schema import FormField
from madoguchi.common.text_input import (
    address_for_postal_code,
    tidy_kana,
    tidy_name,
    tidy_phone,
    tidy_postal_code,
)


@pytest.mark.parametrize(
    "typed, tidy",
    [
        ("たかはし たろう", "たかはし\u3000たろう"),
        ("タカハシ　タロウ", "たかはし\u3000たろう"),
        ("ﾀｶﾊｼ ﾀﾛｳ", "たかはし\u3000たろう"),
        ("さいとう  ゆうこ", "さいとう\u3000ゆうこ"),
        ("ヴァイオレット", "ゔぁいおれっと"),
    ],
)
def test_furigana_in_any_kana_becomes_hiragana(typed, tidy):
    assert tidy_kana(typed) == tidy


@pytest.mark.parametrize("typed", ["高橋", "takahashi", "たかはし1", "たか・はし"])
def test_furigana_that_is_not_kana_is_refused_in_japanese(typed):
    with pytest.raises(ValueError, match="ひらがなかカタカナ"):
        tidy_kana(typed)


def test_a_name_keeps_its_rare_kanji_and_gets_one_full_width_space():
    assert tidy_name(" 髙橋   太郎 ") == "髙橋\u3000太郎"
    assert tidy_name("齊藤　𠮷子") == "齊藤\u3000𠮷子"


@pytest.mark.parametrize(
    "typed", ["090-1234-5678", "０９０－１２３４－５６７８", "(090) 1234 5678", "09012345678"]
)
def test_phone_numbers_are_kept_as_digits(typed):
    assert tidy_phone(typed) == "09012345678"


@pytest.mark.parametrize("typed", ["1234", "90-1234-5678", "090-1234-56789", "でんわ"])
def test_impossible_phone_numbers_are_refused(typed):
    with pytest.raises(ValueError, match="電話番号"):
        tidy_phone(typed)


def test_postal_codes_are_checked_against_japan_posts_data():
    assert tidy_postal_code("〒１００－０００１") == "1000001"
    assert address_for_postal_code("1000001") == "東京都千代田区千代田"
    with pytest.raises(ValueError, match="見つかりません"):
        tidy_postal_code("0000000")
    with pytest.raises(ValueError, match="7けた"):
        tidy_postal_code("100-01")


def test_a_name_field_is_two_inputs_and_stores_name_and_kana():
    field = FormField.model_validate({"id": "who", "kind": "name", "label": "氏名"})
    made = make_fields(field, True)
    assert list(made) == ["who__name", "who__kana"]
    clean = {
        k: f.clean(v)
        for (k, f), v in zip(made.items(), ["高橋 太郎", "タカハシ タロウ"], strict=True)
    }
    assert of(field).to_value(field, clean, field.id) == {
        "name": "高橋\u3000太郎",
        "kana": "たかはし\u3000たろう",
    }
    with pytest.raises(ValidationError):
        made["who__kana"].clean("高橋")


def test_yes_no_and_dates_round_trip_through_the_stored_value():
    yes_no = FormField.model_validate({"id": "x", "kind": "yes_no", "label": "x"})
    assert of(yes_no).to_value(yes_no, {"x": "no"}, yes_no.id) is False
    assert of(yes_no).to_initial(yes_no, False, yes_no.id) == {"x": "no"}
    day = FormField.model_validate({"id": "d", "kind": "date", "label": "d"})
    made = make_fields(day, True)["d"]
    value = of(day).to_value(day, {"d": made.clean(["令和", "8", "11", "20"])}, day.id)
    assert value == "2026-11-20"
    assert str(of(day).to_initial(day, value, day.id)["d"]) == "2026-11-20"


def test_a_number_that_cannot_exist_is_refused_and_numbers_are_shown_by_area_code():
    from madoguchi.common.text_input import format_phone

    with pytest.raises(ValueError, match="使われていない"):
        tidy_phone("011-123-4567")  # 011-1xx is not given out in Sapporo
    assert format_phone(tidy_phone("0277761234")) == "0277-76-1234"
    assert format_phone(tidy_phone("０９０１２３４５６７８")) == "090-1234-5678"
    assert format_phone(tidy_phone("03(1234)5678")) == "03-1234-5678"


def test_a_number_beginning_010_is_refused_with_a_reason_not_an_error():
    # 010 is the international prefix: libphonenumber raises on it rather than answer.
    with pytest.raises(ValueError, match="使われていない"):
        tidy_phone("0101234567")
