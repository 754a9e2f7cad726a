"""Situations → the two tables the rules run on (households, members).

``situation_rows`` gives one household as plain dicts (the guide's path, no Polars);
``situation_frames`` gives many as Polars frames with the same columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from madoguchi.catalog.facts import HOUSEHOLD_FACTS, HOUSEHOLD_SCHEMA, MEMBER_INPUT_SCHEMA
from madoguchi.catalog.situation import Member, Situation

_MEMBER_FIELDS = [k for k in MEMBER_INPUT_SCHEMA if k not in ("hh", "idx", "unlisted")]


def situation_rows(
    situation: Situation, today: date, hh: int = 0, members: list[Member] | None = None
) -> tuple[dict, list[dict]]:
    """The household's row and its members' rows, keyed like the frames' columns.

    A situation without an event date is evaluated as of ``today``; the guide then
    gives no dates and asks for the event date. ``members`` is
    ``situation.household()`` if the caller has it already.
    """
    household = {"hh": hh, "event_date": situation.event_date or today}
    for name in HOUSEHOLD_FACTS:
        household[name] = getattr(situation, name)
    unlisted = situation.members is None
    rows = []
    for idx, member in enumerate(situation.household() if members is None else members):
        row = {"hh": hh, "idx": idx, "unlisted": unlisted and member.role is None}
        for name in _MEMBER_FIELDS:
            row[name] = getattr(member, name)
        rows.append(row)
    return household, rows


def situation_frames(
    situations: Sequence[Situation], today: date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One household row per situation (``hh`` = its index) and one row per member."""
    households: dict[str, list] = {k: [] for k in HOUSEHOLD_SCHEMA}
    members: dict[str, list] = {k: [] for k in MEMBER_INPUT_SCHEMA}
    for hh, situation in enumerate(situations):
        household, people = situation_rows(situation, today, hh)
        for name, column in households.items():
            column.append(household[name])
        for row in people:
            for name, column in members.items():
                column.append(row[name])
    return (
        pl.DataFrame(households, schema=HOUSEHOLD_SCHEMA),
        pl.DataFrame(members, schema=MEMBER_INPUT_SCHEMA),
    )
