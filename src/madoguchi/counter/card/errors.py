"""What can go wrong reading a My Number card, each with its exit code and its words.

The CLI (``./dev card read``), the local agent and the counter page all show
``message`` (worded in ``common/errors_ja.py``, the project's one error format) and
the CLI exits with ``exit_code``: 2 no reader or no card, 3 PIN not accepted, 4 PIN
blocked, 5 card removed or transmission failed, 6 any other status word.
"""

from __future__ import annotations

from madoguchi.common.errors_ja import error_message


class CardError(Exception):
    """A read that did not give the four facts. ``kind`` names the message."""

    exit_code = 1
    kind = "card_transmit"

    def __init__(self, kind: str | None = None, language: str = "ja", **context: object):
        self.kind = kind or self.kind
        self.context = context
        self.message = error_message({"type": self.kind, "ctx": context}, language)
        super().__init__(self.message)

    def in_language(self, language: str) -> str:
        return error_message({"type": self.kind, "ctx": self.context}, language)


class NoReader(CardError):
    """No PC/SC service, no reader, or the reader named is not connected."""

    exit_code = 2
    kind = "card_no_reader"


class NoCard(CardError):
    exit_code = 2
    kind = "card_no_card"


class PinFormat(CardError):
    """The PIN is not 4 digits: refused before the card is touched (no try spent)."""

    exit_code = 3
    kind = "card_pin_format"
    tries_left = None


class WrongPin(CardError):
    """The card said 63 Cx: x tries are left. Never retried by our code."""

    exit_code = 3
    kind = "card_wrong_pin"

    def __init__(self, tries_left: int, language: str = "ja"):
        self.tries_left = tries_left
        kind = "card_wrong_pin_last" if tries_left == 1 else "card_wrong_pin"
        super().__init__(kind, language, tries_left=tries_left)


class PinBlocked(CardError):
    """69 84, or 63 C0: no try left."""

    exit_code = 4
    kind = "card_blocked"


class CardRemoved(CardError):
    """The card left the reader, the link failed, or its answer could not be read."""

    exit_code = 5
    kind = "card_removed"


class UnexpectedStatus(CardError):
    """Any other status word: the message says which, and at which step."""

    exit_code = 6
    kind = "card_status"

    def __init__(self, kind: str | None = None, language: str = "ja", *, sw: int, step: str):
        self.sw = sw
        super().__init__(kind, language, sw=f"{sw >> 8:02X} {sw & 0xFF:02X}", step=step)
