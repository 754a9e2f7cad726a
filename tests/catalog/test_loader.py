"""``catalog check``: every problem in a broken catalogue, with file and line."""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from madoguchi.catalog.loader import CatalogError, check, load
from tests.conftest import EXAMPLE


@pytest.fixture
def city(tmp_path) -> Path:
    target = tmp_path / "city"
    shutil.copytree(EXAMPLE, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def only(problems):
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_the_example_catalogue_is_clean():
    assert check(EXAMPLE) == []


def test_unknown_field(city):
    path = city / "procedures" / "birth-registration.yaml"
    edit(path, "online: false", "onlin: false")
    problem = only(check(city))
    assert problem.file == "procedures/birth-registration.yaml"
    assert problem.line == line_of(path, "onlin:")
    assert "onlin" in problem.message and "この項目は使えません" in problem.message


def test_bad_condition(city):
    path = city / "procedures" / "low-birth-weight-notice.yaml"
    edit(path, 'birth_weight_g < 2500"', 'birth_weight_g <"')
    problem = only(check(city))
    assert problem.file == "procedures/low-birth-weight-notice.yaml"
    assert problem.line == line_of(path, 'birth_weight_g <"')
    assert "条件式を読めません" in problem.message


def test_condition_on_an_unknown_fact(city):
    path = city / "procedures" / "dog-registration-change.yaml"
    edit(path, "household: has_dog", "household: has_cat")
    problem = only(check(city))
    assert problem.file == "procedures/dog-registration-change.yaml"
    assert problem.line == line_of(path, "has_cat")
    assert "「has_cat」は世帯の項目にありません" in problem.message


def test_unknown_value_in_a_condition(city):
    path = city / "procedures" / "kokuho-enroll.yaml"
    edit(path, "member: \"insurance = 'kokuho'", "member: \"insurance = 'kokuhou'")
    problem = only(check(city))
    assert problem.line == line_of(path, "kokuhou")
    assert "'kokuhou'" in problem.message


def test_duplicate_id(city):
    (city / "procedures" / "birth-registration-copy.yaml").write_text(
        (city / "procedures" / "birth-registration.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    problem = only(check(city))
    assert problem.file == "procedures/birth-registration.yaml"  # sorted after "-copy"
    assert problem.line == 1
    assert "「birth-registration」が重複しています" in problem.message
    assert "birth-registration-copy.yaml" in problem.message


def test_question_nobody_uses(city):
    # The only procedure about dogs is removed: its question is now asked for nothing.
    (city / "procedures" / "dog-registration-change.yaml").unlink()
    problem = only(check(city))
    assert problem.file == "questions.yaml"
    assert problem.line == line_of(city / "questions.yaml", "- id: has-dog")
    assert "質問「has-dog」はどの手続きの条件にも使われていません" in problem.message


def test_fact_without_a_question(city):
    path = city / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: has-dog")
    end = text.index("- id: owns-real-estate")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    problem = only(check(city))
    assert "「has_dog」" in problem.message and "質問がありません" in problem.message


def test_condition_without_a_reason(city):
    path = city / "procedures" / "property-heir-notice.yaml"
    edit(path, "      reason: 亡くなった方などが土地や家屋を持っている\n", "")
    problem = only(check(city))
    assert problem.line == line_of(path, "owns_real_estate")
    assert "reason" in problem.message


def test_unknown_department_and_same_as(city):
    edit(city / "procedures" / "cremation-permit.yaml", "department: shimin", "department: shimn")
    edit(
        city / "procedures" / "cremation-permit.yaml",
        "same_as: death-registration",
        "same_as: death-registraton",
    )
    messages = [p.message for p in check(city)]
    assert any("担当課「shimn」" in m for m in messages)
    assert any("same_as「death-registraton」" in m for m in messages)


def test_duplicate_key_and_broken_yaml(city):
    edit(
        city / "procedures" / "seal-registration.yaml",
        "online: false",
        "online: false\nonline: true",
    )
    edit(city / "departments.yaml", "- id: kankyo", "- id: kankyo\n  name: [unclosed")
    problems = {p.file: p for p in check(city)}
    assert "同じ項目名が二度書かれています" in problems["procedures/seal-registration.yaml"].message
    assert problems["procedures/seal-registration.yaml"].line == line_of(
        city / "procedures" / "seal-registration.yaml", "online: true"
    )
    assert "YAML として読めません" in problems["departments.yaml"].message


def test_a_condition_must_have_exactly_one_kind(city):
    path = city / "procedures" / "marriage-registration.yaml"
    edit(
        path,
        "  household: \"event = 'marriage'\"",
        '  household: "event = \'marriage\'"\n  member: "age >= 18"',
    )
    problem = only(check(city))
    assert "どれか一つだけ" in problem.message and "household, member" in problem.message


def test_load_refuses_a_broken_catalogue(city):
    edit(city / "procedures" / "birth-registration.yaml", "online: false", "online: maybe")
    with pytest.raises(CatalogError) as caught:
        load(city)
    assert "true か false" in str(caught.value)


def test_command_lists_problems_and_fails(city, capsys):
    edit(city / "procedures" / "birth-registration.yaml", "online: false", "onlin: false")
    with pytest.raises(CommandError) as caught:
        call_command("catalog", "check", str(city))
    assert "1 件の問題" in str(caught.value)
    assert "procedures/birth-registration.yaml:" in capsys.readouterr().err


def test_command_passes_the_example(capsys):
    call_command("catalog", "check", str(EXAMPLE))
    assert "問題はありません" in capsys.readouterr().out


def test_a_construct_the_guide_cannot_run_is_a_catalogue_problem(city):
    path = city / "procedures" / "low-birth-weight-notice.yaml"
    edit(path, 'birth_weight_g < 2500"', 'birth_weight_g + 0 < 2500"')
    problem = only(check(city))
    assert problem.file == "procedures/low-birth-weight-notice.yaml"
    assert problem.line == line_of(path, "birth_weight_g + 0")
    assert "「+」はこの仕組みでは使えません" in problem.message
