"""A synthetic population for the rules benchmark: vectorised, seeded, Polars only.

``population(n, seed)`` returns ``(households, members)`` with exactly the schemas in
``madoguchi.catalog.facts`` (HOUSEHOLD_SCHEMA, MEMBER_INPUT_SCHEMA). Randomness is a
hash of the row number (``Expr.hash(seed)``), so the same ``n`` and ``seed`` give the
same frames with the same Polars version (Polars does not promise hash stability
across versions). No numpy: it is not a project dependency.

Shape (rough Japanese proportions, good enough to exercise every rule):
household size 1–6 (38 % single), events weighted towards moves, a birth household
always has a newborn as its last member and a death household a deceased (often the
elderly head of household); about 5–40 % of each fact is null (= unknown).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from madoguchi.catalog.facts import HOUSEHOLD_SCHEMA, MEMBER_INPUT_SCHEMA

EPOCH = date(2024, 4, 1)
SPAN_DAYS = 3 * 365
EVENTS = {"move_in": 0.30, "move_out": 0.25, "move_within": 0.15, "birth": 0.12,
          "marriage": 0.08, "death": 0.10}  # fmt: skip
SIZES = {1: 0.38, 2: 0.28, 3: 0.16, 4: 0.12, 5: 0.045, 6: 0.015}
SECOND = {"spouse": 0.70, "child": 0.20, "parent": 0.10}  # role of member 2
OTHERS = {"child": 0.75, "parent": 0.15, "other": 0.10}  # role of members 3..
YOUNGER = {"shaho": 0.62, "kokuho": 0.33, "none": 0.05}  # insurance below 75


class _Rng:
    """Independent uniform [0, 1) columns: one hash stream per call."""

    def __init__(self, seed: int):
        self.seed = seed
        self.stream = 0

    def __call__(self) -> pl.Expr:
        self.stream += 1
        rows = pl.int_range(0, pl.len(), dtype=pl.UInt64)
        return (rows.hash(self.seed * 1_000_003 + self.stream) // 2048).cast(pl.Float64) / 2.0**53


def _pick(u: pl.Expr, weights: dict) -> pl.Expr:
    """One of ``weights``' keys, drawn with its weight from the uniform ``u``."""
    total = sum(weights.values())
    *first, last = weights
    acc, chain = 0.0, None
    for value in first:
        acc += weights[value] / total
        chain = (pl.when(u < acc) if chain is None else chain.when(u < acc)).then(pl.lit(value))
    return chain.otherwise(pl.lit(last)) if chain is not None else pl.lit(last)


def _unknown(expr: pl.Expr, u: pl.Expr, share: float) -> pl.Expr:
    """``expr``, with ``share`` of the rows replaced by null (unknown)."""
    return pl.when(u < share).then(None).otherwise(expr)


def _households(n: int, rng: _Rng) -> pl.DataFrame:
    event = pl.col("event")
    return (
        pl.select(hh=pl.int_range(0, n, dtype=pl.Int64))
        .with_columns(
            event=_pick(rng(), EVENTS),
            event_date=pl.lit(EPOCH) + pl.duration(days=(rng() * SPAN_DAYS).cast(pl.Int64)),
            size=_pick(rng(), SIZES).cast(pl.Int64),
            single_parent=_unknown(rng() < 0.08, rng(), 0.25),
            has_dog=_unknown(rng() < 0.12, rng(), 0.30),
            owns_real_estate=_unknown(rng() < 0.45, rng(), 0.35),
            owns_moped=_unknown(rng() < 0.10, rng(), 0.30),
            moved_from_other_prefecture=_unknown(rng() < 0.40, rng(), 0.30),
            childbirth_grant_to_claim=_unknown(rng() < 0.30, rng(), 0.40),
        )
        # A birth household has the newborn and at least one parent.
        .with_columns(
            size=pl.when(event == "birth").then(pl.max_horizontal("size", 2)).otherwise("size"),
            # The 転出予定日 is a few days before a move-in; often not given.
            move_out_planned_date=pl.when((event == "move_in") & (rng() < 0.5)).then(
                pl.col("event_date") - pl.duration(days=(rng() * 10).cast(pl.Int64))
            ),
        )
    )


def _members(households: pl.DataFrame, rng: _Rng) -> pl.DataFrame:
    event, idx, role, age = pl.col("event"), pl.col("idx"), pl.col("role"), pl.col("age")
    last = idx == pl.col("size") - 1
    frame = (
        households.select("hh", "event", "event_date", "size")
        .with_columns(idx=pl.int_ranges(0, "size", dtype=pl.Int64))
        .explode("idx")
    )
    # Roles by position; the event's own person (newborn, deceased) is the last member.
    role_expr = (
        pl.when(last & (event == "birth")).then(pl.lit("newborn"))
        .when(last & (event == "death")).then(pl.lit("deceased"))
        .when(idx == 0).then(pl.lit("self"))
        .when(idx == 1).then(_pick(rng(), SECOND))
        .otherwise(_pick(rng(), OTHERS))
    )  # fmt: skip
    role_expr = pl.when(role_expr.is_in(["newborn", "deceased"]) | (rng() >= 0.02)).then(role_expr)
    u = rng()
    age_expr = (
        pl.when(role == "newborn").then(0.0)
        .when(role.is_in(["self", "spouse"]) & (event == "birth")).then(22 + 20 * u)
        .when(role.is_in(["self", "spouse"])).then(20 + 65 * u)
        .when(role == "child").then(pl.when(event == "birth").then(1 + 11 * u).otherwise(25 * u))
        .when(role == "parent").then(55 + 40 * u)
        .when(role == "deceased").then(50 + 50 * u.sqrt())  # mostly old
        .otherwise(90 * u)
    )  # fmt: skip
    frame = frame.with_columns(role=role_expr).with_columns(age=age_expr)
    kids = (role.is_in(["child", "newborn"]) & (age < 18)).any().over("hh")
    weight = 3050 + 450 * 2 * (rng() + rng() + rng() - 1.5)  # ~normal, ~10 % below 2,500 g
    deceased_head = (event == "death") & (pl.col("hh").hash(rng.seed) % 10 < 6)
    head = pl.when(deceased_head).then(role == "deceased").otherwise(idx == 0)
    frame = frame.with_columns(
        unlisted=pl.lit(False),
        birth_date=pl.when((role == "newborn") | (rng() >= 0.05)).then(
            pl.col("event_date") - pl.duration(days=(age * 365.25).cast(pl.Int64))
        ),
        sex=_unknown(
            pl.when(rng() < 0.5).then(pl.lit("female")).otherwise(pl.lit("male")), rng(), 0.05
        ),
        insurance=_unknown(
            pl.when(age >= 75).then(pl.lit("kouki")).otherwise(_pick(rng(), YOUNGER)),
            rng(),
            pl.when(role == "newborn").then(0.40).otherwise(0.12),
        ),
        has_mynumber_card=_unknown(rng() < 0.75, rng(), 0.15),
        birth_weight_g=pl.when(role == "newborn").then(
            _unknown(weight.clip(500, 5500).cast(pl.Int64), rng(), 0.20)
        ),
        care_certified=_unknown(
            pl.when(age >= 75)
            .then(rng() < 0.30)
            .when(age >= 65)
            .then(rng() < 0.10)
            .when(age >= 40)
            .then(rng() < 0.01)
            .otherwise(False),
            rng(),
            0.20,
        ),  # fmt: skip
        receives_child_allowance=_unknown(
            role.is_in(["self", "spouse", "deceased"]) & kids & (rng() < 0.55), rng(), 0.15
        ),
        receives_pension=_unknown(age >= 65, rng(), 0.15),
        # Most pensioners have some 厚生年金 too; the kind is often not known.
        pension_kind=pl.when(age >= 65).then(
            _unknown(
                pl.when(rng() < 0.7).then(pl.lit("employees")).otherwise(pl.lit("national_only")),
                rng(),
                0.40,
            )
        ),
        receives_child_rearing_allowance=_unknown(
            role.is_in(["self", "spouse"]) & kids & (rng() < 0.05), rng(), 0.20
        ),
        has_disability_certificate=_unknown(rng() < 0.05, rng(), 0.20),
        pregnant=_unknown(
            role.is_in(["self", "spouse"]) & (age < 45) & (rng() < 0.05), rng(), 0.30
        ),
        joins_national_pension=_unknown((age >= 20) & (age < 60) & (rng() < 0.1), rng(), 0.40),
        surname_changes=_unknown(role.is_in(["self", "spouse"]) & (rng() < 0.5), rng(), 0.30),
        head_of_household=_unknown(head, rng(), 0.10),
    )
    return frame


def population(n: int, seed: int = 20261120) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``n`` synthetic households and their members, in the rules' input schemas."""
    rng = _Rng(seed)
    households = _households(n, rng)
    members = _members(households, rng)
    households = households.select(list(HOUSEHOLD_SCHEMA)).cast(HOUSEHOLD_SCHEMA)
    members = members.select(list(MEMBER_INPUT_SCHEMA)).cast(MEMBER_INPUT_SCHEMA)
    assert dict(households.schema) == HOUSEHOLD_SCHEMA
    assert dict(members.schema) == MEMBER_INPUT_SCHEMA
    return households, members
