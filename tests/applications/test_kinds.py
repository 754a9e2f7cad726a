"""The registry of form field kinds: each kind is one complete class, an
incomplete one is refused, a verified identity locks inputs (not whole fields),
error links point at boxes that exist, and the bank account kind checks its
codes against the 全銀 data."""

from __future__ import annotations

import re

import pytest
from django import forms

from madoguchi.applications import correspondence, workflow
from madoguchi.applications.entry_form import ApplicationForm
from madoguchi.applications.kinds import Kind, KindIncomplete, check_registry, of, registry
from madoguchi.applications.kinds.bank_account import tidy, tidy_holder
from madoguchi.applications.kinds.base import Input
from madoguchi.applications.kinds.registry import Registry
from madoguchi.applications.prefill import locked_values
from madoguchi.applications.samples import complete_input
from madoguchi.catalog.form_schema import FormField, FormSpec
from madoguchi.common.text_input import postal_code_for_address

from .conftest import claim_post

# What 本人確認 with a My Number card gives: no ふりがな, no 〒.
CARD = {
    "name": {"name": "高橋\u3000太郎", "kana": ""},
    "birth_date": "1988-06-15",
    "address": {"postal_code": "", "address": "東京都千代田区千代田1-1"},
}


def test_a_kind_that_leaves_out_a_part_is_refused_with_its_name():
    mine = Registry()

    class HalfDone(Kind):
        label = {"ja": "半分", "en": "half"}

        def inputs(self, field, name):
            return [Input(name)]

        def form_fields(self, field, name, common):
            return {name: forms.CharField(**common)}

    with pytest.raises(KindIncomplete, match=r"'half'.*csv_cells.*display.*sample"):
        mine.register("half")(HalfDone)
    assert "half" not in mine


def test_a_kind_without_labels_is_refused():
    mine = Registry()
    text = type(registry.get("text"))
    nameless = type("Nameless", (text,), {"label": {"ja": "名前なし"}})
    with pytest.raises(KindIncomplete, match="label\\['en'\\]"):
        mine.register("nameless")(nameless)


def test_the_registry_and_the_catalogue_schema_name_the_same_kinds():
    check_registry()  # what ApplicationsConfig.ready runs
    mine = Registry()
    mine.register("text")(type(registry.get("text")))
    with pytest.raises(KindIncomplete, match="without a kind class"):
        check_registry(mine)


@pytest.mark.parametrize("kind_id", registry.ids())
def test_every_kind_answers_its_own_sample_and_reads_it_back(kind_id):
    extra = {"choice": {"choices": [{"value": "a", "label": "A"}]},
             "group": {"fields": [{"id": "who", "kind": "name", "label": "氏名"}]}}  # fmt: skip
    field = FormField.model_validate(
        {"id": "x", "kind": kind_id, "label": "項目"} | extra.get(kind_id, {})
    )
    spec = FormSpec(version=1, fields=[field])
    form = ApplicationForm(spec, data=complete_input(spec), draft=False)
    if kind_id == "file":
        return  # a sample cannot post a file
    assert form.is_valid(), form.problems()
    value = form.values()["x"]
    assert value not in (None, "", [])
    assert of(field).display(field, value, {}) != []
    columns = [k for k, _ in of(field).csv_columns(field, "項目", {"x": 1})]
    assert set(of(field).csv_cells(field, value, {})) <= set(columns)


def test_error_links_point_at_boxes_that_exist_on_the_page(claim_form):
    from django.template.loader import render_to_string

    data = claim_post(claimant_birth_date_year="99", phone="", claimant_insurance="")
    data["children-0-child_birth_date_month"] = "13"
    form = ApplicationForm(claim_form, data=data, draft=False)
    assert not form.is_valid()
    html = "".join(
        render_to_string("applications/_entry.html", {"entry": e}) for e in form.entries()
    )
    ids = set(re.findall(r'id="([^"]+)"', html))
    problems = {p.anchor for p in form.problems()}
    assert problems <= ids, problems - ids
    assert "id_claimant_birth_date_1" in problems  # the 年 box
    assert "id_children-0-child_birth_date_1" in problems
    assert "id_claimant_birth_date" not in problems  # the old link to nothing


def test_a_verified_name_is_locked_while_its_furigana_is_still_asked(claim_form):
    verified = locked_values(claim_form, CARD)
    form = ApplicationForm(claim_form, data=claim_post(claimant_name__name="別人 次郎"),
                           draft=False, verified=verified)  # fmt: skip
    assert form.is_valid(), form.problems()
    values = form.values()
    assert values["claimant_name"] == {"name": "高橋\u3000太郎", "kana": "たかはし\u3000たろう"}
    name = next(e for e in form.entries() if e.spec.id == "claimant_name")
    assert [b.name for b in name.fields] == ["claimant_name__kana"]
    assert name.verified_lines == ["高橋\u3000太郎"]
    birth = next(e for e in form.entries() if e.spec.id == "claimant_birth_date")
    assert birth.is_locked  # every input of a date is verified: not asked at all


def test_the_postal_code_stays_with_the_address_the_identity_filled(claim_form):
    card = CARD | {"address": {"postal_code": postal_code_for_address(CARD["address"]["address"]),
                               "address": CARD["address"]["address"]}}  # fmt: skip
    assert card["address"]["postal_code"] == "1000001"
    data = claim_post(claimant_address__address="どこか別の所")
    del data["claimant_address__postal"]
    form = ApplicationForm(
        claim_form, values={}, draft=True, verified=locked_values(claim_form, card)
    )
    assert form.form["claimant_address__postal"].value() == "100-0001"  # looked up, asked
    form = ApplicationForm(claim_form, data=claim_post(claimant_address__address="別の所"),
                           draft=False, verified=locked_values(claim_form, card))  # fmt: skip
    assert form.is_valid(), form.problems()
    assert form.values()["claimant_address"] == {
        "postal_code": "1000001",
        "address": "東京都千代田区千代田1-1",
    }


def test_an_address_japan_post_cannot_place_leaves_the_postal_code_to_ask():
    assert postal_code_for_address("京都府京都市中京区寺町通御池上る上本能寺前町488") is None
    assert postal_code_for_address("群馬県みどり市笠懸町鹿2952") == "3792313"


@pytest.mark.parametrize(
    "typed, kept",
    [("やまだ はなこ", "ﾔﾏﾀﾞ ﾊﾅｺ"), ("ヤマダ　ハナコ", "ﾔﾏﾀﾞ ﾊﾅｺ"), ("ｻｲﾄｳ ｷｮｳｺ", "ｻｲﾄｳ ｷﾖｳｺ"),
     ("カ)ミドリ", "ｶ)ﾐﾄﾞﾘ")],
)  # fmt: skip
def test_an_account_holder_is_kept_in_half_width_kana_as_banks_want(typed, kept):
    assert tidy_holder(typed) == kept


@pytest.mark.parametrize("typed", ["Yamada Hanako", "山田 花子", "ﾔﾏﾀﾞ@ﾊﾅｺ"])
def test_an_account_holder_in_latin_letters_or_kanji_is_refused(typed):
    with pytest.raises(ValueError, match="口座名義"):
        tidy_holder(typed)


def test_a_bank_account_is_checked_against_the_zengin_data():
    good = {"bank_code": "０００１", "branch_code": "001", "type": "ordinary",
            "number": "12345", "holder": "やまだ はなこ"}  # fmt: skip
    assert tidy(good) == {"bank_code": "0001", "branch_code": "001", "type": "ordinary",
                          "number": "0012345", "holder": "ﾔﾏﾀﾞ ﾊﾅｺ"}  # fmt: skip
    for wrong, said in [
        ({"number": "abc"}, "口座番号は7けた"),
        ({"number": "12345678"}, "口座番号は7けた"),
        ({"bank_code": "0002"}, "金融機関コードは見つかりません"),
        ({"branch_code": "999"}, "みずほに支店コード 999"),
        ({"bank_code": "01"}, "4けた"),
        ({"type": "gold"}, "預金の種類"),
    ]:
        with pytest.raises(ValueError, match=said):
            tidy(good | wrong)


def test_the_bank_account_page_shows_the_bank_and_branch_names():
    field = FormField.model_validate({"id": "acct", "kind": "bank_account", "label": "振込先"})
    spec = FormSpec(version=1, fields=[field])
    data = {"acct_bank": "0001", "acct_branch": "001", "acct_type": "ordinary",
            "acct_number": "abc", "acct_holder": "Yamada Hanako"}  # fmt: skip
    form = ApplicationForm(spec, data=data, draft=True)
    assert not form.is_valid()
    messages = [p.message for p in form.problems()]
    assert any("口座番号" in m for m in messages) and any("ローマ字" in m for m in messages)
    assert {p.anchor for p in form.problems()} == {"id_acct_0"}
    html = str(form.form["acct"])
    assert "みずほ" in html and "東京営業部" in html and 'id="id_acct_0"' in html


@pytest.mark.django_db
def test_a_correction_cannot_name_what_the_identity_verified(takahashi):
    from .test_correspondence import make_clerk
    from .test_submission import new_draft

    clerk = make_clerk()
    app = new_draft(takahashi, post=claim_post())
    from madoguchi.applications.submission import submit

    submit(app.pk, takahashi, identity=CARD, identity_provider="demo", requires_identity=False)
    app.refresh_from_db()
    workflow.move(app, "in_review", actor=clerk, by="staff", expected_revision=app.revision)
    app.refresh_from_db()
    assert "claimant_birth_date" not in correspondence.correctable_ids(app)
    assert "claimant_name" in correspondence.correctable_ids(app)  # its ふりがな
    with pytest.raises(correspondence.Refused, match="本人確認をやり直して"):
        correspondence.request_correction(app, actor=clerk, field_ids=["claimant_birth_date"],
                                          note="生年月日を確かめて", expected_revision=app.revision)  # fmt: skip
    correspondence.request_correction(app, actor=clerk, field_ids=["claimant_name"],
                                      note="ふりがなを確かめて", expected_revision=app.revision)  # fmt: skip
    app.refresh_from_db()
    correspondence.submit_correction(
        app, user=takahashi, expected_revision=app.revision,
        post=claim_post(claimant_name__name="別人 次郎", claimant_name__kana="たかはし けんた"),
    )  # fmt: skip
    app.refresh_from_db()
    assert app.data["claimant_name"] == {"name": "高橋\u3000太郎", "kana": "たかはし\u3000けんた"}
