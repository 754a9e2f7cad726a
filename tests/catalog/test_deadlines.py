"""Deadline counting: CATALOGUE.md's examples, 民法140/142/143条, 戸籍法43条."""

from datetime import date

import pytest

from madoguchi.catalog.deadlines import OfficeCalendar, last_day
from madoguchi.catalog.schema import Deadline


@pytest.fixture
def calendar(catalog) -> OfficeCalendar:
    return OfficeCalendar(catalog.municipality)


def rule(**kw) -> Deadline:
    return Deadline(text="x", **kw)


def test_family_register_counts_the_day_of_birth():
    # CATALOGUE.md: a birth on 11/20 must be registered by 12/3.
    assert last_day(date(2026, 11, 20), rule(days=14, count_first_day=True)) == date(2026, 12, 3)


def test_civil_code_counts_from_the_next_day():
    # CATALOGUE.md: moving in on 11/20 gives 12/4 for 転入届.
    assert last_day(date(2026, 11, 20), rule(days=14)) == date(2026, 12, 4)


def test_fifteen_days_from_the_day_after():
    # CATALOGUE.md: 児童手当 "15 days from the day after the event" gives 12/5.
    assert last_day(date(2026, 11, 20), rule(days=15)) == date(2026, 12, 5)


def test_death_registration_seven_days_counting_the_first():
    assert last_day(date(2026, 11, 20), rule(days=7, count_first_day=True)) == date(2026, 11, 26)


def test_years_end_the_day_before_the_corresponding_day():
    # 民法143条: from 2026-11-21 (first counted day), two years end on 2028-11-20.
    assert last_day(date(2026, 11, 20), rule(years=2)) == date(2028, 11, 20)


def test_month_without_corresponding_day_ends_on_its_last_day():
    # Event 1/30 → first counted day 1/31 → no 2/31 → the period ends on 2/28.
    assert last_day(date(2027, 1, 30), rule(months=1)) == date(2027, 2, 28)
    # Event 2/28 of a leap year → first day 2/29 → 2 years later has no 2/29 → 2/28.
    assert last_day(date(2028, 2, 28), rule(years=2)) == date(2030, 2, 28)


def test_no_length_means_no_date():
    assert last_day(date(2026, 11, 20), rule()) is None


@pytest.mark.parametrize(
    ("last", "due"),
    [
        (date(2026, 12, 5), date(2026, 12, 7)),  # Saturday → Monday
        (date(2026, 12, 6), date(2026, 12, 7)),  # Sunday → Monday
        (date(2026, 11, 23), date(2026, 11, 24)),  # 勤労感謝の日 (Monday)
        (date(2026, 12, 29), date(2027, 1, 4)),  # 年末年始 12/29–1/3, then Monday 1/4
        (date(2027, 1, 1), date(2027, 1, 4)),  # 元日 and the closure
        (date(2027, 1, 11), date(2027, 1, 12)),  # 成人の日
        (date(2026, 12, 3), date(2026, 12, 3)),  # an open Thursday stays
    ],
)
def test_closed_days_move_to_the_next_open_day(calendar, last, due):
    assert calendar.next_open_day(last) == due


def test_a_substitute_holiday_is_closed(calendar):
    # 2026-05-06 is a 振替休日 (憲法記念日 on Sunday 5/3 … みどりの日, こどもの日).
    assert calendar.is_closed(date(2026, 5, 6))
    assert calendar.next_open_day(date(2026, 5, 2)) == date(2026, 5, 7)


def test_closed_reason_names_the_holiday(calendar):
    assert calendar.closed_reason(date(2026, 11, 23)) == "勤労感謝の日"
    assert calendar.closed_reason(date(2026, 12, 30)) == "年末年始の閉庁日"
    assert calendar.closed_reason(date(2026, 12, 5)) == "土曜日"
    assert calendar.closed_reason(date(2026, 12, 3)) is None
