"""Recognising a 個人番号 (My Number) so that it can be refused, never to use one.

madoguchi never reads or keeps the 12-digit number (番号法 limits who may collect
it). Files and forms that come in are checked with these two functions: a name that
says 個人番号 (``names_my_number``), or a value that is 12 digits whose last one is
the number's check digit (``is_my_number``). Neither keeps, logs or returns the value.
"""

from __future__ import annotations

import re
import unicodedata

# 「マイナンバー」 or 「個人番号」 (not 「マイナンバーカード」: a card is not its number),
# and the usual romanisations of a column or claim name.
_NAMES = re.compile(
    r"個人番号|マイナンバー(?!カード)|my[\s_-]?number(?![\s_-]?card)|individual[\s_-]?number"
    r"|kojin[\s_-]?bang[o]?",
    re.IGNORECASE,
)
_TWELVE_DIGITS = re.compile(r"[0-9]{4}[\s-]?[0-9]{4}[\s-]?[0-9]{4}", re.ASCII)


def names_my_number(name: str) -> bool:
    """Whether a column, field or claim name says it holds the 個人番号."""
    return bool(_NAMES.search(unicodedata.normalize("NFKC", str(name))))


def check_digit(first_eleven: str) -> int:
    """The 12th digit of a 個人番号 from its first 11 (行政手続における特定の個人を
    識別するための番号の利用等に関する法律施行令 8条): with P(n) the n-th digit counted
    from the right of the 11 and Q(n) = n+1 for n ≤ 6, n−5 for n ≥ 7, the remainder
    r of ΣP(n)×Q(n) by 11 gives 0 when r ≤ 1, else 11 − r."""
    total = 0
    for n, digit in enumerate(reversed(first_eleven), start=1):
        total += int(digit) * (n + 1 if n <= 6 else n - 5)
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_my_number(value: str) -> bool:
    """Whether ``value`` (full-width digits, spaces and hyphens allowed) is 12 digits
    whose last is the 個人番号 check digit."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not _TWELVE_DIGITS.fullmatch(text):
        return False
    digits = re.sub(r"[\s-]", "", text)
    return check_digit(digits[:11]) == int(digits[11])
