"""A compiled condition leaf as a plain Python function, for one household.

Polars needs about 2 ms per call just to plan and run a query, however small the
frame; the guide evaluates one household per request. So each leaf's Polars
expression (the one ``pl.sql_expr`` made of the catalogue's SQL: still the only
definition of the condition) is translated once, at catalogue load, into nested
Python closures over a row dict. We do not parse the SQL again: we walk Polars' own
parsed expression (``Expr.meta.serialize(format="json")``).

The closures follow Polars' semantics, which are SQL's three-valued logic: None is
unknown, a comparison with None is None, AND/OR are Kleene's, NOT None is None,
``x IN (…)`` is None for a None ``x``, COALESCE takes the first known value, and
IS [NOT] NULL is never None.

Only the constructs the catalogues use are translated: column, integer / string /
boolean literal, the six comparisons, AND, OR, NOT, IN (a list without NULL),
BETWEEN (Polars writes it as two comparisons), IS [NOT] NULL, COALESCE, and the
no-op cast to boolean Polars puts under NOT. Anything else is refused at load with
:class:`Unsupported`, so ``./dev catalog check`` reports it rather than the guide
failing at run time; a new construct is added here together with its case in the
tests (which compare this path with Polars on every combination of values). The
serialized form is internal to Polars, which is pinned in ``uv.lock``: after an
upgrade that changes it, unknown shapes are refused at load and the tests say so.
"""

from __future__ import annotations

import io
import json
import operator
from collections.abc import Callable, Mapping
from typing import Any

import polars as pl

from madoguchi.catalog.facts import Fact, age_day_numbers_py, age_facts_of, ages_py

Row = Mapping[str, Any]
Function = Callable[[Row], Any]

SUPPORTED = "比較(= <> < <= > >=)、AND、OR、NOT、IN、BETWEEN、IS NULL、IS NOT NULL、COALESCE"

_DTYPES = {pl.Boolean: bool, pl.Int64: int, pl.Utf8: str}
_COMPARISONS = {
    "Eq": operator.eq,
    "NotEq": operator.ne,
    "Lt": operator.lt,
    "LtEq": operator.le,
    "Gt": operator.gt,
    "GtEq": operator.ge,
}
# How a refused Polars node is named in the message (SQL where there is one).
_SQL_NAMES = {
    "Plus": "+",
    "Minus": "-",
    "Multiply": "*",
    "TrueDivide": "/",
    "FloorDivide": "//",
    "Modulus": "%",
    "Rem": "%",
    "Xor": "XOR",
    "EqValidity": "IS NOT DISTINCT FROM",
    "NotEqValidity": "IS DISTINCT FROM",
    "Ternary": "CASE",
    "Null": "NULL",
    "Decimal": "小数",
    "Float": "小数",
    "StartsWith": "LIKE",
    "EndsWith": "LIKE",
    "Contains": "LIKE",
}


class Unsupported(ValueError):
    """A construct the one-household path does not translate."""


def python_function(expr: pl.Expr, columns: Mapping[str, Any]) -> Function:
    """``expr`` as a function of a row dict; ``columns`` maps names to Polars dtypes.

    Raises :class:`Unsupported` naming the first construct it cannot translate.
    """
    tree = json.loads(expr.meta.serialize(format="json"))
    dtypes = {name: _DTYPES.get(dtype) for name, dtype in columns.items()}
    function, dtype = _Compiler(dtypes).compile(tree)
    if dtype is not bool:
        raise Unsupported("「はい/いいえ」になる式ではありません")
    return function


def _refuse(name: str) -> Unsupported:
    shown = _SQL_NAMES.get(name, name)
    return Unsupported(f"「{shown}」はこの仕組みでは使えません(使えるもの: {SUPPORTED})")


def _only_key(node: Any) -> tuple[str, Any]:
    if isinstance(node, dict) and len(node) == 1:
        return next(iter(node.items()))
    if isinstance(node, str):
        return node, None
    raise _refuse(str(node)[:40])


class _Compiler:
    def __init__(self, dtypes: Mapping[str, type | None]):
        self.dtypes = dtypes

    def compile(self, node: Any) -> tuple[Function, type]:
        """(function of a row, the Python type of its known values)."""
        kind, body = _only_key(node)
        if kind == "Column":
            if self.dtypes.get(body) is None:
                raise _refuse(f"{body}")
            return operator.itemgetter(body), self.dtypes[body]
        if kind == "Literal":
            value = _scalar(body)
            return (lambda row: value), type(value)
        if kind == "BinaryExpr":
            return self.binary(body)
        if kind == "Function":
            return self.function(body)
        if kind == "Cast":
            # NOT wraps its operand in a strict cast to boolean: a no-op on a boolean.
            inner, dtype = self.compile(body["expr"])
            if body.get("dtype") != {"Literal": "Boolean"} or dtype is not bool:
                raise _refuse("CAST")
            return inner, bool
        raise _refuse(kind)

    def binary(self, body: dict) -> tuple[Function, type]:
        op = body["op"]
        left, left_type = self.compile(body["left"])
        right, right_type = self.compile(body["right"])
        if op in ("And", "Or"):
            if left_type is not bool or right_type is not bool:
                raise _refuse(op.upper())
            return (_and if op == "And" else _or)(left, right), bool
        if op not in _COMPARISONS:
            raise _refuse(op)
        if left_type is not right_type:
            raise Unsupported(
                f"型の違う値は比べられません({left_type.__name__} と {right_type.__name__})"
            )
        return _compare(_COMPARISONS[op], left, right), bool

    def function(self, body: dict) -> tuple[Function, type]:
        name, detail = _only_key(body["function"])
        inputs = body["input"]
        if name == "Boolean" and detail == "Not" and len(inputs) == 1:
            operand, dtype = self.compile(inputs[0])
            if dtype is not bool:
                raise _refuse("NOT")
            return _not(operand), bool
        if name == "Boolean" and detail in ("IsNull", "IsNotNull") and len(inputs) == 1:
            operand, _ = self.compile(inputs[0])
            return (_is_null if detail == "IsNull" else _is_not_null)(operand), bool
        if name == "Coalesce" and inputs:
            parts = [self.compile(i) for i in inputs]
            types = {t for _, t in parts}
            if len(types) != 1:
                raise Unsupported("COALESCE の値の型が揃っていません")
            return _coalesce([f for f, _ in parts]), types.pop()
        if name == "Sql" and detail == {"IsIn": {"nulls_equal": False}} and len(inputs) == 2:
            operand, dtype = self.compile(inputs[0])
            kind, series = _only_key(inputs[1])
            if kind != "Literal" or _only_key(series)[0] != "Series":
                raise _refuse("IN")
            values = _series_values(series["Series"])
            if None in values or any(type(v) is not dtype for v in values):
                raise Unsupported("IN の一覧には同じ型の値だけを書いてください(NULL は不可)")
            return _is_in(operand, frozenset(values)), bool
        if name == "Sql" and isinstance(detail, dict) and "Binary" in detail:
            # Polars' SQL front end wraps arithmetic and comparisons with decimals.
            op = detail["Binary"]
            raise _refuse("Decimal" if op in _COMPARISONS else op)
        while isinstance(detail, dict) and len(detail) == 1:
            name, detail = next(iter(detail.items()))
        raise _refuse(detail if isinstance(detail, str) else name)


def _scalar(body: Any) -> Any:
    kind, value = _only_key(body)
    if kind == "Dyn":
        kind, value = _only_key(value)
        if kind == "Int":
            return int(value)
    if kind == "Scalar":
        kind, value = _only_key(value)
        if kind in ("String", "Boolean") and value is not None:
            return value
    raise _refuse(kind)


def _series_values(raw: list[int]) -> list[Any]:
    # The IN list is serialized as an Arrow IPC stream of one list-typed value.
    frame = pl.read_ipc_stream(io.BytesIO(bytes(raw)))
    return frame.to_series()[0].to_list()


# --- The closures: Kleene's three-valued logic, None = unknown --------------------


def _compare(op: Callable[[Any, Any], bool], left: Function, right: Function) -> Function:
    def compare(row: Row) -> bool | None:
        a = left(row)
        if a is None:
            return None
        b = right(row)
        return None if b is None else op(a, b)

    return compare


def _and(left: Function, right: Function) -> Function:
    def both(row: Row) -> bool | None:
        a = left(row)
        if a is False:
            return False
        b = right(row)
        if b is False:
            return False
        return None if a is None or b is None else True

    return both


def _or(left: Function, right: Function) -> Function:
    def either(row: Row) -> bool | None:
        a = left(row)
        if a is True:
            return True
        b = right(row)
        if b is True:
            return True
        return None if a is None or b is None else False

    return either


def _not(operand: Function) -> Function:
    def negate(row: Row) -> bool | None:
        a = operand(row)
        return None if a is None else not a

    return negate


def _is_null(operand: Function) -> Function:
    return lambda row: operand(row) is None


def _is_not_null(operand: Function) -> Function:
    return lambda row: operand(row) is not None


def _coalesce(parts: list[Function]) -> Function:
    def coalesce(row: Row) -> Any:
        for part in parts:
            value = part(row)
            if value is not None:
                return value
        return None

    return coalesce


def _is_in(operand: Function, values: frozenset) -> Function:
    def is_in(row: Row) -> bool | None:
        a = operand(row)
        return None if a is None else a in values

    return is_in


# --- One household, every node --------------------------------------------------

Keys = tuple[str, ...]


class OneHousehold:
    """Every node of the catalogue for one household, in plain Python.

    Built once by ``Rules``; leaves with the same condition share one function
    (``keys`` are all the nodes it answers). ``quantifiers`` turn a member leaf into
    the household's answer ("some member …" when ``at_least`` is None, else "at least
    n members …"); ``composites`` come children first.
    """

    def __init__(
        self,
        household: list[tuple[Keys, Function]],
        member: list[tuple[Keys, Function]],
        quantifiers: list[tuple[str, int | None]],
        composites: list[tuple[str, str, Keys]],
        ages: dict[str, Fact] | None = None,
    ):
        # The member facts (built-in and the catalogue's): which ages to compute.
        self.ages = age_facts_of(ages)
        self.household = household
        self.member = member
        self.quantifiers = quantifiers
        self.composites = composites

    def evaluate(self, household: Row, members: list[Row]) -> tuple[dict, list[dict]]:
        values = dict(household)
        for keys, function in self.household:
            value = function(household)
            for key in keys:
                values[key] = value
        event_date = household["event_date"]
        anchors = age_day_numbers_py(event_date)
        rows = []
        for member in members:
            row = dict(member)
            row["event_date"] = event_date
            row.update(ages_py(member["birth_date"], anchors, self.ages))
            for keys, function in self.member:
                value = function(row)
                for key in keys:
                    row[key] = value
            rows.append(row)
        # The stand-in for unlisted members may be any number of people.
        unlisted = any(row["unlisted"] for row in rows)
        for key, at_least in self.quantifiers:
            column = [row[key] for row in rows]
            if at_least is None:
                values[key] = kleene_any(column)
                continue
            surely = sum(v is True for v in column)
            at_most = 2**31 if unlisted else len(column) - sum(v is False for v in column)
            values[key] = True if surely >= at_least else False if at_most < at_least else None
        for key, kind, children in self.composites:
            parts = [values[c] for c in children]
            if kind == "all":
                values[key] = kleene_all(parts)
            elif kind == "any":
                values[key] = kleene_any(parts)
            else:
                values[key] = None if parts[0] is None else not parts[0]
        return values, rows


def kleene_any(values: list[bool | None]) -> bool | None:
    """Kleene OR: true if any is true, unknown if any is unknown, else false."""
    if True in values:
        return True
    return None if None in values else False


def kleene_all(values: list[bool | None]) -> bool | None:
    """Kleene AND: false if any is false, unknown if any is unknown, else true."""
    if False in values:
        return False
    return None if None in values else True
