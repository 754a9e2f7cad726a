"""YAML mistakes in plain Japanese: whatever the mistake, an answer, never a crash."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from madoguchi.catalog.loader import CatalogError, load
from madoguchi.catalog.yaml_messages import folded_list_items, syntax_error, yaml11_unsafe_values
from tests.conftest import EXAMPLE

ORIGINAL = (EXAMPLE / "procedures" / "kokuho-enroll.yaml").read_text(encoding="utf-8")
SIGNIFICANT = list(" \t\n:-\"'[]{},#&*@|>%`\u3000")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(ORIGINAL)), st.sampled_from(SIGNIFICANT)), max_size=3))
def test_any_typing_mistake_gets_a_line_and_a_message(edits):
    text = ORIGINAL
    for position, char in edits:
        text = text[:position] + char + text[position:]
    try:
        YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        line, message = syntax_error(exc, text)
        assert message and (line is None or 1 <= line <= text.count("\n") + 2)
    else:
        for line, message in folded_list_items(text):
            assert message and 1 <= line <= text.count("\n") + 1


def test_the_example_has_no_folded_items():
    for path in EXAMPLE.rglob("*.yaml"):
        assert folded_list_items(path.read_text(encoding="utf-8")) == [], path


def test_a_question_mark_in_a_flow_value_is_reported_for_yaml_1_1_readers(city):
    """``{en: Whose card is it?}`` is YAML 1.2; a YAML 1.1 reader (PyYAML) cuts it at ``?``."""
    path = city / "procedures" / "care-insurance-card-reissue.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('en: "Whose card is it?"', "en: Whose card is it?"), "utf-8")
    line = next(n for n, row in enumerate(path.read_text("utf-8").splitlines(), 1) if "it?}" in row)
    with pytest.raises(CatalogError) as raised:
        load(city)
    problems = [str(p) for p in raised.value.problems]
    expected = (
        f"procedures/care-insurance-card-reissue.yaml:{line}: "
        "{ … } や [ … ] の中の値「Whose card is it?」に「?」(48文字目)があります。"
        'ほかの道具(YAML 1.1 の読み手)では、ここで値が切れて読めません。値全体を "…" で囲んでください'
    )
    assert expected in problems


def test_quoted_values_and_block_values_with_a_question_mark_are_fine():
    text = "a: {en: \"Is it?\", ja: それは？}\nb: Is it?\nc: ['x?']\n"
    assert yaml11_unsafe_values(text) == []
    assert [line for line, _ in yaml11_unsafe_values("a: [x, y?]\n")] == [1]


def test_the_example_is_readable_by_yaml_1_1_tools():
    for path in EXAMPLE.rglob("*.yaml"):
        assert yaml11_unsafe_values(path.read_text(encoding="utf-8")) == [], path
