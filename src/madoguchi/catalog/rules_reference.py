"""The straightforward population plan, kept as an oracle.

This is how ``Rules.evaluate`` worked before it became one lazy query
(``rules_population``): eager steps, every leaf computed where it appears, ages per
member, composites as their leaves' expressions inlined. It is easy to check by
reading, so the tests compare the faster plan with it, and ``./dev bench guide``
times both in the same run. Not used by the application.
"""

from __future__ import annotations

import functools
import operator
from typing import TYPE_CHECKING

import polars as pl

from madoguchi.catalog.facts import derived_member_columns

if TYPE_CHECKING:
    from madoguchi.catalog.rules import Node, Rules


def evaluate_reference(
    rules: Rules, households: pl.DataFrame, members: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Same inputs and outputs as ``Rules.evaluate``."""
    member_leaves, household_leaves = rules.member_leaves, rules.household_leaves
    aggregations = [pl.len().alias("_members")]
    for node in member_leaves:
        col = pl.col(node.key)
        if node.kind == "member":
            aggregations.append(col.any(ignore_nulls=False).alias(node.key))
            continue
        need = node.condition.at_least
        surely = col.fill_null(False).sum()
        at_most = (
            pl.when(pl.col("unlisted").any())
            .then(pl.lit(2**31))
            .otherwise(col.fill_null(True).sum())
        )
        aggregations.append(
            pl.when(surely >= need)
            .then(True)
            .when(at_most < need)
            .then(False)
            .otherwise(None)
            .alias(node.key)
        )
    leaf_exprs = {
        n.key: pl.when(pl.col("_members").is_null()).then(False).otherwise(pl.col(n.key))
        for n in member_leaves
    } | {n.key: n.expr for n in household_leaves}

    def inline(node: Node) -> pl.Expr:
        if node.scope:
            return leaf_exprs[node.key]
        parts = [inline(c) for c in node.children]
        if node.kind == "all":
            return functools.reduce(operator.and_, parts)
        if node.kind == "any":
            return functools.reduce(operator.or_, parts)
        return ~parts[0]

    household_columns = [e.alias(k) for k, e in leaf_exprs.items()] + [
        inline(n).alias(n.key) for n in rules.composites
    ]
    members = members.join(households.select("hh", "event_date"), on="hh", how="left").with_columns(
        derived_member_columns(pl.col("event_date"), rules.member_facts)
    )
    members = members.with_columns([n.expr.alias(n.key) for n in member_leaves])
    per_household = members.group_by("hh").agg(aggregations)
    result = households.join(per_household, on="hh", how="left")
    result = result.with_columns(household_columns)
    return result.drop("_members"), members
