"""The words ``catalog check`` uses for characters, IDs and misspelt keys."""

import re

from hypothesis import given
from hypothesis import strategies as st

from madoguchi.catalog.check_messages import (
    closest,
    describe_char,
    id_message,
    keys_of,
    model_at,
    show,
    suggest_id,
)
from madoguchi.catalog.schema import SLUG, Condition, Deadline, Procedure, Text


def test_invisible_characters_are_named():
    assert show("birth\u3000registration") == "birth(全角スペース)registration"
    assert show("a\tb") == "a(タブ)b"


def test_look_alike_characters_are_named_with_what_to_write():
    assert describe_char("－") == ("全角のハイフン", "-")
    assert describe_char("‐") == ("ハイフンに似た記号", "-")
    assert describe_char("ー") == ("長音記号", "-")
    assert describe_char("ｂ") == ("全角の英字", "b")
    assert describe_char("＞") == ("全角の記号", ">")
    assert describe_char("’") == ("全角の引用符", "'")
    assert describe_char("B") == ("大文字", "b")
    assert describe_char("届") == ("日本語の文字", None)


def test_the_id_meant():
    assert suggest_id("birth－registration") == "birth-registration"
    assert suggest_id("Birth Registration") == "birth-registration"
    assert suggest_id("出生届") is None


@given(st.text(max_size=20).filter(lambda v: not re.match(SLUG, v)))
def test_an_id_message_never_shows_a_pattern(value):
    message = id_message(value)
    assert SLUG not in message and "[a-z0-9]" not in message
    assert "使えない文字" in message or "ハイフン(-)" in message or "空です" in message
    assert "\u3000" not in message  # shown as (全角スペース)


def test_closest_key():
    assert closest("onlin", ["online", "online_note"]) == "online"
    assert closest("Online", ["online"]) == "online"
    assert closest("\u3000online", ["online"]) == "online"
    assert closest("備考", ["online"]) is None


def test_the_model_at_a_location():
    assert model_at(Procedure, ("applies_when", "all", 0)) is Condition
    assert model_at(Procedure, ("events", "birth")) is Condition
    assert model_at(Procedure, ("deadline",)) is Deadline
    assert model_at(Procedure, ("bring", 0)) is Text
    assert model_at(Procedure, ("online",)) is None
    assert "all" in keys_of(Condition) and "all_" not in keys_of(Condition)
