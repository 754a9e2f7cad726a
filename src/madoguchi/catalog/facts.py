"""The facts a catalogue condition may refer to, and how they are derived.

A condition is a SQL expression over these names (see ``rules``). Household facts
are one value per household; member facts one value per member. Every input fact
is defined once, as a field of the situation (``situation.py``): its type, values and
labels are read from there. Ages are derived from ``birth_date`` and the event date,
so a question about them asks for the birth date; besides the built-in ``age`` and
``fiscal_age``, a catalogue names the ages its programmes count in ``ages.yaml``
(the day an age takes effect differs by programme; see :class:`AgeRule`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import UnionType
from typing import Literal, Union, get_args, get_origin

import polars as pl
from pydantic import BaseModel

from madoguchi.catalog.schema import AgeRule
from madoguchi.catalog.situation import Event, Insurance, Member, Role, Sex, Situation

# The values are those of the situation's public contract.
EVENTS = get_args(Event)
ROLES = get_args(Role)
SEXES = get_args(Sex)
INSURANCES = get_args(Insurance)

_DTYPES = {bool: pl.Boolean, int: pl.Int64, str: pl.Utf8, date: pl.Date}


@dataclass(frozen=True)
class Fact:
    name: str
    dtype: type[pl.DataType] | pl.DataType
    choices: tuple[str, ...] = ()
    # For a derived fact, the input fact a question must ask for instead.
    asked_as: str | None = None
    label_ja: str = ""
    label_en: str = ""
    meaning: str = ""
    choice_labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Ages: whether the age counts on the birthday itself (else the day before).
    on_birthday: bool = False
    # Ages: the age on the last 3/31 before the event's fiscal year (年度) began.
    fiscal: bool = False

    def label(self, language: str = "ja") -> str:
        return self.label_en if language.startswith("en") and self.label_en else self.label_ja

    def choice_label(self, value: object, language: str = "ja") -> str:
        ja, en = self.choice_labels.get(str(value), (str(value), str(value)))
        return en if language.startswith("en") else ja


def _fact_of(name: str, info) -> Fact:
    """A situation field → its fact (type and values from the annotation)."""
    extra = info.json_schema_extra or {}
    kind = info.annotation
    if get_origin(kind) in (Union, UnionType):  # ``X | None``
        kind = next(a for a in get_args(kind) if a is not type(None))
    choices = get_args(kind) if get_origin(kind) is Literal else ()
    dtype = pl.Utf8 if choices else _DTYPES.get(kind, pl.Object)
    return Fact(
        name,
        dtype,
        choices=tuple(choices),
        label_ja=extra.get("label_ja", name),
        label_en=extra.get("label_en", name),
        meaning=extra.get("meaning", extra.get("label_ja", name)),
        choice_labels={k: tuple(v) for k, v in extra.get("choice_labels", {}).items()},
    )


def _facts_of(model: type[BaseModel], skip: Iterable[str] = ()) -> dict[str, Fact]:
    return {n: _fact_of(n, f) for n, f in model.model_fields.items() if n not in skip}


# ``event`` is in the household table for the procedures' triggers (``events:``);
# conditions written in the catalogue may not use it (see ``rules.compile_leaf``).
HOUSEHOLD_FACTS = _facts_of(Situation, skip=("event_date", "members"))
_MEMBER_INPUT_FACTS = _facts_of(Member)
# Inputs that are not usable in conditions directly but can be asked.
MEMBER_INPUTS = {"birth_date": pl.Date}

BUILTIN_AGES = {
    "age": Fact(
        "age",
        pl.Int64,
        asked_as="birth_date",
        label_ja="年齢",
        label_en="age",
        meaning="できごとがあった日の満年齢(年齢計算ニ関スル法律: 誕生日の前日に1つ増えます)",
    ),
    "fiscal_age": Fact(
        "fiscal_age",
        pl.Int64,
        asked_as="birth_date",
        label_ja="年度の初めの年齢",
        label_en="age at the start of the fiscal year",
        meaning="年度の初めの年齢(前の3月31日の満年齢)。「18歳になった後の最初の3月31日まで」"
        "は fiscal_age < 18、小中学生の年齢(学齢)は fiscal_age BETWEEN 6 AND 14",
        fiscal=True,
    ),
}

MEMBER_FACTS = {n: f for n, f in _MEMBER_INPUT_FACTS.items() if n not in MEMBER_INPUTS} | (
    BUILTIN_AGES
)

# Every field of the situation, by name: labels for messages and summaries.
ALL_FIELDS = _facts_of(Situation) | _MEMBER_INPUT_FACTS
# What a form may be prefilled from (``prefill: situation.<fact>`` / ``member.<fact>``):
# the situation's own fields, as the guide was given them (not derived ages).
SITUATION_FIELDS = _facts_of(Situation, skip=("members",))
MEMBER_FIELDS = _MEMBER_INPUT_FACTS


def age_facts(rules: Iterable[AgeRule]) -> dict[str, Fact]:
    """The catalogue's named ages (``ages.yaml``) as member facts."""
    return {
        r.fact: Fact(
            r.fact,
            pl.Int64,
            asked_as="birth_date",
            label_ja=r.name.ja,
            label_en=r.name.get("en"),
            meaning=f"{r.name.ja}({r.legal_basis})",
            on_birthday=r.takes_effect == "birthday",
        )
        for r in rules
    }


def member_facts(ages: Iterable[AgeRule] = ()) -> dict[str, Fact]:
    return MEMBER_FACTS | age_facts(ages)


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


def askable_fact(scope: str, name: str, facts: dict[str, Fact] | None = None) -> str:
    """The input fact a question must ask to settle ``name``."""
    if scope == "household":
        fact = HOUSEHOLD_FACTS.get(name)
    else:
        fact = (facts or MEMBER_FACTS).get(name)
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


def fiscal_year_start(on: pl.Expr) -> pl.Expr:
    """4/1 of the fiscal year (年度) that contains ``on``."""
    year = pl.when(on.dt.month() >= 4).then(on.dt.year()).otherwise(on.dt.year() - 1)
    return pl.date(year, 4, 1)


# Each age is whole years from the birth date to one of three days on the event's
# side, written as YYYYMMDD numbers. They depend on the household only, so a
# population computes them once per household, not once per member:
#   "after"   the day after the event: one is a year older from the day before the
#             birthday (年齢計算ニ関スル法律) — ``age``, 介護保険, 国民年金;
#   "on"      the event day itself: programmes that start on the birthday (後期高齢者医療);
#   "april_1" the fiscal year's 4/1: the age on the 3/31 before it (``fiscal_age``).
ANCHORS = ("after", "on", "april_1")


def anchor_of(fact: Fact) -> str:
    if fact.fiscal:
        return "april_1"
    return "on" if fact.on_birthday else "after"


def age_facts_of(facts: dict[str, Fact] | None) -> list[Fact]:
    """The derived ages among ``facts`` (default: the built-in ones)."""
    return [f for f in (facts or MEMBER_FACTS).values() if f.asked_as == "birth_date"]


def age_day_numbers(event_date: pl.Expr) -> dict[str, pl.Expr]:
    """The day numbers the ages are counted to, for an event date (see ANCHORS)."""
    return {
        "after": _number(event_date + pl.duration(days=1)),
        "on": _number(event_date),
        "april_1": _number(fiscal_year_start(event_date)),
    }


def ages_from_day_numbers(
    born: pl.Expr, anchors: dict[str, pl.Expr], facts: dict[str, Fact] | None = None
) -> list[pl.Expr]:
    """One column per age; ages counted to the same day share one expression (Polars
    computes it once per member, however many programmes name it)."""
    born = _number(born)
    per_anchor = {
        anchor: years_between(born, day).cast(pl.Int64) for anchor, day in anchors.items()
    }
    return [per_anchor[anchor_of(f)].alias(f.name) for f in age_facts_of(facts)]


def derived_member_columns(
    event_date: pl.Expr, facts: dict[str, Fact] | None = None
) -> list[pl.Expr]:
    """The age columns for every derived member fact (built-in and the catalogue's)."""
    return ages_from_day_numbers(pl.col("birth_date"), age_day_numbers(event_date), facts)


# The same counts in plain Python, for one household (the guide). A property test
# keeps them equal to the expressions above.


def age_day_numbers_py(event_date: date) -> dict[str, int]:
    """``age_day_numbers`` for one event date."""
    after = event_date + timedelta(days=1)
    fiscal_year = event_date.year if event_date.month >= 4 else event_date.year - 1
    return {
        "after": day_number(after.year, after.month, after.day),
        "on": day_number(event_date.year, event_date.month, event_date.day),
        "april_1": day_number(fiscal_year, 4, 1),
    }


def ages_py(born: date | None, anchors: dict[str, int], ages: list[Fact]) -> dict[str, int | None]:
    """Each age of one member; unknown (None) without a birth date."""
    if born is None:
        return {f.name: None for f in ages}
    number = day_number(born.year, born.month, born.day)
    return {f.name: years_between(number, anchors[anchor_of(f)]) for f in ages}


def facts_markdown() -> str:
    """The catalogue guide's table of facts (docs/catalogue.md), made from the one
    definition of each fact; ``./dev catalog facts`` prints it."""

    def values(fact: Fact) -> str:
        if fact.choices:
            return "、".join(f"`'{v}'` {fact.choice_label(v)}" for v in fact.choices)
        if fact.dtype == pl.Boolean:
            return "はい/いいえ"
        return "日付" if fact.dtype == pl.Date else "数"

    def table(title: str, facts: dict[str, Fact]) -> list[str]:
        rows = [title, "", "| 項目 | 意味 | 値 |", "| --- | --- | --- |"]
        rows += [f"| `{f.name}` | {f.meaning} | {values(f)} |" for f in facts.values()]
        return rows

    household = {n: f for n, f in HOUSEHOLD_FACTS.items() if n != "event"}
    lines = table("世帯(`household:` の式):", household)
    lines += [""] + table("世帯員(`member:` / `count:` の式):", MEMBER_FACTS)
    return "\n".join(lines) + "\n"
