"""The rules engine: three-valued logic, member quantifiers, and the promise that
one household and a whole population are evaluated the same way."""

from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from madoguchi.catalog.facts import EVENTS
from madoguchi.catalog.frames import situation_frames, situation_rows
from madoguchi.catalog.rules import RuleError, Rules, compile_leaf
from madoguchi.catalog.rules_reference import evaluate_reference
from madoguchi.catalog.schema import Condition, Deadline, Procedure
from madoguchi.catalog.situation import Member, Situation

TODAY = date(2026, 11, 25)


def procedure(pid: str, condition: dict | None, events: list[str] = EVENTS) -> Procedure:
    return Procedure(
        id=pid,
        name="x",
        department="d",
        events=list(events),
        applies_when=Condition.model_validate(condition) if condition else None,
        deadline=Deadline(text="x"),
        explanation="x",
    )


def outcome(rules: Rules, situation: Situation) -> dict[str, bool | None]:
    """Each procedure's result for one household, by both paths (which must agree)."""
    one, _ = rules.evaluate_one(*situation_rows(situation, TODAY))
    evaluated, _ = rules.evaluate(*situation_frames([situation], TODAY))
    row = evaluated.row(0, named=True)
    assert {n.key: one[n.key] for n in all_nodes(rules)} == {
        n.key: row[n.key] for n in all_nodes(rules)
    }
    return {pid: one[node.key] for pid, node in rules.roots.items()}


def all_nodes(rules: Rules):
    return [n for root in rules.roots.values() for n in root.walk()]


@pytest.fixture(scope="module")
def toy() -> Rules:
    return Rules(
        [
            procedure("dog-and-birth", {"household": "has_dog", "reason": "b"}, ["birth"]),
            procedure(
                "dog-or-estate",
                {
                    "any": [
                        {"household": "has_dog", "reason": "a"},
                        {"household": "owns_real_estate", "reason": "b"},
                    ]
                },
            ),
            procedure("no-dog", {"not": {"household": "has_dog"}, "reason": "c"}),
            procedure("elderly", {"member": "age >= 65", "reason": "d"}),
            procedure("two-adults", {"count": "age >= 15", "at_least": 2, "reason": "e"}),
        ]
    )


def test_unknown_and_false_is_false_unknown_and_true_is_unknown(toy):
    assert outcome(toy, Situation(event="move_in", has_dog=None))["dog-and-birth"] is False
    assert outcome(toy, Situation(event="birth", has_dog=None))["dog-and-birth"] is None
    assert outcome(toy, Situation(event="birth", has_dog=True))["dog-and-birth"] is True


def test_unknown_or_true_is_true(toy):
    assert outcome(toy, Situation(event="birth", owns_real_estate=True))["dog-or-estate"] is True
    assert outcome(toy, Situation(event="birth", owns_real_estate=False))["dog-or-estate"] is None
    assert (
        outcome(toy, Situation(event="birth", has_dog=False, owns_real_estate=False))[
            "dog-or-estate"
        ]
        is False
    )


def test_not_unknown_stays_unknown(toy):
    assert outcome(toy, Situation(event="birth"))["no-dog"] is None
    assert outcome(toy, Situation(event="birth", has_dog=False))["no-dog"] is True


def test_some_member_with_unknown_age_is_unknown_not_false(toy):
    known_young = Member(role="self", birth_date=date(1990, 1, 1))
    unknown = Member(role="spouse")
    elder = Member(role="parent", birth_date=date(1950, 1, 1))
    s = Situation(event="move_in", event_date=date(2026, 11, 20), members=[known_young])
    assert outcome(toy, s)["elderly"] is False
    s = Situation(event="move_in", event_date=date(2026, 11, 20), members=[known_young, unknown])
    assert outcome(toy, s)["elderly"] is None
    s = Situation(event="move_in", event_date=date(2026, 11, 20), members=[unknown, elder])
    assert outcome(toy, s)["elderly"] is True


def test_an_unlisted_household_is_unknown_not_empty(toy):
    # No member list at all: nobody is known, so "some member is 65+" is open.
    assert (
        outcome(toy, Situation(event="move_in", event_date=date(2026, 11, 20)))["elderly"] is None
    )
    # An explicitly empty list is a household with nobody in it.
    assert outcome(toy, Situation(event="move_in", members=[]))["elderly"] is False


def test_count_bounds_with_unknowns(toy):
    adult = Member(role="self", birth_date=date(1980, 1, 1))
    child = Member(role="child", birth_date=date(2020, 1, 1))
    unknown = Member(role="spouse")
    adult_spouse = Member(role="spouse", birth_date=date(1981, 1, 1))
    day = date(2026, 11, 20)
    assert (
        outcome(toy, Situation(event="move_in", event_date=day, members=[adult, adult_spouse]))[
            "two-adults"
        ]
        is True
    )
    assert (
        outcome(toy, Situation(event="move_in", event_date=day, members=[adult, child]))[
            "two-adults"
        ]
        is False
    )
    assert (
        outcome(toy, Situation(event="move_in", event_date=day, members=[adult, unknown]))[
            "two-adults"
        ]
        is None
    )
    # An unlisted household could hold any number of people.
    assert outcome(toy, Situation(event="move_in", event_date=day))["two-adults"] is None


@pytest.mark.parametrize(
    ("sql", "scope", "message"),
    [
        ("event = 'birth' AND", "household", "読めません"),
        ("colour = 'red'", "household", "「colour」は世帯の項目にありません"),
        ("age >= 65", "household", "「age」は世帯の項目にありません"),
        ("insurance = 'kokuhou'", "member", "値 'kokuhou' は使えません"),
        ("age + 1", "member", "「はい/いいえ」になる式"),
        # Constructs the one-household path does not translate: refused at load.
        ("age + 1 >= 65", "member", "「+」はこの仕組みでは使えません"),
        (
            "CASE WHEN has_dog THEN single_parent ELSE owns_real_estate END",
            "household",
            "「CASE」はこの仕組みでは使えません",
        ),
    ],
)
def test_bad_conditions_are_refused_with_a_reason(sql, scope, message):
    with pytest.raises(RuleError) as caught:
        compile_leaf(sql, scope, ("applies_when",))
    assert message in str(caught.value)


# --- Property: the guide's path (one household) and the population's agree ---------

dates = st.dates(min_value=date(1915, 1, 1), max_value=date(2026, 12, 31))
maybe_bool = st.sampled_from([None, True, False])
members = st.builds(
    Member,
    role=st.sampled_from(
        [None, "self", "spouse", "child", "parent", "other", "newborn", "deceased"]
    ),
    birth_date=st.one_of(st.none(), dates),
    insurance=st.sampled_from([None, "kokuho", "shaho", "kouki", "none"]),
    has_mynumber_card=maybe_bool,
    birth_weight_g=st.one_of(st.none(), st.integers(400, 5000)),
    care_certified=maybe_bool,
    receives_child_allowance=maybe_bool,
    receives_pension=maybe_bool,
    head_of_household=maybe_bool,
)


@st.composite
def situations(draw) -> Situation:
    event_date = draw(st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2027, 12, 31))))
    people = draw(st.one_of(st.none(), st.lists(members, max_size=6)))
    if people and event_date:
        people = [
            m.model_copy(update={"birth_date": min(m.birth_date, event_date)})
            if m.birth_date
            else m
            for m in people
        ]
    event = draw(st.sampled_from(EVENTS))
    if people:
        # The situation refuses a second 本人 and a deceased outside a death.
        seen_self = False
        for i, m in enumerate(people):
            if m.role == "deceased" and event != "death" or m.role == "self" and seen_self:
                people[i] = m.model_copy(update={"role": "other"})
            seen_self = seen_self or m.role == "self"
    return Situation(
        event=event,
        event_date=event_date,
        members=people,
        single_parent=draw(maybe_bool),
        has_dog=draw(maybe_bool),
        owns_real_estate=draw(maybe_bool),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(situations(), min_size=1, max_size=25))
def test_one_by_one_and_vectorised_agree(catalog, batch):
    """The guide's Python path, the population's lazy Polars plan and the plain
    reference plan give the same value for every node, household and member."""
    rules = catalog.rules
    nodes = all_nodes(rules)
    member_keys = [n.key for n in rules.member_leaves]
    one_by_one, their_members = [], []
    for hh, s in enumerate(batch):
        values, rows = rules.evaluate_one(*situation_rows(s, TODAY, hh))
        one_by_one.append({n.key: values[n.key] for n in nodes})
        their_members += [
            {k: row[k] for k in ("hh", "idx", "age", "fiscal_age", *member_keys)} for row in rows
        ]

    households, members_frame = situation_frames(batch, TODAY)
    # Shuffle the population's rows: the result must not depend on their order.
    households = households.sample(fraction=1.0, shuffle=True, seed=1)
    members_frame = members_frame.sample(fraction=1.0, shuffle=True, seed=2)
    evaluated, members_out = rules.evaluate(households, members_frame, with_members=True)
    reference, reference_members = evaluate_reference(rules, households, members_frame)
    assert_frame_equal(evaluated, reference)
    assert_frame_equal(members_out, reference_members)
    assert_frame_equal(rules.evaluate(households, members_frame)[0], reference)

    together = [
        {n.key: row[n.key] for n in nodes} for row in evaluated.sort("hh").iter_rows(named=True)
    ]
    assert together == one_by_one
    columns = ["hh", "idx", "age", "fiscal_age", *member_keys]
    assert members_out.sort("hh", "idx").select(columns).to_dicts() == their_members


def test_an_unsupported_construct_is_refused_when_the_rules_are_built():
    with pytest.raises(ExceptionGroup) as caught:
        Rules([procedure("ok", {"household": "has_dog"}),
               procedure("bad", {"member": "birth_weight_g % 2 = 0", "reason": "x"})])  # fmt: skip
    [error] = caught.value.exceptions
    assert error.path == ("bad", "applies_when", "member")
    assert "「%」はこの仕組みでは使えません" in str(error)


def test_frames_have_one_row_per_household_and_member(takahashi_birth, saito_move_in):
    households, members_frame = situation_frames([takahashi_birth, saito_move_in], TODAY)
    assert households.height == 2
    assert members_frame.group_by("hh").len().sort("hh")["len"].to_list() == [3, 4]
    assert members_frame.schema["birth_date"] == pl.Date


def test_a_death_implies_a_deceased_member_of_unknown_age(toy):
    adult = Member(role="self", birth_date=date(1980, 1, 1))
    child = Member(role="child", birth_date=date(2020, 1, 1))
    s = Situation(event="death", event_date=date(2026, 11, 20), members=[adult, child])
    assert outcome(toy, s)["two-adults"] is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(situations())
def test_the_guide_plan_for_one_event_agrees_with_the_whole_plan(catalog, s):
    """The guide evaluates only the procedures its event brings up; each of their
    nodes is as the whole plan says, and every other procedure is false there."""
    rules = catalog.rules
    everything, _ = rules.evaluate_one(*situation_rows(s, TODAY))
    triggered, _ = rules.evaluate_one(*situation_rows(s, TODAY), triggered_only=True)
    brought_up = {p.id for p in catalog.procedures.values() if s.event in p.events}
    assert brought_up
    for pid, root in rules.roots.items():
        if pid in brought_up:
            for node in root.walk():
                assert triggered[node.key] == everything[node.key]
        else:
            assert everything[root.key] is False
            assert root.key not in triggered


def test_a_procedure_without_events_is_never_brought_up_but_its_eligibility_is_kept():
    """Found by name only (no ``events:``): its guide root is false on both paths for
    every event, while ``applies_when`` still answers a population run."""
    by_name = procedure("by-name", {"member": "age >= 65", "reason": "65歳以上"})
    by_name = Procedure.model_validate(by_name.model_dump(exclude={"events"}, by_alias=True))
    assert by_name.events == {}
    rules = Rules([by_name, procedure("on-events", None)])
    for event in EVENTS:
        old = Situation(
            event=event,
            event_date=date(2026, 11, 20),
            members=[Member(role="self", birth_date=date(1950, 1, 1))],
        )
        assert outcome(rules, old)["by-name"] is False
        assert outcome(rules, old)["on-events"] is True
        evaluated, _ = rules.evaluate(*situation_frames([old], TODAY))
        assert evaluated[rules.eligibility["by-name"].key].to_list() == [True]
