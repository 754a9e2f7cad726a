"""Read the four facts from a My Number card on a PC/SC reader (pyscard).

One call, one session: connect exclusively (no other program can slip a command
between our VERIFY and READ BINARY), SELECT the AP, SELECT the PIN EF, VERIFY
once, SELECT the 基本4情報 EF, READ BINARY, and disconnect powering the card
down, so that the card forgets the PIN was verified. A wrong PIN is reported with
the tries left and never sent again by this code: the card locks after 3.
Neither the PIN nor the facts are logged, cached or kept on the object.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from smartcard import scard

from madoguchi.counter.card import kenhojo
from madoguchi.counter.card.errors import (
    CardRemoved,
    NoCard,
    NoReader,
    PinBlocked,
    UnexpectedStatus,
    WrongPin,
)
from madoguchi.counter.card.kenhojo import CardFacts
from madoguchi.counter.card.pin import normalize_pin

OK = 0x9000
CHUNK = 0xFF  # bytes per READ BINARY (Le 00 means 256, which some readers refuse)

# What PC/SC says when the card went away, or the link to it failed.
_GONE = {scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_RESET_CARD}


def read_card(pin: str, *, reader: str | None = None) -> CardFacts:
    """The four facts of the card on ``reader`` (default: the first reader that
    holds a card). Raises a ``CardError`` subclass with ``exit_code`` and a
    Japanese ``message``; a malformed PIN is refused before the card is touched."""
    pin = normalize_pin(pin)
    with _card(reader) as card:
        card.command(kenhojo.select_ap(), "アプリケーションの選択", not_found="card_not_mynumber")
        card.command(kenhojo.select_ef(kenhojo.PIN_EF), "暗証番号の選択")
        _verify(card, pin)
        card.command(kenhojo.select_ef(kenhojo.BASIC_FOUR_EF), "4情報の選択")
        data = _read_ef(card)
    try:
        return kenhojo.parse_basic_four(data)
    except kenhojo.MalformedData as error:
        raise CardRemoved("card_data", detail=str(error)) from None


def _verify(card: _Session, pin: str) -> None:
    sw = card.transmit(kenhojo.verify(pin))[1]
    if sw == OK:
        return
    if sw == 0x6984 or sw == 0x63C0:
        raise PinBlocked()
    if sw & 0xFFF0 == 0x63C0:
        raise WrongPin(tries_left=sw & 0x0F)
    raise UnexpectedStatus(sw=sw, step="暗証番号の照合")


def _read_ef(card: _Session) -> bytes:
    head = card.command(kenhojo.read_binary(0, 5), "4情報の読み取り")
    try:
        total = kenhojo.total_length(head)
    except kenhojo.MalformedData as error:
        raise CardRemoved("card_data", detail=str(error)) from None
    data = bytearray(head[:total])
    while len(data) < total:
        size = min(CHUNK, total - len(data))
        chunk = card.command(kenhojo.read_binary(len(data), size), "4情報の読み取り")
        if not chunk:
            raise CardRemoved("card_data", detail="データが途中で切れています")
        data += chunk
    return bytes(data[:total])


class _Session:
    def __init__(self, context: int, reader: str, hcard: int, protocol: int):
        self.context = context
        self.reader = reader
        self.hcard = hcard
        self.protocol = protocol

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        """(data, SW); a lost card or link raises CardRemoved. ``61 xx`` (more data
        waiting, T=0 readers) is fetched with GET RESPONSE, which repeats nothing."""
        hresult, response = scard.SCardTransmit(self.hcard, self.protocol, list(apdu))
        if hresult != scard.SCARD_S_SUCCESS or len(response) < 2:  # vpcd: no answer, no error
            raise CardRemoved("card_removed" if self._gone(hresult) else "card_transmit")
        data, sw = bytes(response[:-2]), response[-2] << 8 | response[-1]
        if sw >> 8 == 0x61:
            more, sw = self.transmit(bytes([0x00, 0xC0, 0x00, 0x00, sw & 0xFF]))
            data += more
        return data, sw

    def _gone(self, hresult: int) -> bool:
        """Whether the card left (rather than the link failing). A reader may report
        a card pulled mid-command as a failed or empty answer and notice the empty
        slot a moment later, so pcscd is asked to wait up to a second for that."""
        if hresult in _GONE:
            return True
        hresult, states = scard.SCardGetStatusChange(
            self.context, 1000, [(self.reader, scard.SCARD_STATE_PRESENT)]
        )
        return hresult == scard.SCARD_S_SUCCESS and bool(states[0][1] & scard.SCARD_STATE_EMPTY)

    def command(self, apdu: bytes, step: str, not_found: str | None = None) -> bytes:
        data, sw = self.transmit(apdu)
        if sw != OK:
            kind = not_found if not_found and sw in (0x6A82, 0x6A86) else None
            raise UnexpectedStatus(kind, sw=sw, step=step)
        return data


@contextmanager
def _card(reader: str | None) -> Iterator[_Session]:
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        raise NoReader("card_no_service")
    hcard = None
    try:
        name, hcard, protocol = _connect(context, reader)
        yield _Session(context, name, hcard, protocol)
    finally:
        if hcard is not None:
            scard.SCardDisconnect(hcard, scard.SCARD_UNPOWER_CARD)
        scard.SCardReleaseContext(context)


def _connect(context: int, wanted: str | None) -> tuple[str, int, int]:
    hresult, readers = scard.SCardListReaders(context, [])
    if hresult == scard.SCARD_E_NO_READERS_AVAILABLE or (
        hresult == scard.SCARD_S_SUCCESS and not readers
    ):
        raise NoReader()
    if hresult != scard.SCARD_S_SUCCESS:
        raise NoReader("card_no_service")
    if wanted is not None:
        if wanted not in readers:
            raise NoReader("card_reader_unknown", reader=wanted, readers="、".join(readers))
        readers = [wanted]
    for name in readers:
        hresult, hcard, protocol = scard.SCardConnect(
            context,
            name,
            scard.SCARD_SHARE_EXCLUSIVE,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
        )
        if hresult == scard.SCARD_S_SUCCESS:
            return name, hcard, protocol
        if hresult in (scard.SCARD_E_SHARING_VIOLATION,):
            raise CardRemoved("card_in_use")
        if hresult not in _GONE and hresult not in (
            scard.SCARD_W_UNPOWERED_CARD,
            scard.SCARD_W_UNRESPONSIVE_CARD,
        ):
            raise CardRemoved("card_transmit")
    raise NoCard()
