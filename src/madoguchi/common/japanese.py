"""Japanese dates and text: 和暦 and 西暦, 全角/半角.

Era data and era arithmetic come from ``japanera``; width conversion from
``jaconv``. What is here only arranges their input and output.
"""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta

import jaconv
from japanera import ERA_DATA_GENERAL, Era, EraDate

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


# The eras a resident may still write a date in (births since 明治), newest first as
# on paper forms. Their dates come from japanera; only the choice of names is ours.
MODERN_ERAS: dict[str, Era] = {
    era.kanji: era
    for era in reversed(ERA_DATA_GENERAL)
    if era.kanji in ("令和", "平成", "昭和", "大正", "明治")
}
WESTERN = "西暦"


class NoSuchDate(ValueError):
    """A date that does not exist as written: 2月30日, 昭和65年, 平成31年5月1日.

    ``reason`` is ``no_such_day``, ``before_era`` or ``after_era``; for the last two,
    ``first``/``last`` are the era's first and last days and ``neighbour`` is the era
    before or after it, so a form can explain the mistake in its own language.
    """

    def __init__(self, message: str, reason: str, era: Era | None = None, neighbour=None):
        super().__init__(message)
        self.reason = reason
        self.era = era
        self.neighbour = neighbour
        self.first = era.since if era else None
        self.last = era.until - timedelta(days=1) if era and era.until else None


def era_date(era: str, year: int, month: int, day: int) -> date:
    """(元号 or 「西暦」, 年, 月, 日) → date; 元年 is year 1. Raises :class:`NoSuchDate`."""
    shown_year = "元" if year == 1 and era != WESTERN else year
    written = f"{'' if era == WESTERN else era}{shown_year}年{month}月{day}日"
    # OverflowError: a year of many digits is beyond any calendar, not a crash.
    if era == WESTERN:
        try:
            return date(year, month, day)
        except (ValueError, OverflowError):
            raise NoSuchDate(f"{written}という日はありません", "no_such_day") from None
    found = MODERN_ERAS[era]
    try:
        day_ = date(found.relative_year_to_absolute_year(year), month, day)
    except (ValueError, OverflowError):
        raise NoSuchDate(f"{written}という日はありません", "no_such_day") from None
    if year < 1 or day_ < found.since:
        before = EraDate.from_date(found.since - timedelta(days=1)).era
        raise NoSuchDate(
            f"{written}はありません。{era}は{wareki(found.since)}からです",
            "before_era",
            found,
            before,
        )
    if found.until and day_ >= found.until:
        after = EraDate.from_date(found.until).era
        last = found.until - timedelta(days=1)
        raise NoSuchDate(
            f"{written}はありません。{era}は{wareki(last)}までで、次の日から{after.kanji}です",
            "after_era",
            found,
            after,
        )
    return day_


def era_parts(day: date) -> tuple[str, int, int, int]:
    """date → (元号, 年, 月, 日), e.g. 1942-03-05 → ("昭和", 17, 3, 5)."""
    era = EraDate.from_date(day).era
    return era.kanji, era.absolute_year_to_relative_year(day.year), day.month, day.day


def era_english(era: Era) -> str:
    """Showa, Heisei … (japanera spells them Shouwa, Taishou)."""
    return era.english_vowel_shortened


@functools.lru_cache(maxsize=8192)  # japanera's formatting is slow; a table shows many dates
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


def list_separator(language: str = "ja") -> str:
    """「、」 between the items of a list in Japanese, ", " in English."""
    return "、" if language.startswith("ja") else ", "


def join_list(items, language: str = "ja") -> str:
    """「口座番号、電話番号」 — or ``account number, phone`` in English."""
    return list_separator(language).join(str(i) for i in items)
