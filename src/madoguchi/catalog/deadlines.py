"""Deadlines: counting periods the way Japanese law does, and the office calendar.

- 民法140条: a period in days/months/years does not count its first day, unless a
  law says otherwise; 戸籍法43条 does (出生届 and 死亡届 count the day of the event).
- 民法143条: a period in months/years ends on the day before the date that
  corresponds to its first counted day; if that month has no such date, on the
  month's last day.
- 民法142条 and the municipality's calendar: a last day on a closed day (Saturday,
  Sunday, national holiday, the new-year closure) moves to the next open day.
National holidays come from ``jpholiday``; nothing here is a hand-kept table.
"""

from __future__ import annotations

import calendar
import functools
from datetime import date, timedelta

import jpholiday

from madoguchi.catalog.schema import Deadline, Municipality


class OfficeCalendar:
    def __init__(self, municipality: Municipality):
        self.closed_days = set(municipality.closed_days)
        self.closed_on_weekends = municipality.closed_on_weekends

    # A day's answer never changes; the guide asks about the same few days again and
    # again (holiday look-ups are the costly part of a checklist).
    @functools.lru_cache(maxsize=4096)  # noqa: B019 (one calendar per catalogue)
    def is_closed(self, day: date) -> bool:
        if self.closed_on_weekends and day.weekday() >= 5:
            return True
        return f"{day.month:02d}-{day.day:02d}" in self.closed_days or jpholiday.is_holiday(day)

    def closed_reason(self, day: date) -> str | None:
        """Why the office is closed that day, in Japanese (for the explanation)."""
        holiday = jpholiday.is_holiday_name(day)
        if holiday:
            return holiday
        if f"{day.month:02d}-{day.day:02d}" in self.closed_days:
            return "年末年始の閉庁日"
        if self.closed_on_weekends and day.weekday() >= 5:
            return "土曜日" if day.weekday() == 5 else "日曜日"
        return None

    def next_open_day(self, day: date) -> date:
        while self.is_closed(day):
            day += timedelta(days=1)
        return day


def _add_months(first: date, months: int) -> date:
    """Last day of a period of ``months`` whose first counted day is ``first`` (民法143条)."""
    index = first.month - 1 + months
    year, month = first.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if first.day > last:  # no corresponding day: the month's last day
        return date(year, month, last)
    return date(year, month, first.day) - timedelta(days=1)


def last_day(event_date: date, rule: Deadline) -> date | None:
    """The period's last day before any move for closed days; None without a length."""
    first = event_date if rule.count_first_day else event_date + timedelta(days=1)
    if rule.days:
        return first + timedelta(days=rule.days - 1)
    if rule.months:
        return _add_months(first, rule.months)
    if rule.years:
        return _add_months(first, rule.years * 12)
    return None
