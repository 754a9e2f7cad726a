"""The 基本4情報 EF's bytes: parsed as the card stores them, refused when damaged."""

from __future__ import annotations

import datetime

import pytest

from madoguchi.counter.card import CardRemoved, read_card
from madoguchi.counter.card.kenhojo import (
    MalformedData,
    encode_basic_four,
    parse_basic_four,
    total_length,
)

GOOD = encode_basic_four("齊藤 花子", "大阪府大阪市北区中之島一丁目3番20号", "19871130", "2")


def test_round_trip():
    facts = parse_basic_four(GOOD)
    assert (facts.name, facts.birth_date, facts.sex) == (
        "齊藤 花子",
        datetime.date(1987, 11, 30),
        "female",
    )
    assert total_length(GOOD[:5]) == len(GOOD)


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda d: d[:-3], "途中で切れて"),
        (lambda d: b"\x30" + d[1:], "基本4情報の形"),
        (lambda d: d.replace("花子".encode(), b"\xff\xfe\xfd\xfc\xfb\xfa"), "文字を読み取れません"),
        (lambda d: d.replace(b"19871130", b"19871131"), "生年月日"),
        (lambda d: d.replace(b"\xdf\x25", b"\xdf\x26"), "足りない"),
    ],
)
def test_damaged_data_is_refused_in_plain_words(damage, words):
    with pytest.raises(MalformedData) as caught:
        parse_basic_four(damage(GOOD))
    assert words in str(caught.value)


def test_a_damaged_card_exits_5_through_the_reader(put_card):
    put_card(data=GOOD.replace("花子".encode(), b"\xff" * 6))
    with pytest.raises(CardRemoved) as caught:
        read_card("1234")
    assert caught.value.exit_code == 5 and "文字を読み取れません" in caught.value.message
