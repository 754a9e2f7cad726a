"""The 券面事項入力補助用暗証番号 as typed: checked before the card sees it.

A malformed PIN must not spend one of the card's 3 tries, so it is refused here.
全角 digits (a Japanese IME left on) are accepted and converted; nothing else is
guessed (no trimming inside, no letters).
"""

from __future__ import annotations

from madoguchi.counter.card.errors import PinFormat

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalize_pin(pin: str) -> str:
    """``"１２３４"`` → ``"1234"``; anything but exactly 4 digits raises PinFormat."""
    if not isinstance(pin, str):
        raise PinFormat()
    # Only 全角 digits are converted (NFKC would also turn ² or ④ into a digit),
    # and only ASCII digits pass (str.isdigit lets Arabic-Indic digits through).
    ascii_pin = pin.strip().translate(_FULL_WIDTH_DIGITS)
    if len(ascii_pin) != 4 or not all("0" <= c <= "9" for c in ascii_pin):
        raise PinFormat()
    return ascii_pin
