"""Japanese dates and text: 和暦 and 西暦, 全角/半角.

Era data and era arithmetic come from ``japanera``; width conversion from
``jaconv``. What is here only arranges their input and output.
"""

from __future__ import annotations

import re
from datetime import date

import jaconv
from japanera import EraDate

WEEKDAYS_JA = "月火水木金土日"

_SEPARATORS = r"\s*[年./\-]\s*"
_ERA_DATE = re.compile(
    rf"^(?P<era>明治|大正|昭和|平成|令和|[MTSHR])\s*(?P<year>元|\d{{1,2}}){_SEPARATORS}"
    rf"(?P<month>\d{{1,2}}){_SEPARATORS.replace('年', '月')}(?P<day>\d{{1,2}})\s*日?$",
    re.IGNORECASE,
)
_WESTERN_DATE = re.compile(
    rf"^(?P<year>\d{{4}}){_SEPARATORS}(?P<month>\d{{1,2}}){_SEPARATORS.replace('年', '月')}"
    r"(?P<day>\d{1,2})\s*日?$"
)


_ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}


def normalize(text: str) -> str:
    """全角英数字・記号を半角に、半角カナを全角にして、前後の空白を除く。"""
    text = jaconv.z2h(text, kana=False, ascii=True, digit=True)
    text = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    return text.strip()


def parse_date(text: str) -> date:
    """「2026-11-20」「2026/11/20」「２０２６年１１月２０日」「令和8年11月20日」「R8.11.20」
    「令和元年5月1日」を日付にする。読めないときは ValueError (日本語の説明つき)。"""
    value = normalize(text)
    if match := _WESTERN_DATE.match(value):
        try:
            return date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            raise ValueError(f"「{text}」という日付はありません") from None
    if match := _ERA_DATE.match(value):
        # Letters are the usual abbreviations of the modern eras on forms (R8.11.20).
        era = _ERA_LETTERS.get(match["era"].upper(), match["era"])
        year = 1 if match["year"] == "元" else int(match["year"])
        try:
            found = EraDate.strptime(
                f"{era}{year:02d}.{int(match['month']):02d}.{int(match['day']):02d}", "%-K%-y.%m.%d"
            )
        except ValueError:
            found = []
        found = [d for d in found if d.era.kanji == era]
        if found:
            return date(found[0].year, found[0].month, found[0].day)
        raise ValueError(f"「{text}」という日付はありません(元号と年を確認してください)")
    raise ValueError(f"「{text}」を日付として読めません。例: 2026-11-20 または 令和8年11月20日")


def wareki(day: date) -> str:
    """令和8年12月3日 (元年 for the first year)."""
    era = EraDate.from_date(day)
    year = era.strftime("%-K%-Y年").replace(
        era.strftime("%-K") + "1年", era.strftime("%-K") + "元年"
    )
    return f"{year}{day.month}月{day.day}日"


def format_date(day: date, language: str = "ja") -> str:
    """2026年12月3日(木) — or ``Thu 3 Dec 2026`` in English."""
    if language.startswith("en"):
        return day.strftime("%a %-d %b %Y")
    return f"{day.year}年{day.month}月{day.day}日({WEEKDAYS_JA[day.weekday()]})"
