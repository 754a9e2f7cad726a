"""The facts a catalogue condition may refer to, and how they are derived.

A condition is a SQL expression over these names (see ``rules``). Household facts
are one value per household; member facts one value per member. ``age`` and
``fiscal_age`` are derived from ``birth_date`` and the event date, so a question
about them asks for the birth date.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import get_args

import polars as pl

from madoguchi.catalog.situation import Event, Insurance, Role, Sex

# The values are those of the situation's public contract.
EVENTS = get_args(Event)
ROLES = get_args(Role)
SEXES = get_args(Sex)
INSURANCES = get_args(Insurance)


@dataclass(frozen=True)
class Fact:
    name: str
    dtype: type[pl.DataType] | pl.DataType
    choices: tuple[str, ...] = ()
    # For a derived fact, the input fact a question must ask for instead.
    asked_as: str | None = None


HOUSEHOLD_FACTS = {
    f.name: f
    for f in (
        Fact("event", pl.Utf8, EVENTS),
        Fact("single_parent", pl.Boolean),
        Fact("has_dog", pl.Boolean),
        Fact("owns_real_estate", pl.Boolean),
    )
}

MEMBER_FACTS = {
    f.name: f
    for f in (
        Fact("role", pl.Utf8, ROLES),
        Fact("sex", pl.Utf8, SEXES),
        Fact("insurance", pl.Utf8, INSURANCES),
        Fact("has_mynumber_card", pl.Boolean),
        Fact("birth_weight_g", pl.Int64),
        Fact("care_certified", pl.Boolean),
        Fact("receives_child_allowance", pl.Boolean),
        Fact("head_of_household", pl.Boolean),
        # 満年齢 on the event date.
        Fact("age", pl.Int64, asked_as="birth_date"),
        # 満年齢 on the last 3/31 before the event's fiscal year (年度) began: the age
        # that decides "until the end of March after turning 18" and 学齢 (6–14).
        Fact("fiscal_age", pl.Int64, asked_as="birth_date"),
    )
}

# Inputs that are not usable in conditions directly but can be asked.
MEMBER_INPUTS = {"birth_date": pl.Date}

HOUSEHOLD_SCHEMA = {"hh": pl.Int64, "event_date": pl.Date} | {
    f.name: f.dtype for f in HOUSEHOLD_FACTS.values()
}
# ``unlisted`` marks the stand-in for members nobody has listed yet: it may be any
# number of people, so a count over the household stays open.
MEMBER_INPUT_SCHEMA = (
    {"hh": pl.Int64, "idx": pl.Int64, "unlisted": pl.Boolean}
    | MEMBER_INPUTS
    | {f.name: f.dtype for f in MEMBER_FACTS.values() if f.asked_as is None}
)


def askable_fact(scope: str, name: str) -> str:
    """The input fact a question must ask to settle ``name``."""
    facts = HOUSEHOLD_FACTS if scope == "household" else MEMBER_FACTS
    fact = facts.get(name)
    return fact.asked_as if fact and fact.asked_as else name


def day_number(year, month, day):
    """A date written as the number YYYYMMDD.

    Plain integer arithmetic, so the same formula serves Python ints (the guide's
    one household) and Polars expressions (a population). Whole years between two
    such numbers are their difference divided by 10000: the number of birthdays
    passed (a birthday counts on its own date).
    """
    return year * 10000 + month * 100 + day


def years_between(born, on):
    """Whole years from day number ``born`` to day number ``on`` (ints or expressions)."""
    return (on - born) // 10000


def _number(day: pl.Expr) -> pl.Expr:
    # The month is an Int8 in Polars: widen it before multiplying.
    return day_number(day.dt.year(), day.dt.month().cast(pl.Int32), day.dt.day())


def age_on(born: pl.Expr, on: pl.Expr) -> pl.Expr:
    """満年齢 on a date, per 年齢計算ニ関スル法律: one reaches an age at the end of the day
    before the birthday, so on that day the new age already holds (and someone born
    on 2/29 is a year older on 2/28 of a common year)."""
    return years_between(_number(born), _number(on + pl.duration(days=1))).cast(pl.Int64)


def fiscal_year_start(on: pl.Expr) -> pl.Expr:
    """4/1 of the fiscal year (年度) that contains ``on``."""
    year = pl.when(on.dt.month() >= 4).then(on.dt.year()).otherwise(on.dt.year() - 1)
    return pl.date(year, 4, 1)


def age_day_numbers(event_date: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The day numbers the two ages are counted to, for an event date.

    ``age`` is 満年齢 on the event date, i.e. whole years up to the day after it;
    ``fiscal_age`` is 満年齢 on the last 3/31 before the fiscal year began, i.e.
    whole years up to that fiscal year's 4/1. They depend on the household only, so
    a population computes them once per household, not once per member.
    """
    return _number(event_date + pl.duration(days=1)), _number(fiscal_year_start(event_date))


def ages_from_day_numbers(born: pl.Expr, on: pl.Expr, april_1: pl.Expr) -> list[pl.Expr]:
    born = _number(born)
    return [
        years_between(born, on).cast(pl.Int64).alias("age"),
        years_between(born, april_1).cast(pl.Int64).alias("fiscal_age"),
    ]


def derived_member_columns(event_date: pl.Expr) -> list[pl.Expr]:
    return ages_from_day_numbers(pl.col("birth_date"), *age_day_numbers(event_date))


# The same counts in plain Python, for one household (the guide). A property test
# keeps them equal to the expressions above.


def age_day_numbers_py(event_date: date) -> tuple[int, int]:
    """``age_day_numbers`` for one event date."""
    after = event_date + timedelta(days=1)
    fiscal_year = event_date.year if event_date.month >= 4 else event_date.year - 1
    return day_number(after.year, after.month, after.day), day_number(fiscal_year, 4, 1)


def ages_py(born: date | None, on: int, april_1: int) -> tuple[int | None, int | None]:
    """(age, fiscal_age) of one member; unknown (None) without a birth date."""
    if born is None:
        return None, None
    number = day_number(born.year, born.month, born.day)
    return years_between(number, on), years_between(number, april_1)
