"""One cell of the register CSV → the value kept, or ``ValueError`` with a Japanese
sentence saying what is wrong and how it should be written.

Width and kana are tidied with the project's helpers (``common.japanese``,
``common.text_input``); names keep their characters (髙 stays 髙). A coded value
that is wrong is quoted in the message (it is a code, not a resident's words);
names and addresses are not.
"""

from __future__ import annotations

import csv
import re
from datetime import date

from django.utils import timezone

from madoguchi.common.japanese import normalize, parse_date
from madoguchi.common.text_input import tidy_free_text, tidy_kana, tidy_name, tidy_postal_code
from madoguchi.register.values import (
    FLAG_WORDS,
    INSURANCE_WORDS,
    RELATIONSHIPS,
    SEX_WORDS,
    STATUS_WORDS,
    Insurance,
    Status,
)

_NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{0,31}", re.ASCII)
_OLDEST = date(1850, 1, 1)


def _shown(text: str) -> str:
    return text if len(text) <= 20 else text[:20] + "…"


def _required(text: str, what: str) -> str:
    value = normalize(text)
    if not value:
        raise ValueError(f"{what}が空です。必ず書いてください")
    return value


def number(text: str, what: str = "宛名番号") -> str:
    value = _required(text, what)
    if not _NUMBER.fullmatch(value):
        raise ValueError(f"{what}は半角の英数字(とハイフン)32文字までで書いてください")
    return value


def household(text: str) -> str:
    return number(text, "世帯番号")


def relationship(text: str) -> str:
    value = _required(text, "続柄").replace(" ", "").replace("\u3000", "")
    if value not in RELATIONSHIPS:
        raise ValueError(
            f"続柄「{_shown(value)}」は使えません。住民票の続柄"
            f"({'、'.join(RELATIONSHIPS[:15])} など)で書いてください"
        )
    return value


def name(text: str) -> str:
    if not text.strip():
        raise ValueError("氏名が空です。必ず書いてください")
    value = tidy_name(text)
    if len(value) > 100:
        raise ValueError("氏名が長すぎます(100文字まで)")
    return value


def name_kana(text: str) -> str:
    value = tidy_kana(text)
    if len(value) > 200:
        raise ValueError("氏名かなが長すぎます(200文字まで)")
    return value


def _date(text: str, what: str, *, required: bool = True, future: bool = False) -> date | None:
    if not normalize(text):
        if required:
            raise ValueError(f"{what}が空です。2026-04-01 のように「年-月-日」で書いてください")
        return None
    try:
        day = parse_date(text)
    except ValueError:
        raise ValueError(
            f"{what}「{_shown(normalize(text))}」を日付として読めません。"
            "2026-04-01 のように「年-月-日」で書いてください(その日がある日付か確かめてください)"
        ) from None
    if day < _OLDEST:
        raise ValueError(f"{what}「{day.isoformat()}」は古すぎます。年を確かめてください")
    if not future and day > timezone.localdate():
        raise ValueError(f"{what}「{day.isoformat()}」は今日より後の日付です。確かめてください")
    return day


def birth_date(text: str) -> date:
    return _date(text, "生年月日")


def resident_since(text: str) -> date:
    return _date(text, "住民となった日")


def status_date(text: str) -> date | None:
    # A 転出 is notified before the move: its date may be ahead of today.
    return _date(text, "異動日", required=False, future=True)


def _word(text: str, what: str, words: dict, shown: str):
    value = _required(text, what)
    if value not in words:
        raise ValueError(f"{what}「{_shown(value)}」は使えません。{shown} のどれかで書いてください")
    return str(words[value])


def sex(text: str) -> str:
    return _word(text, "性別", SEX_WORDS, "男・女")


def insurance(text: str) -> str:
    return _word(text, "保険", INSURANCE_WORDS, "国保・社保・後期・なし")


def status(text: str) -> str:
    return _word(text, "異動", STATUS_WORDS, "住民・転出・死亡")


def _flag(what: str):
    def parse(text: str) -> bool:
        value = normalize(text)
        if value not in FLAG_WORDS:
            shown = f"「{_shown(value)}」と書かれています" if value else "空です"
            raise ValueError(f"{what}は 0 か 1 で書いてください({shown})")
        return FLAG_WORDS[value]

    return parse


def postal_code(text: str) -> str:
    return tidy_postal_code(text) if normalize(text) else ""


def address(text: str) -> str:
    value = tidy_free_text(text).strip()
    if not value:
        raise ValueError("住所が空です。必ず書いてください")
    if len(value) > 300:
        raise ValueError("住所が長すぎます(300文字まで)")
    return value


PARSERS = {
    "number": number,
    "household": household,
    "relationship": relationship,
    "name": name,
    "name_kana": name_kana,
    "birth_date": birth_date,
    "sex": sex,
    "postal_code": postal_code,
    "address": address,
    "insurance": insurance,
    "shaho_dependant": _flag("社保被扶養者"),
    "care_certified": _flag("要介護認定"),
    "resident_since": resident_since,
    "status": status,
    "status_date": status_date,
}


def across(values: dict) -> list[tuple[str, str]]:
    """What one row's cells say together: (column, message) for each contradiction."""
    found = []
    birth = values["birth_date"]
    if values["resident_since"] < birth:
        found.append(("住民となった日", "生年月日より前の日付になっています"))
    if values["status"] != Status.RESIDENT and values["status_date"] is None:
        found.append(("異動日", "転出・死亡のときは異動日を書いてください"))
    if values["status_date"] is not None and values["status_date"] < birth:
        found.append(("異動日", "生年月日より前の日付になっています"))
    if values["shaho_dependant"] and values["insurance"] != Insurance.SHAHO:
        found.append(("社保被扶養者", "社保の被扶養者(1)のときは、保険を「社保」にしてください"))
    return found


def csv_error(exc: csv.Error) -> str:
    """The csv module's English, said plainly."""
    text = str(exc)
    if "unexpected end of data" in text:
        return (
            '「"」で始めた値が閉じられないまま、ファイルが終わっています。'
            "ファイルが途中で切れていないか確かめ、もう一度書き出してください"
        )
    if "expected" in text and "after" in text:
        return '「"」で囲んだ値の後に、「,」か改行の前の余分な文字があります'
    if "NUL" in text or "line contains NUL" in text:
        return "目に見えない文字(NUL)が入っています。CSV として書き出し直してください"
    return "CSV として読めない行です"
