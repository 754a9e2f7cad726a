"""Procedure conditions, compiled once and evaluated for one household or millions.

A condition's leaves are SQL boolean expressions (``insurance = 'kokuho' AND age >= 20``)
parsed by Polars' own SQL front end (``pl.sql_expr``) into Polars expressions; the
tree around them (all / any / not / member / count) is plain catalogue data. There
is no ``eval`` and no parser of ours.

Unknown facts are nulls, and Polars' boolean operators follow Kleene's three-valued
logic, as SQL does: ``unknown AND false`` is false, ``unknown OR true`` is true, and
anything still depending on an unknown stays unknown. So one evaluation says, per
household and procedure, applies (true), does not apply (false) or may apply (null).

Each condition is defined once, by that Polars expression. A population (the push
run) evaluates it vectorised (``rules_population``); one household (the guide) runs
a plain Python translation of the very same expression, made at load
(``rules_python``), because a Polars call costs milliseconds even on one row. A
property test keeps the two paths equal node by node.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from madoguchi.catalog.check_messages import closest, show, wrong_characters
from madoguchi.catalog.facts import (
    EVENTS,
    HOUSEHOLD_FACTS,
    HOUSEHOLD_SCHEMA,
    MEMBER_INPUT_SCHEMA,
    Fact,
    derived_member_columns,
    member_facts,
)
from madoguchi.catalog.rules_population import Population
from madoguchi.catalog.rules_python import Function, OneHousehold, Unsupported, python_function
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

    # Cached: the guide reads them for every node of every request.
    @functools.cached_property
    def kind(self) -> str:
        return self.condition.kind

    @functools.cached_property
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
    # The guide runs each leaf as a Python function (``rules_python``): a construct it
    # cannot translate is refused here, at load, not when a resident asks.
    try:
        python_function(expr, _columns(facts))
    except Unsupported as exc:
        raise RuleError(f"{quoted}は使えない書き方を含みます: {exc}", path) from exc
    return expr, names


def _columns(facts: dict[str, Fact]) -> dict[str, pl.DataType]:
    return {n: f.dtype for n, f in facts.items()}


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
        self._events = {proc.id: set(proc.events) for proc in procedures}
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
        if not triggers:
            # Found by name only (no ``events:``): no life event brings it up, so its
            # guide root is false; its eligibility still answers a population run.
            never = Condition(household="FALSE", reason="できごとでは案内しない")
            triggers.append(build(never, ("events",), trigger=True))
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

    def _plan(self) -> None:
        """Build both evaluation plans once; each call only runs them."""
        self._population = Population(
            self.household_leaves, self.member_leaves, self.composites, self.member_facts
        )
        # One Python function per distinct condition (the same SQL compiles to the
        # same Polars expression), shared by every node that uses it.
        functions: dict[str, tuple[list[str], Function]] = {}
        for node in self.household_leaves + self.member_leaves:
            same = (node.scope, node.expr.meta.serialize(format="json"))
            if same not in functions:
                facts = HOUSEHOLD_FACTS if node.scope == "household" else self.member_facts
                functions[same] = ([], python_function(node.expr, _columns(facts)))
            functions[same][0].append(node.key)
        self._functions = functions
        self._one = self._one_plan(list(self.roots))
        # The guide's household has one event, and a procedure that event does not
        # bring up is false whatever else holds: its plan leaves those out.
        self._one_for_event = {
            event: self._one_plan([p for p, events in self._events.items() if event in events])
            for event in EVENTS
        }

    def _one_plan(self, procedure_ids: list[str]) -> OneHousehold:
        """The one-household plan for these procedures' nodes only."""
        nodes = [n for pid in procedure_ids for n in _children_first(self.roots[pid])]
        keys = {n.key for n in nodes}
        shared = {"household": [], "member": []}
        for (scope, _), (node_keys, function) in self._functions.items():
            mine = tuple(k for k in node_keys if k in keys)
            if mine:
                shared[scope].append((mine, function))
        return OneHousehold(
            ages=self.member_facts,
            household=shared["household"],
            member=shared["member"],
            quantifiers=[
                (n.key, n.condition.at_least if n.kind == "count" else None)
                for n in nodes
                if n.scope == "member"
            ],
            composites=[
                (n.key, n.kind, tuple(c.key for c in n.children)) for n in nodes if n.scope is None
            ],
        )

    def evaluate(
        self, households: pl.DataFrame, members: pl.DataFrame, *, with_members: bool = False
    ) -> tuple[pl.DataFrame, pl.DataFrame | None]:
        """Evaluate every node for every household (one lazy Polars query).

        ``households`` has ``hh``, ``event_date`` and the household facts; ``members``
        has ``hh``, ``idx``, ``unlisted``, ``birth_date`` and the member facts. Returns
        the households with one boolean (or null) column per node, and the members
        with ``event_date``, the derived ages and one column per member-level leaf
        (which member a question is about) only with ``with_members=True`` (else
        None: that table costs about as much again).
        """
        return self._population.evaluate(households, members, with_members)

    def evaluate_one(
        self,
        household: Mapping | pl.DataFrame,
        members: Sequence[Mapping] | pl.DataFrame,
        *,
        triggered_only: bool = False,
    ) -> tuple[dict[str, bool | None], list[dict]]:
        """Evaluate every node for one household (the guide's case), in plain Python.

        ``household`` is a dict with ``event_date`` and the household facts (one row
        of the households table), ``members`` one dict per member (rows of the
        members table); one-row frames are accepted too. Returns the household's
        facts plus one value per node key, and the member rows with the derived
        ages and one value per member-level leaf.

        The leaves are Python translations of the same compiled Polars expressions
        (``rules_python``): a Polars call costs milliseconds whatever the size of the
        frame. A property test keeps this path equal to :meth:`evaluate`.

        With ``triggered_only``, only the nodes of the procedures that the household's
        event brings up are evaluated (the others' roots are false); the guide needs
        no more.
        """
        if isinstance(household, pl.DataFrame):
            household = household.row(0, named=True)
        if isinstance(members, pl.DataFrame):
            members = members.to_dicts()
        plan = self._one_for_event[household["event"]] if triggered_only else self._one
        return plan.evaluate(household, members)


def _children_first(node: Node) -> Iterator[Node]:
    for child in node.children:
        yield from _children_first(child)
    yield node
