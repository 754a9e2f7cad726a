"""The population plan gives, frame for frame, what the plain reference plan gives."""

import polars as pl
import pytest
from bench.synthetic import population
from polars.testing import assert_frame_equal

from madoguchi.catalog.rules_reference import evaluate_reference


@pytest.fixture(scope="module")
def town():
    """3,000 synthetic households (5–40 % of each fact unknown), some without members."""
    households, members = population(3000, seed=7)
    return households, members.filter(pl.col("hh") % 50 != 0)


@pytest.mark.parametrize("shuffled", [False, True])
def test_same_frames_as_the_reference_plan(catalog, town, shuffled):
    households, members = town
    if shuffled:
        households = households.sample(fraction=1.0, shuffle=True, seed=3)
        members = members.sample(fraction=1.0, shuffle=True, seed=4)
    result, members_out = catalog.rules.evaluate(households, members, with_members=True)
    expected, expected_members = evaluate_reference(catalog.rules, households, members)
    assert_frame_equal(result, expected)
    assert_frame_equal(members_out, expected_members)
    # Without being asked for, the member table is not built; the households are the same.
    alone, none = catalog.rules.evaluate(households, members)
    assert_frame_equal(alone, expected)
    assert none is None


def test_a_household_listed_twice_in_a_row_is_refused(catalog, town):
    households, members = town
    twice = pl.concat([households.head(1), households.head(1), households.slice(1)])
    with pytest.raises(ValueError, match="each hh must appear once"):
        catalog.rules.evaluate(twice, members)


@pytest.mark.parametrize("size", [16, 1100])
def test_a_household_too_large_for_the_packed_counts_is_counted_exactly(catalog, town, size):
    """Counts are packed 4 bits to a field (15 members) when every household fits; a
    large family of 16 gets 10-bit fields and a dormitory of 1,100 31-bit ones, so
    no count wraps around."""
    households, members = town
    big = households.head(1)
    hh = big["hh"][0]
    template = members.filter(pl.col("hh") == hh).head(1)
    if template.height == 0:
        template = members.head(1).with_columns(pl.lit(hh).alias("hh"))
    dorm = pl.concat([template] * size).with_columns(
        pl.int_range(0, size).cast(pl.Int64).alias("idx"),
        pl.lit("other").alias("role"),
        pl.lit(True).alias("has_mynumber_card"),
    )
    result, _ = catalog.rules.evaluate(big, dorm, with_members=False)
    expected, _ = evaluate_reference(catalog.rules, big, dorm)
    assert_frame_equal(result, expected)
    # Every "some member …" over all of them is decided, as in the reference.
    leaf = next(n for n in catalog.rules.member_leaves if n.facts == ("has_mynumber_card",))
    assert result[leaf.key].to_list() == [True]


def test_the_guide_gives_each_sampled_household_the_population_answer(catalog, town):
    """The guide's one-household path (plain Python) and the population plan agree
    on every node for a sample of the synthetic town, members without a household
    row included."""
    households, members = town
    rules = catalog.rules
    result, members_out = rules.evaluate(households, members, with_members=True)
    nodes = [n for root in rules.roots.values() for n in root.walk()]
    sample = result.sample(n=300, seed=11)
    sample = pl.concat([sample, result.filter(pl.col("hh") % 50 == 0).head(5)])  # no members
    by_household = members.partition_by("hh", as_dict=True)
    member_keys = [n.key for n in rules.member_leaves]
    for row in sample.iter_rows(named=True):
        mine = by_household.get((row["hh"],))
        household = households.filter(pl.col("hh") == row["hh"]).row(0, named=True)
        values, rows = rules.evaluate_one(household, mine.to_dicts() if mine is not None else [])
        assert {n.key: values[n.key] for n in nodes} == {n.key: row[n.key] for n in nodes}
        theirs = members_out.filter(pl.col("hh") == row["hh"]).sort("idx")
        columns = ["idx", "age", "fiscal_age", *member_keys]
        assert [{k: r[k] for k in columns} for r in rows] == theirs.select(columns).to_dicts()


def test_members_of_an_unknown_household_and_an_empty_town(catalog, town):
    """Members whose household is not in the households table count for nobody (and
    keep their row, without an event date, in the member table); a town without
    members gives every household the no-member answers."""
    households, members = town
    stray = members.head(3).with_columns(pl.lit(10**9, pl.Int64).alias("hh"))
    more = pl.concat([members, stray])
    for people in (more, members.clear()):
        result, members_out = catalog.rules.evaluate(households, people, with_members=True)
        expected, expected_members = evaluate_reference(catalog.rules, households, people)
        assert_frame_equal(result, expected)
        assert_frame_equal(members_out, expected_members)
    assert members_out.height == 0


def test_a_value_outside_the_choices_is_compared_as_text(catalog, town):
    """Role, sex and insurance are compared as enums for speed; a population holding
    another value still gets the answers the conditions give on text."""
    households, members = town
    odd = members.with_columns(
        pl.when(pl.col("idx") == 0).then(pl.lit("lodger")).otherwise("role").alias("role")
    )
    result, members_out = catalog.rules.evaluate(households, odd, with_members=True)
    expected, expected_members = evaluate_reference(catalog.rules, households, odd)
    assert_frame_equal(result, expected)
    assert_frame_equal(members_out, expected_members)
