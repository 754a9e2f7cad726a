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
from datetime import date
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
        meaning="出来事の日の満年齢(年齢計算ニ関スル法律: 誕生日の前日に1つ増えます)",
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


def _years_between(born: pl.Expr, on: pl.Expr) -> pl.Expr:
    """Whole years from ``born`` to ``on`` (a birthday counts on its own date).

    The usual YYYYMMDD trick: the difference of the dates written as numbers,
    divided by 10000, is the number of birthdays passed — plain integer arithmetic,
    which is cheap over millions of rows.
    """

    def number(day: pl.Expr) -> pl.Expr:
        return day.dt.year() * 10000 + day.dt.month().cast(pl.Int32) * 100 + day.dt.day()

    return ((number(on) - number(born)) // 10000).cast(pl.Int64)


def age_on(born: pl.Expr, on: pl.Expr) -> pl.Expr:
    """満年齢 on a date, per 年齢計算ニ関スル法律: one reaches an age at the end of the day
    before the birthday, so on that day the new age already holds (and someone born
    on 2/29 is a year older on 2/28 of a common year)."""
    return _years_between(born, on + pl.duration(days=1))


def age_from_birthday(born: pl.Expr, on: pl.Expr) -> pl.Expr:
    """The age as a programme counts it when it takes effect on the birthday itself
    (後期高齢者医療: the 75th birthday; 高齢者の医療の確保に関する法律第52条)."""
    return _years_between(born, on)


def fiscal_year_start(on: pl.Expr) -> pl.Expr:
    """4/1 of the fiscal year (年度) that contains ``on``."""
    year = pl.when(on.dt.month() >= 4).then(on.dt.year()).otherwise(on.dt.year() - 1)
    return pl.date(year, 4, 1)


def derived_member_columns(
    event_date: pl.Expr, facts: dict[str, Fact] | None = None
) -> list[pl.Expr]:
    """The age columns for every derived member fact (built-in and the catalogue's)."""
    born = pl.col("birth_date")
    last_march_31 = fiscal_year_start(event_date) - pl.duration(days=1)
    columns = []
    for fact in (facts or MEMBER_FACTS).values():
        if fact.asked_as != "birth_date":
            continue
        on = last_march_31 if fact.fiscal else event_date
        count = age_from_birthday if fact.on_birthday else age_on
        columns.append(count(born, on).alias(fact.name))
    return columns


def facts_markdown() -> str:
    """The catalogue guide's table of facts (docs/catalogue.md), made from the one
    definition of each fact; ``./dev catalog facts`` prints it."""

    def values(fact: Fact) -> str:
        if fact.choices:
            return "、".join(f"`'{v}'` {fact.choice_label(v)}" for v in fact.choices)
        if fact.dtype == pl.Boolean:
            return "はい/いいえ"
        return "数"

    def table(title: str, facts: dict[str, Fact]) -> list[str]:
        rows = [title, "", "| 項目 | 意味 | 値 |", "| --- | --- | --- |"]
        rows += [f"| `{f.name}` | {f.meaning} | {values(f)} |" for f in facts.values()]
        return rows

    household = {n: f for n, f in HOUSEHOLD_FACTS.items() if n != "event"}
    lines = table("世帯(`household:` の式):", household)
    lines += [""] + table("世帯員(`member:` / `count:` の式):", MEMBER_FACTS)
    return "\n".join(lines) + "\n"
