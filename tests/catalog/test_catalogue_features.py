"""What a catalogue can say beyond conditions: a deadline that counts from another
date (the 転出予定日), options where towns differ, ほかの窓口, plain names."""

from datetime import date
from pathlib import Path

from madoguchi.catalog.guide import run_guide
from madoguchi.catalog.loader import check, load
from tests.catalog.checklist import TODAY, by_id
from tests.conftest import situation

FAMILY = [
    {"role": "self", "birth_date": "1990-01-01"},
    {"role": "child", "birth_date": "2018-05-05"},
]


def test_after_a_move_in_child_allowance_counts_from_the_planned_move_out_date(catalog):
    # 児童手当法8条3項: 15 days from the day after the 転出予定日 (11/10 → 11/25), not
    # from the day of moving in (11/20 → 12/5, a Saturday → 12/7).
    s = situation(
        event="move_in",
        event_date="2026-11-20",
        members=FAMILY,
        move_out_planned_date="2026-11-10",
    )
    claim = by_id(run_guide(catalog, s, today=TODAY))["child-allowance-claim"]
    assert claim.deadline == date(2026, 11, 25)


def test_without_the_planned_move_out_date_no_date_is_printed_and_it_is_asked(catalog):
    s = situation(event="move_in", event_date="2026-11-20", members=FAMILY)
    result = run_guide(catalog, s, today=TODAY)
    assert by_id(result)["child-allowance-claim"].deadline is None
    asked = {q.fact: q for q in result.questions}
    assert "child-allowance-claim" in asked["move_out_planned_date"].decides
    assert asked["move_out_planned_date"].kind == "date"


def test_a_birth_still_counts_from_the_birth(catalog):
    s = situation(event="birth", event_date="2026-11-20", members=FAMILY[:1])
    claim = by_id(run_guide(catalog, s, today=TODAY)).get("child-allowance-claim")
    assert claim is not None and claim.deadline == date(2026, 12, 7)
    assert all(q.fact != "move_out_planned_date" for q in run_guide(catalog, s).questions)


def test_other_offices_are_listed_apart_never_as_municipal_procedures(catalog):
    s = situation(event="death", event_date="2026-11-20")
    result = run_guide(catalog, s, today=TODAY)
    others = {o.id: o for o in result.other_offices}
    assert "法務局" in others["inheritance-registration"].where
    assert not set(others) & {p.id for p in result.procedures}
    english = run_guide(catalog, s, "en", today=TODAY)
    assert english.other_offices[0].where.isascii()


def test_a_procedure_can_depend_on_a_municipality_option(city):
    proc = city / "procedures" / "seal-registration.yaml"
    proc.write_text(proc.read_text(encoding="utf-8") + "unless_option: no_seal\n", "utf-8")
    municipality = city / "municipality.yaml"
    text = municipality.read_text(encoding="utf-8")
    # The example already lists options: add one to them.
    assert "\noptions:\n" in text
    municipality.write_text(text.replace("\noptions:\n", "\noptions:\n  no_seal: false\n"), "utf-8")
    assert "seal-registration" in load(city).procedures
    municipality.write_text(text.replace("\noptions:\n", "\noptions:\n  no_seal: true\n"), "utf-8")
    assert "seal-registration" not in load(city).procedures


def test_an_unknown_option_is_a_catalogue_problem(city):
    proc = city / "procedures" / "seal-registration.yaml"
    proc.write_text(proc.read_text(encoding="utf-8") + "only_if_option: nothing\n", "utf-8")
    problems = check(city)
    assert len(problems) == 1
    assert "「nothing」は municipality.yaml の options にありません" in problems[0].message


def test_a_procedure_not_offered_is_not_evaluated_either(catalog):
    """The guide and a population run see the same procedures: one this town does not
    offer (its options) is in neither."""
    assert set(catalog.rules.roots) == set(catalog.procedures)
    assert "dog-registration-change-microchip" not in catalog.rules.roots


def test_docs_list_the_example_catalogues_sources_as_the_command_makes_them(catalog):
    """docs/sources.md is ``./dev catalog sources`` for the example (for clerks)."""
    from madoguchi.catalog.sources_report import sources_markdown

    docs = Path(__file__).resolve().parents[2] / "docs" / "sources.md"
    assert docs.read_text(encoding="utf-8") == sources_markdown(catalog)
    assert all(p.sources and p.sources.pages for p in catalog.procedures.values())


def test_a_deadline_same_as_a_procedure_not_offered_still_has_its_date(city):
    """cremation-permit's deadline is the 死亡届's: it stays right in a town that
    serves the 死亡届 through another procedure (its option)."""
    proc = city / "procedures" / "death-registration.yaml"
    proc.write_text(proc.read_text(encoding="utf-8") + "unless_option: no_seal\n", "utf-8")
    municipality = city / "municipality.yaml"
    text = municipality.read_text(encoding="utf-8")
    municipality.write_text(text.replace("\noptions:\n", "\noptions:\n  no_seal: true\n"), "utf-8")
    catalog = load(city)
    assert "death-registration" not in catalog.procedures
    s = situation(event="death", event_date="2026-11-20")
    assert by_id(run_guide(catalog, s, today=TODAY))["cremation-permit"].deadline == date(
        2026, 11, 26
    )
