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


def test_a_household_too_large_for_the_packed_counts_is_counted_exactly(catalog, town):
    """Counts are packed 10 bits to a field (1,023 members); a dormitory of 1,100 is
    counted again with wider fields, not wrapped around."""
    households, members = town
    big = households.head(1)
    hh = big["hh"][0]
    template = members.filter(pl.col("hh") == hh).head(1)
    if template.height == 0:
        template = members.head(1).with_columns(pl.lit(hh).alias("hh"))
    dorm = pl.concat([template] * 1100).with_columns(
        pl.int_range(0, 1100).cast(pl.Int64).alias("idx"),
        pl.lit("other").alias("role"),
        pl.lit(True).alias("has_mynumber_card"),
    )
    result, _ = catalog.rules.evaluate(big, dorm, with_members=False)
    expected, _ = evaluate_reference(catalog.rules, big, dorm)
    assert_frame_equal(result, expected)
    # Every "some member …" over the 1,100 people is decided, as in the reference.
    leaf = next(n for n in catalog.rules.member_leaves if n.facts == ("has_mynumber_card",))
    assert result[leaf.key].to_list() == [True]
