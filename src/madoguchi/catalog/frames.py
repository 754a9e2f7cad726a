"""Situations → the two tables the rules run on (households, members)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from madoguchi.catalog.facts import HOUSEHOLD_FACTS, HOUSEHOLD_SCHEMA, MEMBER_INPUT_SCHEMA
from madoguchi.catalog.situation import Situation

_MEMBER_FIELDS = [k for k in MEMBER_INPUT_SCHEMA if k not in ("hh", "idx", "unlisted")]


def situation_frames(
    situations: Sequence[Situation], today: date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One household row per situation (``hh`` = its index) and one row per member.

    A situation without an event date is evaluated as of ``today``; the guide then
    gives no dates and asks for the event date.
    """
    households: dict[str, list] = {k: [] for k in HOUSEHOLD_SCHEMA}
    members: dict[str, list] = {k: [] for k in MEMBER_INPUT_SCHEMA}
    for hh, situation in enumerate(situations):
        households["hh"].append(hh)
        households["event_date"].append(situation.event_date or today)
        for name in HOUSEHOLD_FACTS:
            households[name].append(getattr(situation, name))
        for idx, member in enumerate(situation.household()):
            members["hh"].append(hh)
            members["idx"].append(idx)
            members["unlisted"].append(situation.members is None and member.role is None)
            for name in _MEMBER_FIELDS:
                members[name].append(getattr(member, name))
    return (
        pl.DataFrame(households, schema=HOUSEHOLD_SCHEMA),
        pl.DataFrame(members, schema=MEMBER_INPUT_SCHEMA),
    )
