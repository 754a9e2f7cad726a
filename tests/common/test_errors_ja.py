"""Errors worded for people (``common.errors_ja``), in Japanese and English."""

import logging

import pytest
from pydantic import ValidationError

from madoguchi.catalog.situation import MAX_MEMBERS, Situation
from madoguchi.common.errors_en import MESSAGES_EN
from madoguchi.common.errors_ja import _MESSAGES, describe, error_message, one_line

# Every type of error a situation (or the JSON it is read from) can produce.
SITUATION_ERRORS = {
    "missing", "extra_forbidden", "literal_error", "bool_type", "int_type", "list_type",
    "model_type", "date_format", "date_impossible", "greater_than_equal", "less_than_equal",
    "too_long", "birth_after_event", "birth_too_old", "self_twice", "deceased_without_death",
    "json_invalid", "json_constant", "json_too_deep", "duplicate_key", "not_utf8",
    "body_missing", "too_large", "bad_request",
}  # fmt: skip


@pytest.mark.parametrize("table", [_MESSAGES, MESSAGES_EN], ids=["ja", "en"])
def test_every_situation_error_has_words_in_both_languages(table):
    assert SITUATION_ERRORS - set(table) == set()


def test_english_says_the_same_things_as_japanese():
    def placeholders(text):
        return {p.split("}")[0] for p in text.split("{")[1:] if not p.startswith("{")}

    for key, en in MESSAGES_EN.items():
        assert key in _MESSAGES, key
        assert placeholders(en) == placeholders(_MESSAGES[key]), key


def errors_for(data):
    with pytest.raises(ValidationError) as caught:
        Situation.model_validate(data)
    return caught.value.errors()


def test_members_are_counted_as_the_page_counts_them():
    data = {
        "event": "birth",
        "event_date": "2026-11-20",
        "members": [{"role": "self"}, {"role": "spouse", "birth_date": "2026-12-01"}],
    }
    (ja,) = describe(errors_for(data))
    assert ja == {
        "field": "members.1.birth_date",
        "label": "2人目の生年月日",
        "message": "生まれた日より後の日付になっています",
    }
    assert one_line(errors_for(data)) == "2人目の生年月日: " + ja["message"]
    assert one_line(errors_for(data), "en") == (
        "Person 2's date of birth: This date is later than the date the child was born."
    )


def test_the_event_date_is_called_as_the_events_page_calls_it():
    data = {
        "event": "move_in",
        "event_date": "2026-11-20",
        "members": [{"role": "self", "birth_date": "2027-01-01"}],
    }
    (error,) = describe(errors_for(data))
    assert error["message"] == "住み始めた日(引っ越した日)より後の日付になっています"


@pytest.mark.parametrize("language", ["ja", "en"])
def test_one_line_shows_no_code_names(language):
    data = {
        "event": "wedding",
        "event_date": 20261120,
        "has_dog": "yes",
        "members": [{"role": "self", "birth_weight_g": "2400", "sex": "x"}] * 2
        + [{"role": "self"}] * (MAX_MEMBERS - 1),
    }
    line = one_line(errors_for(data), language)
    for code in ("members.", "event_date", "has_dog", "birth_weight_g", "Input should"):
        assert code not in line
    assert ("21人目" not in line) and (
        "20人までにしてください" in line if language == "ja" else "No more than 20 people" in line
    )


def test_dates_and_numbers_have_their_own_limits():
    (late,) = errors_for({"event": "birth", "event_date": "2300-01-01"})
    assert error_message(late) == "2199-12-31 以前の日付にしてください"
    assert error_message(late, "en") == "Use a date on or before 2199-12-31."
    (heavy,) = errors_for({"event": "birth", "members": [{"birth_weight_g": 9000}]})
    assert error_message(heavy) == "8000 以下にしてください"


def test_an_unknown_error_type_is_said_plainly_and_logged(caplog):
    with caplog.at_level(logging.WARNING):
        message = error_message({"type": "uuid_parsing", "loc": ("x",), "msg": "Input should"})
    assert message == "この値は使えません"
    assert "uuid_parsing" in caplog.text
