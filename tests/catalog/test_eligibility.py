"""When a procedure comes up (its events) and who is eligible (applies_when) are
separate, so a population run with no life event asks the same eligibility rule."""

from datetime import date

from madoguchi.catalog.frames import situation_frames
from tests.conftest import situation

TODAY = date(2026, 11, 25)


def test_the_eligibility_alone_answers_who_in_the_town_is_eligible(catalog):
    rules = catalog.rules
    eligible = rules.eligibility["child-allowance-claim"]
    assert eligible is not None
    # No life event applies to a population run: use a neutral one and read the
    # eligibility node only. A family with a 10-year-old qualifies; a couple does not.
    family = situation(
        event="move_within",
        event_date="2026-11-20",
        members=[
            {"role": "self", "birth_date": "1990-01-01"},
            {"role": "child", "birth_date": "2016-05-05"},
        ],
    )
    couple = situation(
        event="move_within",
        event_date="2026-11-20",
        members=[{"role": "self", "birth_date": "1990-01-01"}],
    )
    households, members = situation_frames([family, couple], TODAY)
    evaluated, _ = rules.evaluate(households, members)
    assert evaluated.sort("hh")[eligible.key].to_list() == [True, False]
    # …while the guide, on that event, does not bring the claim up at all.
    guide_root = rules.roots["child-allowance-claim"]
    assert evaluated.sort("hh")[guide_root.key].to_list() == [False, False]


def test_a_procedure_for_everyone_on_its_event_has_no_eligibility_condition(catalog):
    assert catalog.rules.eligibility["birth-registration"] is None
    assert set(catalog.procedures["kokuho-withdraw"].events) == {"move_out", "death"}
