"""``read_card`` through the real path: pyscard → pcscd → vpcd → our simulated card.

The resident 髙﨑 𠮷乃 puts her card on the reader; the clerk reads the four facts.
"""

from __future__ import annotations

import datetime
import unicodedata

import pytest

from madoguchi.counter.card import (
    CardRemoved,
    NoCard,
    NoReader,
    PinBlocked,
    PinFormat,
    UnexpectedStatus,
    WrongPin,
    read_card,
)
from madoguchi.counter.card.simulator import MY_NUMBER_EF, reader_lock

# 𠮷 is outside the BMP (4 bytes in UTF-8, a surrogate pair in UTF-16); 髙 and 﨑
# are outside JIS X 0208; 塚 (U+FA10) is a compatibility ideograph that NFC would
# turn into 塚 (U+585A): all must come out as the card stores them.
NAME = "\u9ad9\ufa11 \U00020bb7乃"  # 髙﨑 𠮷乃
ADDRESS = "神奈川県横浜市港北区大倉山一丁目2番3号 \ufa10ハイツ101"


def test_the_four_facts_come_out_exactly_as_stored(put_card):
    put_card(name=NAME, address=ADDRESS, birth="19850304", sex="2", pin="4321")
    facts = read_card("4321")
    assert facts.name == NAME and facts.address == ADDRESS
    assert "\U00020bb7" in facts.name and "\u9ad9" in facts.name and "\ufa11" in facts.name
    assert unicodedata.normalize("NFC", facts.address) != facts.address  # not normalised
    assert facts.birth_date == datetime.date(1985, 3, 4)
    assert facts.sex == "female"
    assert facts.as_json() == {
        "name": NAME,
        "address": ADDRESS,
        "birth_date": "1985-03-04",
        "sex": "female",
    }


def test_the_sequence_is_select_ap_pin_verify_once_then_the_four_facts(put_card):
    card = put_card()
    read_card("1234")
    assert [a[:2].hex() for a in card.apdus[:4]] == ["00a4", "00a4", "0020", "00a4"]
    assert card.selected_files() == [
        bytes.fromhex("D3921000310001010408"),
        bytes.fromhex("0011"),
        bytes.fromhex("0002"),
    ]
    assert len(card.received("verify")) == 1
    assert MY_NUMBER_EF not in card.selected_files()


@pytest.mark.parametrize(
    ("code", "sex"), [("1", "male"), ("2", "female"), ("9", None), ("0", None)]
)
def test_sex_is_male_female_or_null(put_card, code, sex):
    put_card(sex=code)
    assert read_card("1234").sex == sex


def test_a_long_address_is_read_in_several_pieces(put_card):
    # More than 255 bytes: a 2-byte length on the card, and three READ BINARY.
    address = "北海道" + "長い地名" * 25 + "1番地"
    card = put_card(address=address)
    assert read_card("1234").address == address
    assert len(card.received("read_binary")) >= 3


def test_full_width_pin_digits_are_accepted(put_card):
    put_card(pin="0812")
    assert read_card("０８１２").name == "高橋 𠮷太郎"


def test_a_wrong_pin_says_the_tries_left_and_is_sent_once(put_card):
    card = put_card(pin="1234")
    with pytest.raises(WrongPin) as caught:
        read_card("9999")
    assert caught.value.tries_left == 2 and caught.value.exit_code == 3
    assert "あと2回" in caught.value.message
    assert len(card.received("verify")) == 1  # never retried
    assert card.tries_left == 2
    assert card.received("read_binary") == []


def test_the_last_try_is_said_plainly(put_card):
    card = put_card(pin="1234", tries_left=2)
    with pytest.raises(WrongPin) as caught:
        read_card("0000")
    assert caught.value.tries_left == 1
    assert "あと1回" in caught.value.message and "ロック" in caught.value.message
    assert len(card.received("verify")) == 1


def test_the_third_wrong_pin_blocks_the_card(put_card):
    card = put_card(pin="1234", tries_left=1)
    with pytest.raises(PinBlocked) as caught:
        read_card("0000")  # the card answers 63 C0
    assert caught.value.exit_code == 4 and "ロック" in caught.value.message
    with pytest.raises(PinBlocked):
        read_card("1234")  # now 69 84, even with the right PIN
    assert card.tries_left == 0
    assert len(card.received("verify")) == 2


def test_a_right_pin_after_a_wrong_one_reads_and_restores_the_tries(put_card):
    card = put_card(pin="1234")
    with pytest.raises(WrongPin):
        read_card("1235")
    assert read_card("1234").name == "高橋 𠮷太郎"
    assert card.tries_left == 3


@pytest.mark.parametrize("pin", ["123", "12345", "12a4", "", "1 34", "١٢٣٤", "12³4", None])
def test_a_malformed_pin_never_reaches_the_card(put_card, pin):
    card = put_card()
    with pytest.raises(PinFormat) as caught:
        read_card(pin)
    assert caught.value.exit_code == 3 and "4桁" in caught.value.message
    assert "減っていません" in caught.value.message
    assert card.apdus == [] and card.tries_left == 3


def test_no_card_on_the_reader(virtual_reader):
    with reader_lock():  # the reader is ours, and empty
        with pytest.raises(NoCard) as caught:
            read_card("1234")
    assert caught.value.exit_code == 2 and "カードが置かれていません" in caught.value.message


def test_a_reader_that_is_not_connected(put_card):
    card = put_card()
    with pytest.raises(NoReader) as caught:
        read_card("1234", reader="SONY RC-S380")
    assert caught.value.exit_code == 2
    assert "SONY RC-S380" in caught.value.message and "Virtual PCD 00 00" in caught.value.message
    assert card.apdus == []


@pytest.mark.parametrize("when", ["select", "verify", "read_binary"])
def test_a_card_removed_mid_read(put_card, when):
    card = put_card(remove_on=when)
    with pytest.raises(CardRemoved) as caught:
        read_card("1234")
    assert caught.value.exit_code == 5
    assert "離れました" in caught.value.message
    assert len(card.received("verify")) <= 1


def test_an_odd_status_word_is_named(put_card):
    put_card(odd_status={"read_binary": b"\x6f\x00"})
    with pytest.raises(UnexpectedStatus) as caught:
        read_card("1234")
    assert caught.value.exit_code == 6
    assert "6F 00" in caught.value.message and "4情報の読み取り" in caught.value.message


def test_a_card_without_the_application_is_not_a_my_number_card(put_card):
    put_card(odd_status={"select": b"\x6a\x82"})
    with pytest.raises(UnexpectedStatus) as caught:
        read_card("1234")
    assert caught.value.exit_code == 6
    assert "マイナンバーカードではない" in caught.value.message and "6A 82" in caught.value.message


def test_the_facts_stay_out_of_reprs(put_card):
    put_card(name=NAME)
    facts = read_card("1234")
    assert NAME not in repr(facts) and "1992" not in repr(facts)
