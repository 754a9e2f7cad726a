"""The words ``catalog check`` uses for characters, IDs and misspelt keys."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.catalog.check_messages import (
    closest,
    describe_char,
    id_message,
    keys_of,
    model_at,
    show,
    suggest_id,
)
from madoguchi.catalog.schema import SLUG, Condition, Deadline, Procedure, Text


def test_invisible_characters_are_named():
    assert show("birth\u3000registration") == "birth(全角スペース)registration"
    assert show("a\tb") == "a(タブ)b"


def test_look_alike_characters_are_named_with_what_to_write():
    assert describe_char("－") == ("全角のハイフン", "-")
    assert describe_char("‐") == ("ハイフンに似た記号", "-")
    assert describe_char("ー") == ("長音記号", "-")
    assert describe_char("ｂ") == ("全角の英字", "b")
    assert describe_char("＞") == ("全角の記号", ">")
    assert describe_char("’") == ("全角の引用符", "'")
    assert describe_char("B") == ("大文字", "b")
    assert describe_char("届") == ("日本語の文字", None)


def test_the_id_meant():
    assert suggest_id("birth－registration") == "birth-registration"
    assert suggest_id("Birth Registration") == "birth-registration"
    assert suggest_id("出生届") is None


@given(st.text(max_size=20).filter(lambda v: not re.match(SLUG, v)))
def test_an_id_message_never_shows_a_pattern(value):
    message = id_message(value)
    assert SLUG not in message and "[a-z0-9]" not in message
    assert "使えない文字" in message or "ハイフン(-)" in message or "空です" in message
    assert "\u3000" not in message  # shown as (全角スペース)


def test_closest_key():
    assert closest("onlin", ["online", "online_note"]) == "online"
    assert closest("Online", ["online"]) == "online"
    assert closest("\u3000online", ["online"]) == "online"
    assert closest("備考", ["online"]) is None


def test_the_model_at_a_location():
    assert model_at(Procedure, ("applies_when", "all", 0)) is Condition
    assert model_at(Procedure, ("events", "birth")) is Condition
    assert model_at(Procedure, ("deadline",)) is Deadline
    assert model_at(Procedure, ("bring", 0)) is Text
    assert model_at(Procedure, ("online",)) is None
    assert "all" in keys_of(Condition) and "all_" not in keys_of(Condition)


# The form's own error types (form_schema), said to a clerk.

_FORM_BREAKS = [
    ("kind: phone", "kind: phon", "「phone」(電話番号)のまちがいではありませんか"),
    ("kind: phone", "kind: telephone", "使える項目の種類(kind): text(1行の文字)"),
    (
        "prefill: profile.email",
        "prefill: profle.email",
        "「profile.email」のまちがいではありませんか",
    ),
    ("prefill: profile.email", "prefill: email", "「元.項目」の形で書いてください"),
    (
        "      choices:\n"
        "        - {value: kokuho, label: {ja: 国民健康保険, en: National Health Insurance}}\n"
        "        - {value: shaho, label: {ja: 勤め先の健康保険(社会保険), en: Employee health insurance}}\n"
        "        - {value: kyosai, label: {ja: 共済組合, en: Mutual aid association}}\n",
        "",
        "kind: choice には choices(選択肢)を書いてください",
    ),
    (
        "      each_member: [newborn, child]\n      min_items: 1\n      max_items: 10\n",
        "      each_member: [newborn, child]\n      min_items: 11\n      max_items: 10\n",
        "min_items(いちばん少ない数)が max_items(いちばん多い数)より大きくなっています",
    ),
    (
        "id: lives_together",
        "id: child_name",
        "項目のID「child_name」が同じ画面で二度使われています",
    ),
    (
        "id: lives_together",
        "id: lives-together",
        "「-」(記号、6文字目)があります。「_」にしてください",
    ),
    (
        "      kind: email\n",
        "      kind: email\n      each_member: [self]\n",
        "fields と each_member は kind: group の項目にだけ書けます",
    ),
    ("accept: [pdf, jpeg, png]", "accept: [pdf, gif]", "使えるファイルの種類: pdf(PDF)"),
]


@pytest.mark.parametrize(("old", "new", "said"), _FORM_BREAKS)
def test_form_errors_in_plain_japanese(city, old, new, said):
    from madoguchi.catalog.loader import check
    from tests.catalog.test_loader import edit, only

    edit(city / "procedures" / "child-allowance-claim.yaml", old, new)
    problem = only(check(city))
    assert problem.file == "procedures/child-allowance-claim.yaml" and problem.line
    assert said in problem.message
    assert not re.search(r"[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", problem.message)  # no English


def test_a_group_without_fields(city):
    from madoguchi.catalog.loader import check
    from tests.catalog.test_loader import edit, only

    edit(
        city / "procedures" / "child-allowance-claim.yaml",
        "    - id: spouse_name\n      kind: name\n",
        "    - id: spouse_name\n      kind: group\n",
    )
    assert "kind: group には fields" in only(check(city)).message
