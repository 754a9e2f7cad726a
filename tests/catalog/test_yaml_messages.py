"""YAML mistakes in plain Japanese: whatever the mistake, an answer, never a crash."""

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from madoguchi.catalog.yaml_messages import folded_list_items, syntax_error
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
