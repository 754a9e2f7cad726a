"""The My Number card's 券面事項入力補助AP: its commands and the 基本4情報 it holds.

Only what the counter needs, from the public descriptions of the card:
- the AP's AID ``D3 92 10 00 31 00 01 01 04 08``, its PIN EF ``00 11`` (the
  4-digit 券面事項入力補助用暗証番号, 3 tries) and its 基本4情報 EF ``00 02`` as in
  jpki/myna (libmyna/text_ap.go: SelectTextAP, VerifyPin → SelectEF("0011"),
  ReadAttributes → SelectEF("0002")) and AokiApp/jsapdu
  (packages/mynacard/src/constants.ts: KENHOJO_AP, KENHOJO_AP_EF);
- the EF's layout, a BER-TLV ``FF 20`` holding ``DF 21`` (offsets), ``DF 22``
  氏名, ``DF 23`` 住所 (both UTF-8), ``DF 24`` 生年月日 (``YYYYMMDD``) and
  ``DF 25`` 性別 (ISO 5218: 1 male, 2 female, 9 not applicable, 0 unknown), as in
  libmyna's TextAttrs (``asn1:"private,tag:34,utf8"`` …) and jsapdu's
  schemaKenhojoBasicFour;
- SELECT by AID ``00 A4 04 0C``, SELECT EF ``00 A4 02 0C``, VERIFY
  ``00 20 00 80`` with the PIN's ASCII digits, READ BINARY ``00 B0`` with the
  offset in P1-P2 (ISO/IEC 7816-4), as both of them send.

The 個人番号 EF (``00 01``) is deliberately absent here: nothing can select it.
The card's text is UTF-8, so a name with 𠮷 (outside the BMP) or 髙/﨑 (outside
JIS X 0208) comes out as stored; it is decoded strictly and never normalised
(NFC would turn some compatibility ideographs into other code points).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

KENHOJO_AID = bytes.fromhex("D3921000310001010408")
PIN_EF = bytes.fromhex("0011")
BASIC_FOUR_EF = bytes.fromhex("0002")

TAG_BASIC_FOUR = bytes.fromhex("FF20")
TAG_NAME = bytes.fromhex("DF22")
TAG_ADDRESS = bytes.fromhex("DF23")
TAG_BIRTH = bytes.fromhex("DF24")
TAG_SEX = bytes.fromhex("DF25")

SEXES = {"1": "male", "2": "female"}  # ISO 5218; 0 (unknown) and 9 (n/a) → None

Sex = Literal["male", "female"] | None


@dataclass(frozen=True)
class CardFacts:
    """The four facts as printed on the card (住民票の記載どおり)."""

    name: str
    address: str
    birth_date: datetime.date
    sex: Sex

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "address": self.address,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex,
        }

    def __repr__(self) -> str:  # personal data stays out of tracebacks and logs
        return "CardFacts(…)"


class MalformedData(ValueError):
    """The EF's bytes are not the layout above (said in Japanese in ``args[0]``)."""


def select_ap() -> bytes:
    return bytes([0x00, 0xA4, 0x04, 0x0C, len(KENHOJO_AID)]) + KENHOJO_AID


def select_ef(fid: bytes) -> bytes:
    return bytes([0x00, 0xA4, 0x02, 0x0C, len(fid)]) + fid


def verify(pin: str) -> bytes:
    digits = pin.encode("ascii")
    return bytes([0x00, 0x20, 0x00, 0x80, len(digits)]) + digits


def read_binary(offset: int, length: int) -> bytes:
    """READ BINARY of ``length`` (1‥256; 256 is sent as Le 00) bytes at ``offset``."""
    if not 0 <= offset < 0x8000 or not 1 <= length <= 256:
        raise ValueError("offset or length out of range")
    return bytes([0x00, 0xB0, offset >> 8, offset & 0xFF, length & 0xFF])


def tlv_header(data: bytes, at: int = 0) -> tuple[bytes, int, int]:
    """The BER-TLV at ``at``: (tag bytes, value length, offset of the value)."""
    try:
        end = at + 1
        if data[at] & 0x1F == 0x1F:  # multi-byte tag: more bytes while bit 8 is set
            while data[end] & 0x80:
                end += 1
            end += 1
        tag = data[at:end]
        first = data[end]
        if first < 0x80:
            return tag, first, end + 1
        count = first & 0x7F
        if not 1 <= count <= 3 or end + 1 + count > len(data):
            raise MalformedData("長さの書き方が正しくありません")
        return tag, int.from_bytes(data[end + 1 : end + 1 + count], "big"), end + 1 + count
    except IndexError:
        raise MalformedData("データが途中で切れています") from None


def total_length(head: bytes) -> int:
    """The whole EF's length from its first bytes (the outer ``FF 20``'s header)."""
    tag, length, value_at = tlv_header(head)
    if tag != TAG_BASIC_FOUR:
        raise MalformedData("基本4情報の形ではありません")
    return value_at + length


def parse_basic_four(data: bytes) -> CardFacts:
    tag, length, at = tlv_header(data)
    if tag != TAG_BASIC_FOUR:
        raise MalformedData("基本4情報の形ではありません")
    if at + length > len(data):
        raise MalformedData("データが途中で切れています")
    fields: dict[bytes, bytes] = {}
    end = at + length
    while at < end:
        tag, length, value_at = tlv_header(data, at)
        if value_at + length > end:
            raise MalformedData("データが途中で切れています")
        fields[tag] = data[value_at : value_at + length]
        at = value_at + length
    missing = [t for t in (TAG_NAME, TAG_ADDRESS, TAG_BIRTH, TAG_SEX) if t not in fields]
    if missing:
        raise MalformedData("4つの情報のうち足りないものがあります")
    try:
        name = fields[TAG_NAME].decode("utf-8")
        address = fields[TAG_ADDRESS].decode("utf-8")
        birth = fields[TAG_BIRTH].decode("ascii")
        sex = fields[TAG_SEX].decode("ascii")
    except UnicodeDecodeError:
        raise MalformedData("文字を読み取れません") from None
    try:
        birth_date = datetime.datetime.strptime(birth, "%Y%m%d").date()
    except ValueError:
        raise MalformedData("生年月日の形が正しくありません") from None
    return CardFacts(name=name, address=address, birth_date=birth_date, sex=SEXES.get(sex))


def encode_basic_four(name: str, address: str, birth: str, sex: str) -> bytes:
    """The EF's bytes for the given facts (for the simulated card): ``birth`` is
    ``YYYYMMDD`` and ``sex`` the ISO 5218 digit, as the card stores them."""

    def tlv(tag: bytes, value: bytes) -> bytes:
        n = len(value)
        if n < 0x80:
            size = bytes([n])
        elif n <= 0xFF:
            size = bytes([0x81, n])
        else:
            size = bytes([0x82]) + n.to_bytes(2, "big")
        return tag + size + value

    fields = [
        (TAG_NAME, name.encode("utf-8")),
        (TAG_ADDRESS, address.encode("utf-8")),
        (TAG_BIRTH, birth.encode("ascii")),
        (TAG_SEX, sex.encode("ascii")),
    ]
    # DF 21: where each field starts in the outer value, 2 bytes each.
    body = b"".join(tlv(t, v) for t, v in fields)
    header_size = 3 + 2 * len(fields)
    offsets, at = b"", header_size
    for tag, value in fields:
        offsets += at.to_bytes(2, "big")
        at += len(tlv(tag, value))
    return tlv(TAG_BASIC_FOUR, tlv(bytes.fromhex("DF21"), offsets) + body)
