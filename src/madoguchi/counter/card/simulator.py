"""A simulated My Number card that plugs into a virtual PC/SC reader (vpcd).

Debian's ``vsmartcard-vpcd`` is a pcscd driver whose reader "holds a card"
while a program is connected to it on localhost:35963 (the second slot: 35964).
This module is that program, written for madoguchi: it answers the APDUs of the
券面事項入力補助AP like the card does (a PIN with 3 tries then blocked, the
基本4情報 EF behind the PIN), so the tests, the demo and the browser tests drive
the real pyscard → pcscd → driver path instead of a mock of our own code.

The vpcd protocol (vsmartcard's docs "Creating a virtual smart card" and
virtualsmartcard/src/vpcd/vpcd.c): every message is a 2-byte big-endian length
and its bytes. A 1-byte message from vpcd is a control: 0 power off, 1 power on,
2 reset (none of them answered), 4 "send your ATR" (answered with the ATR). Any
longer message is a command APDU, answered with the response APDU. Closing the
connection takes the card out of the reader.

Switches for the tests: ``remove_on`` ("verify", "read_binary"…: the card leaves
the reader when that command arrives), ``odd_status`` (answer a command with a
given status word), and ``apdus``, the record of every command received.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from madoguchi.counter.card import kenhojo

VPCD_PORT = int(os.environ.get("MADOGUCHI_VPCD_PORT", "35963"))
VPCD_READER = "Virtual PCD 00 00"  # the slot of port 35963 as pcscd names it
# A contact My Number card's ATR: T=1 only (TD1 81, TD2 31), IFSC 254, no
# historical bytes; its last byte is the XOR check of the others.
ATR = bytes.fromhex("3BE000FF8131FE4514")

COMMANDS = {"select": 0xA4, "verify": 0x20, "read_binary": 0xB0}
MY_NUMBER_EF = bytes.fromhex("0001")  # exists on the card; holds nothing here

_OK = b"\x90\x00"


@dataclass
class SimulatedCard:
    """The card's behaviour, without any transport: ``answer(apdu)``."""

    name: str = "高橋 𠮷太郎"
    address: str = "東京都千代田区霞が関二丁目1番2号"
    birth: str = "19920615"  # YYYYMMDD, as the card stores it
    sex: str = "1"  # ISO 5218
    pin: str = "1234"
    tries_left: int = 3
    remove_on: str | None = None
    odd_status: dict[str, bytes] = field(default_factory=dict)
    data: bytes | None = None  # the 基本4情報 EF's bytes as given (a damaged card)
    apdus: list[bytes] = field(default_factory=list)

    def __post_init__(self):
        self.power_off()

    # --- what the tests look at ---
    def received(self, command: str) -> list[bytes]:
        return [a for a in self.apdus if len(a) > 1 and a[1] == COMMANDS[command]]

    def selected_files(self) -> list[bytes]:
        """The file ids (or AIDs) of every SELECT received."""
        return [a[5 : 5 + a[4]] for a in self.received("select") if len(a) > 5]

    # --- the card ---
    def power_off(self) -> None:
        self.ap_selected = False
        self.current_ef: bytes | None = None
        self.verified = False

    def answer(self, apdu: bytes) -> bytes | None:
        """The response APDU, or None: the card has just left the reader."""
        self.apdus.append(bytes(apdu))
        if len(apdu) < 4:
            return b"\x67\x00"
        name = next((n for n, ins in COMMANDS.items() if ins == apdu[1]), None)
        if name is not None and name == self.remove_on:
            return None
        if name in self.odd_status:
            return self.odd_status[name]
        if apdu[0] != 0x00:
            return b"\x6e\x00"
        handler = {0xA4: self._select, 0x20: self._verify, 0xB0: self._read_binary}.get(apdu[1])
        return handler(apdu) if handler else b"\x6d\x00"

    def _body(self, apdu: bytes) -> bytes | None:
        if len(apdu) < 5 or len(apdu) < 5 + apdu[4]:
            return None
        return apdu[5 : 5 + apdu[4]]

    def _select(self, apdu: bytes) -> bytes:
        body = self._body(apdu)
        if body is None:
            return b"\x67\x00"
        if apdu[2] == 0x04:  # by AID
            self.power_off()  # a new application forgets the PIN's verification
            if body != kenhojo.KENHOJO_AID:
                return b"\x6a\x82"
            self.ap_selected = True
            return _OK
        if apdu[2] == 0x02 and self.ap_selected:
            if body in (kenhojo.PIN_EF, kenhojo.BASIC_FOUR_EF, MY_NUMBER_EF):
                self.current_ef = body
                return _OK
        return b"\x6a\x82"

    def _verify(self, apdu: bytes) -> bytes:
        if self.current_ef != kenhojo.PIN_EF or apdu[3] != 0x80:
            return b"\x69\x86"
        if self.tries_left == 0:
            return b"\x69\x84"
        body = self._body(apdu) if len(apdu) > 4 else b""
        if not body:  # no PIN: just asks for the tries left
            return bytes([0x63, 0xC0 | self.tries_left])
        if body == self.pin.encode("ascii"):
            self.tries_left = 3
            self.verified = True
            return _OK
        self.tries_left -= 1
        self.verified = False
        return bytes([0x63, 0xC0 | self.tries_left])

    def _read_binary(self, apdu: bytes) -> bytes:
        if self.current_ef == MY_NUMBER_EF:
            return b"\x69\x82"  # never holds one; and never asked, as the tests prove
        if self.current_ef != kenhojo.BASIC_FOUR_EF:
            return b"\x69\x86"
        if not self.verified:
            return b"\x69\x82"
        data = self.data or kenhojo.encode_basic_four(self.name, self.address, self.birth, self.sex)
        offset = apdu[2] << 8 | apdu[3]
        wanted = (apdu[4] or 256) if len(apdu) > 4 else 256
        if offset >= len(data):
            return b"\x6b\x00"
        part = data[offset : offset + wanted]
        return part + (_OK if len(part) == wanted else b"\x62\x82")


@contextlib.contextmanager
def reader_lock(port: int = VPCD_PORT) -> Iterator[None]:
    """The one virtual reader, for one holder at a time (xdist workers, other
    test runs on the machine): a file lock, released when the holder exits."""
    path = os.path.join(tempfile.gettempdir(), f"madoguchi-virtual-reader-{port}.lock")
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class VirtualCard:
    """``card`` put on the virtual reader: ``with VirtualCard(card): …`` takes the
    reader (``reader_lock``), inserts the card (waiting until pcscd sees it), and
    at the end takes it out and frees the reader. Within, ``remove()`` and
    ``insert()`` take it out and put it back."""

    def __init__(self, card: SimulatedCard | None = None, *, port: int = VPCD_PORT):
        self.card = card or SimulatedCard()
        self.port = port
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._count: int | None = None  # pcscd's event count while inserted
        self._lock = contextlib.ExitStack()

    def __enter__(self) -> SimulatedCard:
        self._lock.enter_context(reader_lock(self.port))
        try:
            self.insert()
        except BaseException:
            self._lock.close()
            raise
        return self.card

    def __exit__(self, *exc) -> None:
        try:
            self.remove()
        finally:
            self._lock.close()

    def insert(self) -> None:
        try:
            self._sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        except OSError as error:
            raise RuntimeError(
                f"仮想カードリーダー(vpcd, 127.0.0.1:{self.port})に接続できません。"
                "pcscd と vsmartcard-vpcd が動いているか確かめてください(./dev setup の後、"
                "./dev test が pcscd を起動します) / cannot reach vpcd: is pcscd running "
                "with vsmartcard-vpcd installed?"
            ) from error
        self._sock.settimeout(None)
        self._thread = threading.Thread(target=self._serve, args=(self._sock,), daemon=True)
        self._thread.start()
        try:
            self._count = wait_for_reader(present=True)
        except BaseException:
            self.remove()
            raise

    def remove(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
            self._sock.close()
            self._sock = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._count is not None:
            wait_for_reader(present=False, since=self._count)
            self._count = None

    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                size = _receive(sock, 2)
                if size is None:
                    return
                message = _receive(sock, int.from_bytes(size, "big"))
                if message is None:
                    return
                if len(message) == 1:
                    reply = self._control(message[0])
                else:
                    reply = self.card.answer(message)
                    if reply is None:  # taken out of the reader mid-command
                        sock.shutdown(socket.SHUT_RDWR)
                        return
                if reply is not None:
                    sock.sendall(len(reply).to_bytes(2, "big") + reply)
        except OSError:
            return

    def _control(self, code: int) -> bytes | None:
        if code == 4:
            return ATR
        if code in (0, 1, 2):  # off, on, reset: volatile state is lost
            self.card.power_off()
        return None


def _receive(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        part = sock.recv(size - len(data))
        if not part:
            return None
        data += part
    return data


def wait_for_reader(
    *, present: bool, since: int | None = None, reader: str = VPCD_READER, timeout: float = 15
) -> int:
    """Until pcscd's own watcher reports ``reader`` with (or without) a card, and
    returns its event count (the high 16 bits of the reader state).

    pcscd polls the driver, so it sees an insertion or a removal a little later.
    A card that leaves mid-command is marked absent at once by the failed
    transmit, but pcscd's watcher only counts the removal at its next poll; a
    card put back before that poll would never be powered up. So a removal is
    waited for until the event count moves past ``since`` (the count at insertion).
    """
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        raise RuntimeError(
            "pcscd が動いていません(./dev test が起動します。手元では `pcscd` を root で実行)"
            " / pcscd is not running"
        )
    try:
        deadline = time.monotonic() + timeout
        state = scard.SCARD_STATE_UNAWARE
        while time.monotonic() < deadline:
            hresult, states = scard.SCardGetStatusChange(context, 500, [(reader, state)])
            if hresult == scard.SCARD_S_SUCCESS:
                state = states[0][1] & ~scard.SCARD_STATE_CHANGED
                count = state >> 16
                if bool(state & scard.SCARD_STATE_PRESENT) == present and count != since:
                    return count
            elif hresult != scard.SCARD_E_TIMEOUT:
                time.sleep(0.2)
        raise RuntimeError(f"pcscd did not see the virtual card {'arrive' if present else 'leave'}")
    finally:
        scard.SCardReleaseContext(context)


def main() -> None:
    """Hold a simulated card on the virtual reader until interrupted (the demo)."""
    parser = argparse.ArgumentParser(description="仮想のマイナンバーカードを仮想リーダーに置きます")
    parser.add_argument("--name", default=SimulatedCard.name)
    parser.add_argument("--address", default=SimulatedCard.address)
    parser.add_argument("--birth", default=SimulatedCard.birth, help="YYYYMMDD")
    parser.add_argument("--sex", default=SimulatedCard.sex, help="1 男 / 2 女 / 9 / 0")
    parser.add_argument("--pin", default=SimulatedCard.pin)
    parser.add_argument("--port", type=int, default=VPCD_PORT)
    args = parser.parse_args()
    card = SimulatedCard(
        name=args.name, address=args.address, birth=args.birth, sex=args.sex, pin=args.pin
    )
    with VirtualCard(card, port=args.port):
        print("仮想カードを置きました。Ctrl-C で取り出します。", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
