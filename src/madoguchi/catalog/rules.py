"""Procedure conditions, compiled once and evaluated for one household or millions.

A condition's leaves are SQL boolean expressions (``insurance = 'kokuho' AND age >= 20``)
parsed by Polars' own SQL front end (``pl.sql_expr``) into Polars expressions; the
tree around them (all / any / not / member / count) is plain catalogue data. There
is no ``eval`` and no parser of ours.

Unknown facts are nulls, and Polars' boolean operators follow Kleene's three-valued
logic, as SQL does: ``unknown AND false`` is false, ``unknown OR true`` is true, and
anything still depending on an unknown stays unknown. So one evaluation says, per
household and procedure, applies (true), does not apply (false) or may apply (null).

The same compiled expressions run over a one-row frame (the guide) and over a
population table (the push run), so the two can never disagree.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import polars as pl

from madoguchi.catalog.check_messages import closest, show, wrong_characters
from madoguchi.catalog.facts import (
    HOUSEHOLD_FACTS,
    HOUSEHOLD_SCHEMA,
    MEMBER_INPUT_SCHEMA,
    Fact,
    derived_member_columns,
    member_facts,
)
from madoguchi.catalog.schema import AgeRule, Condition, LifeEvent, Procedure

_SQL_STRING = re.compile(r"'((?:[^']|'')*)'")


class RuleError(ValueError):
    """A condition that cannot be compiled; ``path`` points into the procedure file."""

    def __init__(self, message: str, path: tuple):
        super().__init__(message)
        self.path = path


@dataclass(eq=False)
class Node:
    key: str
    condition: Condition
    path: tuple
    children: list[Node] = field(default_factory=list)
    expr: pl.Expr | None = None
    facts: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return self.condition.kind

    @property
    def scope(self) -> str | None:
        if self.kind == "household":
            return "household"
        if self.kind in ("member", "count"):
            return "member"
        return None

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


def _empty(scope: str, members: dict[str, Fact]) -> pl.DataFrame:
    if scope == "household":
        return pl.DataFrame(schema=HOUSEHOLD_SCHEMA)
    frame = pl.DataFrame(schema=dict(MEMBER_INPUT_SCHEMA) | {"event_date": pl.Date})
    return frame.with_columns(derived_member_columns(pl.col("event_date"), members))


def compile_leaf(
    sql: str,
    scope: str,
    path: tuple,
    members: dict[str, Fact] | None = None,
    *,
    trigger: bool = False,
) -> tuple[pl.Expr, tuple[str, ...]]:
    """Parse one SQL condition and check it only uses known facts and values.

    ``members`` are the member facts (the built-in ones and the catalogue's ages).
    Only the triggers made from a procedure's ``events:`` (``trigger``) may test the
    event: a condition is about who is eligible, which a population run asks too.
    """
    members = members if members is not None else member_facts()
    facts = HOUSEHOLD_FACTS if scope == "household" else members
    quoted = f"条件式「{show(sql)}」"
    # Full-width spaces, quotes or operators: Polars reads some of them, not all; a
    # condition is written in half-width (ASCII) characters only.
    wrong = wrong_characters(sql, r"[\x20-\x7e]")
    if wrong:
        also = "式は半角の文字で書いてください" if wrong.endswith("。") else ""
        raise RuleError(f"{quoted}に{wrong}{also}", path)
    try:
        expr = pl.sql_expr(sql)
    except Exception as exc:
        raise RuleError(f"条件式を読めません: {quoted}", path) from exc
    names = tuple(dict.fromkeys(expr.meta.root_names()))
    if "event" in names and not trigger:
        raise RuleError(
            f"{quoted}で出来事(event)は使えません。"
            "どの出来事で案内するかは events: に書いてください",
            path,
        )
    unknown = [n for n in names if n not in facts]
    if unknown:
        known = [f for f in facts if f != "event"]
        where, other, key = (
            ("世帯", members, "member")
            if scope == "household"
            else ("世帯員", HOUSEHOLD_FACTS, "household")
        )
        if all(n in other for n in unknown):  # 「household: "age >= 65"」
            hint = (
                f"。{'世帯員' if key == 'member' else '世帯'}の項目なので {key}: に書いてください"
            )
        else:
            meant = closest(unknown[0], known)
            hint = f"。「{meant}」のまちがいではありませんか" if meant else ""
        raise RuleError(
            f"{quoted}の「{'、'.join(unknown)}」は{where}の項目にありません{hint}"
            f"(使える項目: {'、'.join(known)})",
            path,
        )
    choices = {c for n in names for c in facts[n].choices}
    for literal in _SQL_STRING.findall(sql):
        if literal.replace("''", "'") not in choices:
            meant = closest(literal, choices)
            hint = f"。'{meant}' のまちがいではありませんか" if meant else ""
            raise RuleError(
                f"{quoted}の値 '{show(literal)}' は使えません{hint}"
                f"(使える値: {'、'.join(sorted(choices)) or 'なし'})",
                path,
            )
    try:
        dtype = _empty(scope, members).select(expr.alias("_")).schema["_"]
    except Exception as exc:
        raise RuleError(f"{quoted}を評価できません: {exc}", path) from exc
    if dtype != pl.Boolean:
        raise RuleError(f"{quoted}は「はい/いいえ」になる式にしてください", path)
    return expr, names


class Rules:
    """All procedures' conditions, compiled into one evaluation plan."""

    def __init__(
        self,
        procedures: list[Procedure],
        ages: list[AgeRule] | tuple = (),
        life_events: dict[str, LifeEvent] | None = None,
    ):
        self._counter = 0
        self.member_facts = member_facts(ages)
        self._life_events = life_events or {}
        # Per procedure: the guide's root (its trigger and who is eligible), and the
        # eligibility alone (``applies_when``; None when anyone is) for a population run.
        self.roots: dict[str, Node] = {}
        self.eligibility: dict[str, Node | None] = {}
        errors: list[RuleError] = []
        for proc in procedures:
            try:
                self.roots[proc.id], self.eligibility[proc.id] = self._build_procedure(proc)
            except* RuleError as group:
                for exc in group.exceptions:
                    exc.path = (proc.id, *exc.path)
                    errors.append(exc)
        if errors:
            raise ExceptionGroup("conditions", errors)
        nodes = [n for root in self.roots.values() for n in root.walk()]
        self.member_leaves = [n for n in nodes if n.scope == "member"]
        self.household_leaves = [n for n in nodes if n.scope == "household"]
        self.composites = [n for n in nodes if n.scope is None]
        self._plan()

    def _build_procedure(self, proc: Procedure) -> tuple[Node, Node | None]:
        """The guide's root: (one of the events [and that event's condition]) and the
        eligibility. Every problem of the procedure is reported, not just the first."""
        errors: list[RuleError] = []

        def build(condition: Condition, path: tuple, trigger: bool = False) -> Node | None:
            try:
                return self._build(condition, path, trigger=trigger)
            except RuleError as exc:
                errors.append(exc)
                return None

        triggers = []
        for event, extra in proc.events.items():
            life_event = self._life_events.get(event)
            name = (life_event.reason or life_event.name) if life_event else None
            happened = Condition(
                household=f"event = '{event}'",
                reason=name.ja if name else event,
                reason_en=name.en if name else None,
            )
            node = build(happened, ("events", event), trigger=True)
            if extra is not None:
                node = self._synthetic("all", [node, build(extra, ("events", event))])
            triggers.append(node)
        trigger = triggers[0] if len(triggers) == 1 else self._synthetic("any", triggers)
        eligible = build(proc.applies_when, ("applies_when",)) if proc.applies_when else None
        if errors:
            raise ExceptionGroup("procedure", errors)
        root = trigger if eligible is None else self._synthetic("all", [trigger, eligible])
        return root, eligible

    def _synthetic(self, kind: str, children: list[Node | None]) -> Node | None:
        """An all/any node the catalogue did not write (it combines written parts)."""
        if any(c is None for c in children):
            return None
        self._counter += 1
        field = {"all": "all_", "any": "any_"}[kind]
        condition = Condition.model_construct(**{field: [c.condition for c in children]})
        return Node(key=f"n{self._counter}", condition=condition, path=(), children=children)

    def _build(self, condition: Condition, path: tuple, trigger: bool = False) -> Node:
        self._counter += 1
        node = Node(key=f"n{self._counter}", condition=condition, path=path)
        if node.scope:
            sql = getattr(condition, condition.kind)
            node.expr, node.facts = compile_leaf(
                sql, node.scope, (*path, condition.kind), self.member_facts, trigger=trigger
            )
        else:
            name = {"all": "all", "any": "any", "not": "not"}[condition.kind]
            kids = condition.children
            for i, child in enumerate(kids):
                child_path = (*path, name, i) if name != "not" else (*path, name)
                node.children.append(self._build(child, child_path))
        return node

    def _inline(self, node: Node) -> pl.Expr:
        """A node as one expression over the household table's columns."""
        if node.scope:
            return self._leaf_exprs[node.key]
        parts = [self._inline(c) for c in node.children]
        if node.kind == "all":
            return functools.reduce(operator.and_, parts)
        if node.kind == "any":
            return functools.reduce(operator.or_, parts)
        return ~parts[0]

    def _plan(self) -> None:
        """Build the evaluation's expressions once; each call only runs them."""
        self._derived = derived_member_columns(pl.col("event_date"), self.member_facts)
        self._member_columns = [n.expr.alias(n.key) for n in self.member_leaves]
        aggregations = [pl.len().alias("_members")]
        for node in self.member_leaves:
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
        self._aggregations = aggregations
        # A household with no members at all: "some member …" is simply false (its
        # aggregates are null after the join; a one-household table has 0 members).
        self._leaf_exprs = {
            n.key: pl.when(pl.col("_members").is_null()).then(False).otherwise(pl.col(n.key))
            for n in self.member_leaves
        } | {n.key: n.expr for n in self.household_leaves}
        # Every node in one with_columns (a column cannot use another made in the same
        # call, so composites inline their leaves; Polars computes shared parts once).
        self._household_columns = [e.alias(k) for k, e in self._leaf_exprs.items()] + [
            self._inline(n).alias(n.key) for n in self.composites
        ]

    def evaluate(
        self, households: pl.DataFrame, members: pl.DataFrame
    ) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Evaluate every node for every household.

        ``households`` has ``hh``, ``event_date`` and the household facts; ``members``
        has ``hh``, ``idx``, ``birth_date`` and the member facts. Returns the
        households with one boolean (or null) column per node, and the members with
        one column per member-level leaf (used to find which member a question is
        about).
        """
        members = members.join(
            households.select("hh", "event_date"), on="hh", how="left"
        ).with_columns(self._derived)
        members = members.with_columns(self._member_columns)
        per_household = members.group_by("hh").agg(self._aggregations)
        result = households.join(per_household, on="hh", how="left")
        result = result.with_columns(self._household_columns)
        return result.drop("_members"), members

    def evaluate_one(
        self, household: pl.DataFrame, members: pl.DataFrame
    ) -> tuple[dict[str, bool | None], list[dict]]:
        """Evaluate every node for one household (the guide's case).

        The leaves are the same compiled Polars expressions as in :meth:`evaluate`;
        only the tree around them is combined here, in Python, with the same
        three-valued logic — for one household that is several times cheaper than
        Polars' per-call overhead. A property test checks that both agree.
        """
        event_date = household["event_date"][0]
        members = members.with_columns(pl.lit(event_date, pl.Date).alias("event_date"))
        member_rows = (
            members.with_columns(self._derived).with_columns(self._member_columns).to_dicts()
        )
        values = household.with_columns([n.expr.alias(n.key) for n in self.household_leaves]).row(
            0, named=True
        )
        unlisted = any(m["unlisted"] for m in member_rows)
        for node in self.member_leaves:
            column = [m[node.key] for m in member_rows]
            if node.kind == "member":
                values[node.key] = _any(column)
            else:
                surely = sum(v is True for v in column)
                at_most = len(member_rows) if not unlisted else 2**31
                at_most -= sum(v is False for v in column)
                need = node.condition.at_least
                values[node.key] = True if surely >= need else False if at_most < need else None
        for root in self.roots.values():
            _combine_into(root, values)
        return values, member_rows


def _any(values: list[bool | None]) -> bool | None:
    """Kleene OR: true if any is true, unknown if any is unknown, else false."""
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _all(values: list[bool | None]) -> bool | None:
    """Kleene AND: false if any is false, unknown if any is unknown, else true."""
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _combine_into(node: Node, values: dict[str, bool | None]) -> bool | None:
    if node.scope:
        return values[node.key]
    parts = [_combine_into(c, values) for c in node.children]
    if node.kind == "all":
        value = _all(parts)
    elif node.kind == "any":
        value = _any(parts)
    else:
        value = None if parts[0] is None else not parts[0]
    values[node.key] = value
    return value
