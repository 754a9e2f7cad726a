"""Form fields that read Japanese input the way residents give it."""

from __future__ import annotations

import calendar
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from madoguchi.common.japanese import (
    MODERN_ERAS,
    WESTERN,
    NoSuchDate,
    era_date,
    era_english,
    era_parts,
    format_date,
    normalize,
    wareki,
)


def _english() -> bool:
    return (get_language() or "ja").startswith("en")


def era_choices() -> list[tuple[str, str]]:
    """西暦 first (what most people type), then the eras newest first."""
    if _english():
        return [(WESTERN, "Western (AD)")] + [(k, era_english(e)) for k, e in MODERN_ERAS.items()]
    return [(WESTERN, WESTERN)] + [(k, k) for k in MODERN_ERAS]


# Years past this are not dates anyone means (and Python's calendar ends there).
MAX_YEAR = 9999
# The earliest birth date taken: the oldest person ever recorded lived 122 years,
# so nobody a city procedure concerns today was born before 1900 (明治33年); a
# birth date before it is a mistyped year (1000 for 2000, 1088 for 1988).
EARLIEST_BIRTH = date(1900, 1, 1)
# The range a search filter's day may be in: every record is inside it, and the
# day after its end (what "until" counts to) still exists in every time zone.
EARLIEST_FILTER_DAY = date(1900, 1, 1)
LATEST_FILTER_DAY = date(2199, 12, 31)


class EraDateWidget(forms.MultiWidget):
    """元号 (select) + 年 + 月 + 日 (number boxes), each with its own label.

    The template wraps nothing: the page puts the parts in a fieldset whose legend
    is the field's label, so a screen reader hears 「生年月日、年」.
    """

    template_name = "common/widgets/era_date.html"

    def __init__(self, attrs=None):
        def number(size: int) -> forms.TextInput:
            return forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "off",
                    "size": size,
                    "maxlength": size,
                    "class": f"n{size}",
                }
            )

        widgets = {
            "era": forms.Select(choices=era_choices()),
            "year": number(4),
            "month": number(2),
            "day": number(2),
        }
        super().__init__(widgets, attrs)

    def get_context(self, name, value, attrs):
        self.widgets[0].choices = era_choices()  # in the page's language
        return super().get_context(name, value, attrs)

    def decompress(self, value):
        if not isinstance(value, date):
            return [WESTERN, "", "", ""]
        if _english():
            return [WESTERN, value.year, value.month, value.day]
        # Japanese pages show a date back the way official papers write it.
        return list(era_parts(value))


class EraDateField(forms.Field):
    """A date given as 元号 (or 西暦) + 年 + 月 + 日; 全角 digits and 「元」年 are fine.

    Every mistake gets a plain sentence in the page's language: 昭和65年 or
    平成31年5月1日 do not exist, and the message says where the era ends.
    """

    widget = EraDateWidget
    default_error_messages = {
        "required": _("年・月・日を入れてください"),
        "incomplete": _("年・月・日をすべて入れてください"),
        "invalid": _("年・月・日は数字で入れてください"),
        "year": _(
            "年が正しくありません。西暦は4けた(例: 1988)、和暦は元号を選んで年(例: 昭和63)を"
            "入れてください"
        ),
        "month": _("月は1から12までの数で入れてください"),
        "day": _("日は1から31までの数で入れてください"),
        "short_year": _(
            "西暦の年は4けたで入れてください(例: 1942)。昭和17年のように書くときは、"
            "先に元号を選んでください"
        ),
        "no_such_day": _("%(written)sという日はありません"),
        "after_era": _("%(written)sはありません。%(era)sは%(last)sまでで、次の日から%(next)sです"),
        "before_era": _(
            "%(written)sはありません。%(era)sは%(first)sからで、その前は%(previous)sです"
        ),
        "range": _("%(min)sから%(max)sまでの日付を入れてください"),
    }

    def __init__(self, *, min_date: date | None = None, max_date: date | None = None, **kwargs):
        self.min_date, self.max_date = min_date, max_date
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, date) or value in self.empty_values:
            return value or None
        era, year, month, day = _parts(value)
        if not (year or month or day):
            return None
        if not (year and month and day):
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        if era not in MODERN_ERAS:
            era = WESTERN
        try:
            y, m, d = (1 if p == "元" else int(p) for p in (year, month, day))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if y > MAX_YEAR:  # 20 digits would overflow the calendar: a mistyped year
            raise forms.ValidationError(self.error_messages["year"], code="year")
        if era == WESTERN and y < 1000:
            raise forms.ValidationError(self.error_messages["short_year"], code="short_year")
        if not 1 <= m <= 12:
            raise forms.ValidationError(self.error_messages["month"], code="month")
        if not 1 <= d <= 31:
            raise forms.ValidationError(self.error_messages["day"], code="day")
        try:
            found = era_date(era, y, m, d)
        except NoSuchDate as exc:
            raise self._no_such_date(exc, era, y, m, d) from None
        self._check_range(found)
        return found

    def _no_such_date(self, exc: NoSuchDate, era: str, y: int, m: int, d: int):
        english = _english()
        params = {"written": _written(era, y, m, d, english)}
        if exc.era is not None:
            params["era"] = era_english(exc.era) if english else exc.era.kanji
        if exc.neighbour is not None:
            name = era_english(exc.neighbour) if english else exc.neighbour.kanji
            params["next" if exc.reason == "after_era" else "previous"] = name
        for key, day in (("first", exc.first), ("last", exc.last)):
            if day is not None:
                params[key] = format_date(day, "en") if english else wareki(day)
        return forms.ValidationError(
            self.error_messages[exc.reason], code=exc.reason, params=params
        )

    def _check_range(self, found: date) -> None:
        too_early = self.min_date and found < self.min_date
        too_late = self.max_date and found > self.max_date
        if too_early or too_late:
            lang = "en" if _english() else "ja"
            raise forms.ValidationError(
                self.error_messages["range"],
                code="range",
                params={
                    "min": format_date(self.min_date or date.min, lang),
                    "max": format_date(self.max_date or date.max, lang),
                },
            )

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (initial or None)
        except forms.ValidationError:
            return True


class BirthDateField(EraDateField):
    """A date of birth: not after today (in Japan) and not before ``EARLIEST_BIRTH``.

    A child "born" in 2999 or in 1000 is a mistyped year; taken silently it would
    give a wrong age to every rule and form that reads it."""

    default_error_messages = {
        "future": _("生年月日に今日より後の日付は入れられません。年を確かめてください"),
        "too_old": _("生年月日は%(min)s以降の日付で入れてください。年を確かめてください"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_date", EARLIEST_BIRTH)
        super().__init__(**kwargs)

    def _check_range(self, found: date) -> None:
        if found > timezone.localdate():
            raise forms.ValidationError(self.error_messages["future"], code="future")
        if found < self.min_date:
            lang = "en" if _english() else "ja"
            raise forms.ValidationError(
                self.error_messages["too_old"],
                code="too_old",
                params={"min": format_date(self.min_date, lang)},
            )
        super()._check_range(found)


class FilterDateField(forms.DateField):
    """A search filter's day (``<input type="date">``): only days between 1900 and
    2199, so that 「その日の終わり」 (the next day at 0:00 in Japan) can always be
    counted and stored; outside, a sentence instead of an overflow."""

    default_error_messages = {
        "invalid": _("日付は 2026-11-20 の形で入れてください"),
        "range": _("%(min)sから%(max)sまでの日付を入れてください"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        found = super().to_python(value)
        if found is not None and not EARLIEST_FILTER_DAY <= found <= LATEST_FILTER_DAY:
            lang = "en" if _english() else "ja"
            raise forms.ValidationError(
                self.error_messages["range"],
                code="range",
                params={
                    "min": format_date(EARLIEST_FILTER_DAY, lang),
                    "max": format_date(LATEST_FILTER_DAY, lang),
                },
            )
        return found


def row_index(value: str | None, rows: int) -> int | None:
    """The row a button names (``remove_member=2``, ``remove_row=children:2``): ASCII
    digits naming one of ``rows`` rows, else None. ``str.isdigit`` alone lets 「²」
    and 「١」 through to ``int()``, and a 30-digit number is no row either."""
    if not value or not (value.isascii() and value.isdigit()) or len(value) > 6:
        return None
    index = int(value)
    return index if index < rows else None


def _parts(value) -> tuple[str, str, str, str]:
    """The four raw parts, tidied: 全角 to 半角, a typed 「年」「月」「日」 dropped."""
    parts = (list(value) + ["", "", "", ""])[:4]
    era = str(parts[0] or "")
    rest = (normalize(str(p if p is not None else "")).rstrip("年月日 ") for p in parts[1:])
    return (era, *rest)


def _written(era: str, y: int, m: int, d: int, english: bool) -> str:
    """The date as the resident wrote it: 「昭和65年1月1日」 / "1 January Showa 65"."""
    if english:
        year = str(y) if era == WESTERN else f"{era_english(MODERN_ERAS[era])} {y}"
        return f"{d} {calendar.month_name[m]} {year}"
    if era == WESTERN:
        return f"{y}年{m}月{d}日"
    return f"{era}{'元' if y == 1 else y}年{m}月{d}日"


class JapaneseIntegerField(forms.IntegerField):
    """An integer that may be typed in 全角 digits or with a thousands comma."""

    default_error_messages = {
        "invalid": _("数字で入れてください(例: 2400)"),
        "min_value": _("%(limit_value)s以上の数を入れてください"),
        "max_value": _("%(limit_value)s以下の数を入れてください"),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize(value).replace(",", "")
        return super().to_python(value)
