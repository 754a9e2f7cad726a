"""The one-household compiler: Polars' parsed condition as a Python function.

Each supported construct is checked against Polars itself on every combination of
values (None included), so the two paths agree by construction of the test, not
by our reading of SQL's rules; and every construct the catalogues do not use is
refused when the catalogue is loaded.
"""

import itertools

import polars as pl
import pytest

from madoguchi.catalog.rules_python import Unsupported, kleene_all, kleene_any, python_function

COLUMNS = {"a": pl.Boolean, "b": pl.Boolean, "c": pl.Boolean, "n": pl.Int64, "s": pl.Utf8}
VALUES = {
    "a": [None, True, False],
    "b": [None, True, False],
    "c": [None, True, False],
    "n": [None, -3, 0, 5, 6, 14, 15, 75],
    "s": [None, "kokuho", "shaho", "kouki", ""],
}

SUPPORTED = [
    "a",
    "a AND b",
    "a OR b",
    "NOT a",
    "a AND NOT (b OR c)",
    "a OR b AND c",
    "NOT (a AND b) OR c",
    "a = b",
    "a <> TRUE",
    "n = 5",
    "n <> 5",
    "n < 6",
    "n <= 6",
    "n > 14",
    "n >= -3",
    "5 < n",
    "n BETWEEN 6 AND 14",
    "n NOT BETWEEN 6 AND 14",
    "s = 'kokuho'",
    "s <> 'kokuho'",
    "s < 'kouki'",
    "s IN ('kokuho', 'none')",
    "s NOT IN ('kokuho', 'none')",
    "NOT (s IN ('kokuho'))",
    "n IN (0, 15)",
    "s IS NULL",
    "n IS NOT NULL",
    "a IS NULL OR b",
    "COALESCE(a, b)",
    "COALESCE(a, b, c)",
    "COALESCE(n >= 75, false)",
    "NOT COALESCE(s IN ('kokuho', 'shaho'), false)",
    "n >= 65 OR (a AND NOT COALESCE(n < 40, false))",
    "COALESCE(n, 0) > 5",
    "COALESCE(s, 'none') = 'none'",
]


def polars_values(sql: str, names: list[str]) -> tuple[list, list[dict]]:
    rows = [
        dict(zip(names, combo, strict=True))
        for combo in itertools.product(*(VALUES[n] for n in names))
    ]
    frame = pl.DataFrame(rows, schema={n: COLUMNS[n] for n in names})
    return frame.select(pl.sql_expr(sql).alias("_"))["_"].to_list(), rows


@pytest.mark.parametrize("sql", SUPPORTED)
def test_python_equals_polars_on_every_combination(sql):
    expr = pl.sql_expr(sql)
    names = sorted(set(expr.meta.root_names()))
    expected, rows = polars_values(sql, names)
    function = python_function(expr, COLUMNS)
    got = [function(row) for row in rows]
    mismatches = [
        (r, e, g)
        for r, e, g in zip(rows, expected, got, strict=True)
        if e != g or type(e) is not type(g)
    ]
    assert not mismatches, f"{sql}: {mismatches[:5]}"


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        ("CASE WHEN a THEN b ELSE c END", "CASE"),
        ("n + 1 > 3", "+"),
        ("n % 2 = 0", "%"),
        ("n IS DISTINCT FROM 3", "IS DISTINCT FROM"),
        ("a = NULL", "NULL"),
        ("n > 1.5", "小数"),
        ("s LIKE 'ko%'", "LIKE"),
        ("s IN ('kokuho', NULL)", "NULL は不可"),
        ("UPPER(s) = 'KOKUHO'", "Uppercase"),
        ("n", "はい/いいえ"),
        ("NOT n = 3 AND n", "AND"),
        ("s = 3", "型の違う値"),
    ],
)
def test_anything_else_is_refused(sql, named):
    try:
        expr = pl.sql_expr(sql)
    except Exception:
        pytest.skip("Polars does not parse it at all (refused earlier)")
    with pytest.raises(Unsupported) as caught:
        python_function(expr, COLUMNS)
    assert named in str(caught.value)


def test_kleene_any_and_all():
    assert kleene_any([None, True]) is True
    assert kleene_any([None, False]) is None
    assert kleene_any([False, False]) is False
    assert kleene_any([]) is False
    assert kleene_all([None, False]) is False
    assert kleene_all([None, True]) is None
    assert kleene_all([True]) is True
    assert kleene_all([]) is True
