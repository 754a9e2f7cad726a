"""Every node for a whole population, as two lazy Polars queries.

The straightforward plan (``rules_reference``, kept as the tests' oracle) joins the
members to their households, groups them back per household and joins again. This
one does less work for the same result (about half the time):

* the members are joined to their households on the key alone (merged when both
  are in household order), for the household's event day numbers, which are placed
  beside the member columns instead of gathering every column again;
* in household order each household's member rows are adjacent, so its counts are
  differences of running totals (no group_by, whose cost over a million tiny groups
  is per group and column), packed several conditions to an unsigned word and read
  back with bit masks (no division);
* the event-side parts of the ages (the day after the event, the event day, the
  fiscal year's 4/1, as YYYYMMDD numbers) are computed once per household, not once
  per member;
* text facts with a fixed list of values (role, sex, insurance) are compared as
  Polars enums: integers instead of strings;
* a condition written several times (``event = 'death'`` appears in many
  procedures) is computed once and copied to every node that uses it;
* a composite node reads its children's columns instead of repeating their
  expressions;
* the member table with its per-member answers is only built when asked for
  (``with_members=True``), from the same rows the counts were taken from.

The output is the same frame, column for column (a test compares the two plans).
"""

from __future__ import annotations

import functools
import operator
from typing import TYPE_CHECKING

import polars as pl

from madoguchi.catalog.facts import (
    ANCHORS,
    MEMBER_FACTS,
    Fact,
    age_day_numbers,
    age_facts_of,
    ages_from_day_numbers,
)

if TYPE_CHECKING:
    from madoguchi.catalog.rules import Node

_LAST = "_last"
_ANCHOR_COLUMNS = {a: f"_{a}" for a in ANCHORS}
_MEMBERS, _UNLISTED = "_members", "_unlisted"
# Bits per count, the fewest that hold the largest household: 4 serves households of
# up to 15 members (eight conditions to a word), 10 up to 1,023 (three to a word), a
# larger one (a dormitory) gets 31 (one to a word). Fewer words, fewer running totals.
_FIELD_BITS = (4, 10, 31)


class _Packing:
    """Several conditions' (surely, possibly) counts packed into unsigned 64-bit words.

    Per member, each condition is a pair of ``bits``-bit fields (surely, possibly)
    in a word: true adds 1 to both, unknown to "possibly" only; several conditions
    share a word, so one running total serves them all. A household's counts are
    differences of two running totals, exact as long as each count fits its field
    (the running totals themselves may wrap around 2⁶⁴).
    """

    def __init__(self, sources: list[str], bits: int):
        self.limit = 2**bits - 1  # the largest count a field holds
        per_word = 64 // (2 * bits)
        words = [sources[i : i + per_word] for i in range(0, len(sources), per_word)]
        self.word_of: dict[str, tuple[str, int, int]] = {}  # source → (word, surely, possibly)
        self.values = [pl.col("unlisted").fill_null(False).cast(pl.Int64).alias(_UNLISTED)]
        for w, keys in enumerate(words):
            word = f"_word{w}"
            parts = []
            for slot, key in enumerate(keys):
                possibly = 2 ** (2 * bits * slot)  # the low field of the pair
                surely = possibly * 2**bits
                self.word_of[key] = (word, surely, possibly)
                true, unknown = pl.lit(surely + possibly, pl.UInt64), pl.lit(possibly, pl.UInt64)
                parts.append((pl.col(key).cast(pl.UInt64) * true).fill_null(unknown))
            self.values.append(functools.reduce(operator.add, parts).alias(word))
        self.names = [_UNLISTED, *(f"_word{w}" for w in range(len(words)))]

    def at_least(self, source: str, which: str, n: int) -> pl.Expr:
        """Whether a household's surely / possibly count of ``source`` is ≥ ``n``,
        read from its word with a mask (no division: the field times its unit is
        the masked word)."""
        word, surely, possibly = self.word_of[source]
        unit = surely if which == "surely" else possibly
        field = pl.col(word) & pl.lit(unit * self.limit, pl.UInt64)
        return field >= pl.lit(unit * n, pl.UInt64)


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
    def __init__(
        self,
        household_leaves: list[Node],
        member_leaves: list[Node],
        composites,
        facts: dict[str, Fact] | None = None,
    ):
        # The member facts (built-in and the catalogue's ages): which ages to compute.
        self.facts = facts
        self.age_names = [f.name for f in age_facts_of(facts)]
        self.member_keys = [n.key for n in member_leaves]
        self.household_keys = [n.key for n in household_leaves]
        self.composite_keys = [n.key for n in composites]

        # Member leaves: one column per distinct condition (its first node's key).
        self.member_source = _first_of_each(member_leaves, _same_condition)
        sources = [n.key for n in member_leaves if self.member_source[n.key] == n.key]
        self.member_columns = [n.expr.alias(n.key) for n in member_leaves if n.key in sources]
        # Per household and distinct member condition, two counts: members for whom
        # it is surely true, and possibly true (true or unknown). They decide "some
        # member …" and "at least n members …" with Kleene's logic. They are packed
        # several to a word (``_Packing``), in fields as wide as the largest household
        # needs (``evaluate`` picks them).
        self.packings = {bits: _Packing(sources, bits) for bits in _FIELD_BITS}
        self.member_answers = {
            bits: [_quantifier(n, self.member_source[n.key], p).alias(n.key) for n in member_leaves]
            for bits, p in self.packings.items()
        }
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
        # Facts with a fixed list of values (role, sex, insurance) are compared as
        # Polars enums: an integer compare instead of a string one, for the same answers.
        self.enums = {
            f.name: pl.Enum(f.choices) for f in (facts or MEMBER_FACTS).values() if f.choices
        }

    def evaluate(
        self, households: pl.DataFrame, members: pl.DataFrame, with_members: bool = False
    ) -> tuple[pl.DataFrame, pl.DataFrame | None]:
        households, members = _flag_sorted(households), _flag_sorted(members)
        _check_unique(households)
        # Each member with their household's event day numbers: a join on the key
        # alone (merged, when both are in household order), placed beside the member
        # columns rather than gathering them all again.
        anchors = (
            members.lazy()
            .select("hh")
            .join(_event_days(households), on="hh", how="left", maintain_order="left")
            .drop("hh")
        )
        typed = _as_enums(members, self.enums)
        people = self._with_leaves(pl.concat([typed.lazy(), anchors], how="horizontal"))
        largest = _largest_household(members)
        bits = next(b for b in _FIELD_BITS if largest <= 2**b - 1)
        packing = self.packings[bits]
        counts = _counts(people, packing, members.get_column("hh").flags["SORTED_ASC"])
        missing = {_MEMBERS: 0, _UNLISTED: 0} | {w: 0 for w in packing.names[1:]}
        result = (
            households.lazy()
            .join(counts.lazy(), on="hh", how="left", maintain_order="left")
            .with_columns(
                pl.col(c).fill_null(pl.lit(v, counts.schema[c])) for c, v in missing.items()
            )
            .with_columns(self.member_answers[bits])
            .with_columns(self.household_columns)
            .with_columns(self.household_copies)
        )
        for level in self.composite_levels:
            result = result.with_columns(level)
        order = [*households.columns, *self.member_keys, *self.household_keys, *self.composite_keys]
        members_out = self._members(members, people) if with_members else None
        return result.select(order).collect(), members_out

    def _with_leaves(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        """Members with their ages and one column per distinct member condition."""
        anchors = {a: pl.col(c) for a, c in _ANCHOR_COLUMNS.items()}
        ages = ages_from_day_numbers(pl.col("birth_date"), anchors, self.facts)
        return frame.with_columns(ages).with_columns(self.member_columns)

    def _members(self, members: pl.DataFrame, people: pl.LazyFrame) -> pl.DataFrame:
        """The member table with event date, ages and one column per member leaf,
        in the input's row order: the same rows as the counts were taken from
        (only built when a caller asks for it)."""
        copies = [pl.col(self.member_source[k]).alias(k) for k in self.member_keys]
        return members.hstack(people.select("event_date", *self.age_names, *copies).collect())


def _counts(people: pl.LazyFrame, packing: _Packing, in_order: bool) -> pl.DataFrame:
    """Per household with members: its member count and packed counts (``hh`` and
    the packing's words, differences of running totals).

    With the members in household order, each household's rows are adjacent, so
    its counts are the running totals at its last row minus those at the previous
    household's: a few vectorised passes, where a group_by over a million small
    groups costs per group and column. Members in another order are sorted first
    (only the key and the packed words).
    """
    values = people.select("hh", *packing.values)
    if not in_order:
        values = values.sort("hh", maintain_order=True)
    last = pl.col("hh").ne_missing(pl.col("hh").shift(-1))
    totals = [pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias(_MEMBERS)]
    totals += [pl.col(c).cum_sum() for c in packing.names]
    return (
        values.select("hh", *totals, last.alias(_LAST))
        .filter(_LAST)
        .select("hh", pl.exclude("hh", _LAST) - pl.exclude("hh", _LAST).shift(1, fill_value=0))
        .collect()
    )


def _largest_household(members: pl.DataFrame) -> int:
    hh = members.get_column("hh")
    if hh.len() == 0:
        return 0
    if hh.flags["SORTED_ASC"]:
        return hh.rle().struct.field("len").max()
    return hh.value_counts()["count"].max()


def _as_enums(members: pl.DataFrame, enums: dict[str, pl.Enum]) -> pl.DataFrame:
    """``members`` with its text facts as enums; unchanged if a value is not one of
    the choices (the conditions then compare text, as written)."""
    casts = [
        pl.col(name).cast(enum)
        for name, enum in enums.items()
        if members.schema.get(name) == pl.String
    ]
    try:
        return members.with_columns(casts)
    except pl.exceptions.InvalidOperationError:
        return members


def _check_unique(households: pl.DataFrame) -> None:
    hh = households.get_column("hh")
    if hh.flags["SORTED_ASC"]:
        twice = households.height > 1 and (hh.diff() == 0).any()
    else:
        twice = hh.n_unique() != households.height
    if twice:
        raise ValueError("households: each hh must appear once")


def _flag_sorted(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with ``hh`` flagged as sorted if it is.

    Polars joins two sorted keys by merging rather than hashing (a third of the
    whole evaluation at a million households), but only knows a column is sorted
    from a flag that files do not keep; a population exported in household order
    gets it back here for the cost of one scan.
    """
    hh = frame.get_column("hh")
    if hh.flags["SORTED_ASC"] or not hh.is_sorted():
        return frame
    return frame.with_columns(hh.set_sorted())


def _event_days(households: pl.DataFrame) -> pl.LazyFrame:
    """Per household, the event date and the day numbers its members' ages are
    counted to (once per household rather than once per member)."""
    days = age_day_numbers(pl.col("event_date"))
    return households.lazy().select(
        "hh", "event_date", *(days[a].alias(c) for a, c in _ANCHOR_COLUMNS.items())
    )


def _quantifier(node: Node, source: str, packing: _Packing) -> pl.Expr:
    """A member-level node's answer for the household, from its packed counts."""

    def at_least(which: str, n: int) -> pl.Expr:
        return packing.at_least(source, which, n)

    nobody = pl.col(_MEMBERS) == 0  # "some member …" of no member at all is false
    if node.kind == "member":
        return (
            pl.when(nobody | ~at_least("possibly", 1)).then(False)
            .when(at_least("surely", 1)).then(True)
            .otherwise(None)
        )  # fmt: skip
    need = node.condition.at_least
    # The stand-in for unlisted members may be any number of people.
    too_few = (pl.col(_UNLISTED) == 0) & ~at_least("possibly", need)
    return (
        pl.when(nobody).then(False).when(at_least("surely", need)).then(True)
        .when(too_few).then(False)
        .otherwise(None)
    )  # fmt: skip


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
