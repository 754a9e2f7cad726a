"""Reading the four facts (基本4情報) from a My Number card over PC/SC.

``read_card(pin, reader=None) -> CardFacts`` is what the rest of madoguchi calls;
it raises ``CardError`` subclasses with ``exit_code`` and a Japanese ``message``.
The 12-digit 個人番号 is never selected, read or stored.
"""

from madoguchi.counter.card.errors import (
    CardError,
    CardRemoved,
    NoCard,
    NoReader,
    PinBlocked,
    PinFormat,
    UnexpectedStatus,
    WrongPin,
)
from madoguchi.counter.card.kenhojo import CardFacts
from madoguchi.counter.card.reader import read_card

__all__ = [
    "CardError",
    "CardFacts",
    "CardRemoved",
    "NoCard",
    "NoReader",
    "PinBlocked",
    "PinFormat",
    "UnexpectedStatus",
    "WrongPin",
    "read_card",
]
