"""``catalog check`` on procedure forms: each break of the example's 児童手当 form is
reported once, with file, line and a plain Japanese sentence."""

from pathlib import Path

import pytest

from madoguchi.catalog.facts import MEMBER_FIELDS, SITUATION_FIELDS
from madoguchi.catalog.form_checks import asks_for_mynumber, kind_of_fact
from madoguchi.catalog.form_schema import FormField
from madoguchi.catalog.loader import check
from tests.catalog.test_loader import edit, line_of, only

CLAIM = "procedures/child-allowance-claim.yaml"


def claim(city: Path) -> Path:
    return city / CLAIM


def test_situation_prefill_must_be_a_household_fact(city):
    edit(claim(city), "prefill: spouse.name", "prefill: situation.spouse_name")
    problem = only(check(city))
    assert problem.file == CLAIM
    assert problem.line == line_of(claim(city), "prefill: situation.spouse_name")
    assert "「spouse_name」はガイドの世帯の項目にありません" in problem.message


def test_a_person_prefill_takes_a_member_fact_or_the_name(city):
    edit(claim(city), "prefill: self.insurance", "prefill: spouse.insurence")
    problem = only(check(city))
    assert "「insurence」はガイドの世帯員の項目にありません" in problem.message
    assert "「spouse.insurance」のまちがいではありませんか" in problem.message
    assert "name" in problem.message  # the profile's names are offered too


def test_situation_prefill_must_fill_the_fields_kind(city):
    # event_date is a date; the phone field is a phone.
    edit(claim(city), "prefill: profile.phone", "prefill: situation.event_date")
    problem = only(check(city))
    assert "date(日付) の項目に入る値です" in problem.message
    assert "kind は phone(電話番号)" in problem.message


def test_member_prefill_only_in_a_group_with_each_member(city):
    edit(claim(city), "prefill: identity.birth_date", "prefill: member.birth_date")
    problems = check(city)
    messages = [p.message for p in problems]
    assert any("each_member のある group の中の項目にだけ" in m for m in messages)


def test_member_prefill_must_be_a_member_fact(city):
    edit(claim(city), "prefill: member.birth_date", "prefill: member.birthday")
    problem = only(check(city))
    assert problem.line == line_of(claim(city), "prefill: member.birthday")
    assert "「member.birth_date」のまちがいではありませんか" in problem.message


def test_profile_item_must_exist(city):
    edit(claim(city), "prefill: profile.phone", "prefill: profile.telephone")
    problem = only(check(city))
    assert "「telephone」はマイページの登録内容にありません" in problem.message
    assert "「profile.phone」のまちがいではありませんか" in problem.message


def test_identity_item_must_exist(city):
    # The identity has no phone number: only the profile does.
    edit(claim(city), "prefill: profile.phone", "prefill: identity.phone")
    problem = only(check(city))
    assert "「phone」は本人確認で確かめた情報にありません" in problem.message


def test_identity_name_only_on_a_name_field(city):
    edit(claim(city), "prefill: profile.email", "prefill: identity.name")
    problem = only(check(city))
    assert problem.line == line_of(claim(city), "kind: email")
    assert "name(氏名とふりがな) の項目に入る値です" in problem.message


def test_each_member_roles_are_roles_of_the_situation(city):
    edit(claim(city), "each_member: [newborn, child]", "each_member: [newborn, kid]")
    problem = only(check(city))
    assert problem.line == line_of(claim(city), "each_member:")
    assert "続柄「kid」はありません" in problem.message
    assert "newborn(生まれた子)" in problem.message


def test_a_form_of_an_offline_procedure_is_the_counters_only(city):
    # The counter prints it prefilled; the web does not offer it (applies_online).
    edit(claim(city), "online: true", "online: false")
    assert check(city) == []
    from madoguchi.catalog.loader import load

    proc = load(city).procedures["child-allowance-claim"]
    assert proc.form is not None and not proc.applies_online


FUNERAL = "procedures/kokuho-funeral-expenses.yaml"


def test_the_deceased_has_an_address_and_a_death_date(city):
    # The example's funeral grant form takes both; the checks accept them as they are.
    text = (city / FUNERAL).read_text(encoding="utf-8")
    assert "prefill: deceased.address" in text and "prefill: deceased.death_date" in text
    assert check(city) == []


def test_only_the_deceased_has_a_death_date(city):
    edit(city / FUNERAL, "prefill: deceased.death_date", "prefill: spouse.death_date")
    problem = only(check(city))
    assert problem.line == line_of(city / FUNERAL, "prefill: spouse.death_date")
    assert "「death_date」はガイドの世帯員の項目にありません" in problem.message


def test_a_deceased_prefill_fills_its_kind(city):
    # The deceased's address is an address, not the date of death's field.
    edit(city / FUNERAL, "prefill: deceased.death_date", "prefill: deceased.address")
    problem = only(check(city))
    assert "address(" in problem.message and "kind は date(" in problem.message


def test_a_deceased_prefill_names_a_fact_of_the_deceased(city):
    edit(city / FUNERAL, "prefill: deceased.birth_date", "prefill: deceased.birthday")
    problem = only(check(city))
    assert "「deceased.birth_date」のまちがいではありませんか" in problem.message
    assert "death_date" in problem.message  # what only the deceased has is offered too


def test_requires_identity_needs_a_form(city):
    path = city / "procedures" / "birth-registration.yaml"
    edit(path, "online: false", "online: false\nrequires_identity: true")
    problem = only(check(city))
    assert problem.line == line_of(path, "requires_identity:")
    assert "form: を書くか、requires_identity を消してください" in problem.message


def test_requires_identity_takes_name_address_birth_date_from_the_identity(city):
    edit(claim(city), "prefill: identity.address", "prefill: profile.address")
    problem = only(check(city))
    assert problem.line == line_of(claim(city), "requires_identity:")
    assert "申請する方の住所を本人確認の情報から" in problem.message
    assert "identity.address" in problem.message


def test_a_group_in_a_group(city):
    edit(
        claim(city),
        "        - id: lives_together\n          kind: yes_no\n",
        "        - id: lives_together\n          kind: group\n"
        "          fields: [{id: x, kind: text, label: x}]\n",
    )
    problem = only(check(city))
    assert "group の中に group は書けません" in problem.message


def test_a_file_only_at_the_top(city):
    edit(
        claim(city),
        "        - id: lives_together\n          kind: yes_no\n",
        "        - id: lives_together\n          kind: file\n",
    )
    problem = only(check(city))
    assert "いちばん上の階層に書いてください" in problem.message


def test_file_types_must_be_known(city):
    edit(claim(city), "accept: [pdf, jpeg, png]", "accept: [pdf, jpg]")
    problem = only(check(city))
    assert problem.line == line_of(claim(city), "accept:")
    assert "「jpeg」(JPEG の写真)のまちがいではありませんか" in problem.message


def test_file_types_may_not_be_empty(city):
    edit(claim(city), "accept: [pdf, jpeg, png]", "accept: []")
    problem = only(check(city))
    assert "accept が空です" in problem.message


def test_a_form_never_asks_for_the_individual_number(city):
    edit(
        claim(city),
        "label: {ja: 日中に連絡がとれる電話番号, en: Daytime phone number}",
        "label: 請求者の個人番号",
    )
    problem = only(check(city))
    assert "個人番号は市が住民基本台帳で確かめる" in problem.message


@pytest.mark.parametrize(
    ("field_id", "label", "asks"),
    [
        ("my_number", "番号", True),
        ("kojin_bango", "番号", True),
        ("number", "マイナンバー(12けた)", True),
        ("number", "個人番号", True),
        ("has_card", "マイナンバーカードを持っている", False),
        ("has_mynumber_card", "カード", False),
    ],
)
def test_asks_for_mynumber(field_id, label, asks):
    field = FormField(id=field_id, kind="text", label=label)
    assert asks_for_mynumber(field) is asks


def test_the_kind_a_fact_fills():
    assert kind_of_fact(SITUATION_FIELDS["event_date"]) == "date"
    assert kind_of_fact(SITUATION_FIELDS["has_dog"]) == "yes_no"
    assert kind_of_fact(MEMBER_FIELDS["sex"]) == "choice"
    assert kind_of_fact(MEMBER_FIELDS["birth_weight_g"]) == "number"


# The printed form's layout (print:): only this form's fields, each once.
KOKUHO = "procedures/kokuho-enroll.yaml"


def test_print_section_names_only_fields_of_the_form(city):
    edit(
        city / KOKUHO,
        "fields: [head_name, head_birth_date,",
        "fields: [head_nane, head_birth_date,",
    )
    problem = only(check(city))
    assert problem.file == KOKUHO
    assert problem.line == line_of(city / KOKUHO, "fields: [head_nane,")
    assert "print の sections の「head_nane」は、このフォームの項目にありません" in problem.message
    assert "「head_name」のまちがいではありませんか" in problem.message


def test_print_section_takes_a_group_whole(city):
    edit(city / KOKUHO, "      - fields: [members]", "      - fields: [member_name]")
    problem = only(check(city))
    assert problem.line == line_of(city / KOKUHO, "fields: [member_name]")
    assert "group「members」の中の項目です" in problem.message


def test_print_section_names_a_field_once(city):
    edit(
        city / KOKUHO,
        "fields: [reason, reason_date, delivery]",
        "fields: [reason, phone, delivery]",
    )
    problem = only(check(city))
    assert problem.line == line_of(city / KOKUHO, "fields: [reason, phone, delivery]")
    assert "「phone」が2回あります" in problem.message


def test_print_labels_name_fields_of_the_form(city):
    edit(city / KOKUHO, "      member_sex: 性別", "      member_sx: 性別")
    problem = only(check(city))
    assert problem.line == line_of(city / KOKUHO, "member_sx: 性別")
    assert "print の labels の「member_sx」" in problem.message
    assert "「member_sex」のまちがいではありませんか" in problem.message


def test_print_unknown_option_is_named(city):
    edit(city / KOKUHO, "    date_label: 届出日", "    date_lable: 届出日")
    problem = only(check(city))
    assert problem.line == line_of(city / KOKUHO, "date_lable: 届出日")
    assert "「date_label」のまちがいではありませんか" in problem.message


def test_print_columns_are_one_or_two(city):
    edit(
        city / KOKUHO,
        "        columns: 2\n        fields: [head_name",
        "        columns: 3\n        fields: [head_name",
    )
    problem = only(check(city))
    assert problem.line == line_of(city / KOKUHO, "columns: 3")
    assert "columns: 2 以下にしてください" in problem.message
