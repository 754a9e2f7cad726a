"""Every node for a whole population, as one lazy Polars query.

The straightforward plan (``rules_reference``, kept as the tests' oracle) runs a
few eager steps; this one gives Polars the whole query at once and does less work
for the same result:

* the event-side parts of the two ages (the day after the event, the fiscal year's
  4/1, as YYYYMMDD numbers) are computed once per household, not once per member;
* a condition written several times (``event = 'death'`` appears in many
  procedures) is computed once and copied to every node that uses it;
* a composite node reads its children's columns instead of repeating their
  expressions;
* the member table with its per-member answers is only built when asked for.

The output is the same frame, column for column (a test compares the two plans).
"""

from __future__ import annotations

import functools
import operator
from typing import TYPE_CHECKING

import polars as pl

from madoguchi.catalog.facts import age_day_numbers, ages_from_day_numbers

if TYPE_CHECKING:
    from madoguchi.catalog.rules import Node

_ON, _APRIL_1, _MEMBERS, _LISTED, _GROUP = "_on", "_april_1", "_members", "_listed", "_group"


def _same_condition(node: Node) -> str:
    """Nodes with equal keys here have identical expressions (Polars' own form)."""
    return node.expr.meta.serialize(format="json")


def _first_of_each(nodes: list[Node], key) -> dict[str, str]:
    """node key → the key of the first node with the same ``key(node)``."""
    first: dict[str, str] = {}
    out = {}
    for node in nodes:
        out[node.key] = first.setdefault(key(node), node.key)
    return out


class Population:
    def __init__(self, household_leaves: list[Node], member_leaves: list[Node], composites):
        self.member_keys = [n.key for n in member_leaves]
        self.household_keys = [n.key for n in household_leaves]
        self.composite_keys = [n.key for n in composites]

        # Member leaves: one column per distinct condition.
        self.member_source = _first_of_each(member_leaves, _same_condition)
        self.member_columns = [
            n.expr.alias(n.key) for n in member_leaves if self.member_source[n.key] == n.key
        ]
        # Household answers from members: one aggregation per distinct (condition,
        # quantifier), null for a household without any member row.
        self.aggregated = _first_of_each(
            member_leaves,
            lambda n: (self.member_source[n.key], n.kind, n.condition.at_least),
        )
        self.aggregations = [pl.col(_LISTED).count().alias(_MEMBERS)] + [
            _quantifier(n, self.member_source[n.key]).alias(n.key)
            for n in member_leaves
            if self.aggregated[n.key] == n.key
        ]
        # "Some member …" over no member at all is false (not null).
        self.member_answers = [
            pl.when(pl.col(_MEMBERS) == 0)
            .then(False)
            .otherwise(pl.col(self.aggregated[n.key]))
            .alias(n.key)
            for n in member_leaves
        ]
        household_source = _first_of_each(household_leaves, _same_condition)
        self.household_columns = [
            n.expr.alias(n.key) for n in household_leaves if household_source[n.key] == n.key
        ]
        self.household_copies = [
            pl.col(household_source[n.key]).alias(n.key)
            for n in household_leaves
            if household_source[n.key] != n.key
        ]
        self.composite_levels = _levels(composites)

    def evaluate(
        self, households: pl.DataFrame, members: pl.DataFrame, with_members: bool = True
    ) -> tuple[pl.DataFrame, pl.DataFrame | None]:
        # One join: each household followed by its members (a household without any
        # keeps one row of nulls, which the member count ignores).
        people = self._with_leaves(
            _event_days(households).join(
                members.lazy().with_columns(pl.lit(True).alias(_LISTED)),
                on="hh",
                how="left",
                maintain_order="left",
            )
        )
        # The join keeps each household's rows together, in the households' order, so
        # numbering the runs of ``hh`` gives a sorted group key: Polars aggregates
        # contiguous slices instead of hashing, and the answers come out in the
        # households' order, ready to be added as columns without a second join.
        group = pl.col("hh").rle_id().set_sorted().alias(_GROUP)
        answers = people.group_by(group, maintain_order=True).agg(self.aggregations).collect()
        if answers.height != households.height:
            raise ValueError("households: each hh must appear once")
        result = households.hstack(answers.drop(_GROUP)).lazy()
        result = result.with_columns(self.member_answers).with_columns(self.household_columns)
        result = result.with_columns(self.household_copies)
        for level in self.composite_levels:
            result = result.with_columns(level)
        order = [*households.columns, *self.member_keys, *self.household_keys, *self.composite_keys]
        members_out = self._members(households, members) if with_members else None
        return result.select(order).collect(), members_out

    def _with_leaves(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        """Members with their ages and one column per distinct member condition."""
        ages = ages_from_day_numbers(pl.col("birth_date"), pl.col(_ON), pl.col(_APRIL_1))
        return frame.with_columns(ages).with_columns(self.member_columns)

    def _members(self, households: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
        """The member table with event date, ages and one column per member leaf,
        in the input's row order (only built when a caller wants it)."""
        joined = members.lazy().join(
            _event_days(households, "event_date"), on="hh", how="left", maintain_order="left"
        )
        copies = [pl.col(self.member_source[k]).alias(k) for k in self.member_keys]
        columns = [*members.columns, "event_date", "age", "fiscal_age"]
        return self._with_leaves(joined).select(*columns, *copies).collect()


def _event_days(households: pl.DataFrame, *keep: str) -> pl.LazyFrame:
    """Per household, the day numbers its members' ages are counted to (once per
    household rather than once per member)."""
    on, april_1 = age_day_numbers(pl.col("event_date"))
    return households.lazy().select("hh", *keep, on.alias(_ON), april_1.alias(_APRIL_1))


def _quantifier(node: Node, column: str) -> pl.Expr:
    col = pl.col(column)
    if node.kind == "member":
        return col.any(ignore_nulls=False)
    need = node.condition.at_least
    surely = col.fill_null(False).sum()
    # The stand-in for unlisted members may be any number of people.
    at_most = (
        pl.when(pl.col("unlisted").any()).then(pl.lit(2**31)).otherwise(col.fill_null(True).sum())
    )
    return pl.when(surely >= need).then(True).when(at_most < need).then(False).otherwise(None)


def _levels(composites: list[Node]) -> list[list[pl.Expr]]:
    """Composite nodes as expressions over their children's columns, in batches that
    only read columns made by earlier batches (deepest first)."""
    depth: dict[str, int] = {}

    def height(node: Node) -> int:
        if node.key not in depth:
            depth[node.key] = 1 + max((height(c) for c in node.children), default=-1)
        return depth[node.key]

    levels: dict[int, list[pl.Expr]] = {}
    for node in composites:
        parts = [pl.col(c.key) for c in node.children]
        if node.kind == "all":
            expr = functools.reduce(operator.and_, parts)  # Kleene, as SQL's AND
        elif node.kind == "any":
            expr = functools.reduce(operator.or_, parts)
        else:
            expr = ~parts[0]
        levels.setdefault(height(node), []).append(expr.alias(node.key))
    return [levels[h] for h in sorted(levels)]
