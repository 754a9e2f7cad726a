"""``catalog check``: every problem in a broken catalogue, with file and line."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from madoguchi.catalog.loader import CatalogError, check, load
from tests.conftest import EXAMPLE


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
    assert "「online」のまちがいではありませんか" in problem.message


@pytest.mark.parametrize(
    ("file", "old", "new", "meant"),
    [
        ("procedures/birth-registration.yaml", "  days: 14", "  dayz: 14", "days"),  # deadline
        ("procedures/seal-registration.yaml", '  member: "age', '  membr: "age', "member"),
        ("departments.yaml", "  place: {ja: 本庁舎3階", "  plase: {ja: 本庁舎3階", "place"),
        ("questions.yaml", "  help: {ja: 年齢によって", "  hlep: {ja: 年齢によって", "help"),
        ("municipality.yaml", "closed_on_weekends:", "closed_on_weekend:", "closed_on_weekends"),
        (
            "life_events.yaml",
            "  reason: {ja: 子どもが生まれた",
            "  reasn: {ja: 子どもが生まれた",
            "reason",
        ),
        ("ages.yaml", "  takes_effect: birthday", "  take_effect: birthday", "takes_effect"),
        (
            "procedures/kokuho-enroll.yaml",
            "    reason: 国民健康保険に加入する人",
            "    Reason: 国民健康保険に加入する人",
            "reason",
        ),
    ],
)
def test_unknown_key_names_the_closest_valid_one(city, file, old, new, meant):
    # The misspelt key also leaves the right one missing: that is not said twice.
    edit(city / file, old, new)
    problem = only(check(city))
    assert problem.file == file
    assert problem.line == line_of(city / file, new.strip())
    assert f"この項目は使えません。「{meant}」のまちがいではありませんか" in problem.message


def test_unknown_key_without_a_close_one_lists_the_valid_ones(city):
    path = city / "procedures" / "birth-registration.yaml"
    edit(path, "online: false", "online: false\n備考: 窓口で")
    problem = only(check(city))
    assert problem.line == line_of(path, "備考")
    assert "使える項目: id、name、plain_name、department" in problem.message


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
    assert "'kokuhou' は使えません。'kokuho' のまちがいではありませんか" in problem.message


def test_a_misspelt_fact_in_a_condition(city):
    path = city / "procedures" / "seal-registration.yaml"
    edit(path, '"age >= 15"', '"aeg >= 15"')
    problem = only(check(city))
    assert problem.line == line_of(path, "aeg >= 15")
    assert "「aeg」は世帯員の項目にありません。「age」のまちがいではありませんか" in problem.message


def test_a_member_fact_in_a_household_condition(city):
    path = city / "procedures" / "seal-registration.yaml"
    edit(path, '  member: "age >= 15"', '  household: "age >= 15"')
    problem = only(check(city))
    assert "「age」は世帯の項目にありません。世帯員の項目なので member: に書いてください" in (
        problem.message
    )


def test_copied_file_with_the_same_id_blames_the_copy(city):
    (city / "procedures" / "birth-registration-copy.yaml").write_text(
        (city / "procedures" / "birth-registration.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    problem = only(check(city))
    assert problem.file == "procedures/birth-registration-copy.yaml"
    assert problem.line == 1
    assert (
        "id「birth-registration」が procedures/birth-registration.yaml と同じです"
        in problem.message
    )
    assert "id を「birth-registration-copy」にしてください" in problem.message


def test_file_name_must_be_the_id(city):
    path = city / "procedures" / "seal-registration.yaml"
    edit(path, "id: seal-registration", "id: seal-registraton")
    problem = only(check(city))
    assert problem.file == "procedures/seal-registration.yaml"
    assert problem.line == 1
    assert "id「seal-registraton」がファイル名と違います" in problem.message
    assert (
        "ファイル名を「seal-registraton.yaml」にするか、id を「seal-registration」に"
        in problem.message
    )


def test_a_yml_file_is_not_silently_ignored(city):
    (city / "procedures" / "seal-registration.yaml").rename(city / "procedures" / "seal.yml")
    problems = check(city)
    assert any(
        p.file == "procedures/seal.yml" and "「seal.yaml」にしてください" in p.message
        for p in problems
    )


def test_duplicate_id_in_a_list_names_the_first_line(city):
    path = city / "departments.yaml"
    edit(path, "- id: kankyo", "- id: kaigo")
    problems = [p for p in check(city) if p.file == "departments.yaml"]
    problem = only(problems)
    assert problem.line == line_of(path, "- id: kaigo") + 3
    assert f"担当課のID「kaigo」が重複しています({line_of(path, '- id: kaigo')}行目と同じです)" in (
        problem.message
    )


def test_question_nobody_uses(city):
    # The procedures about dogs (both of the option's variants) are removed: its
    # question is now asked for nothing.
    (city / "procedures" / "dog-registration-change.yaml").unlink()
    (city / "procedures" / "dog-registration-change-microchip.yaml").unlink()
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
    edit(path, "  reason: 亡くなった方がこの市内に土地や建物を持っていた\n", "")
    problem = only(check(city))
    assert problem.line == line_of(path, "applies_when")
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


def test_duplicate_key(city):
    path = city / "procedures" / "seal-registration.yaml"
    edit(path, "online: false", "online: false\nonline: true")
    problem = only(check(city))
    assert problem.line == line_of(path, "online: true")
    assert problem.message == (
        f"同じ項目名「online」が二度書かれています({line_of(path, 'online: false')}行目にもあります)。"
        "1つにしてください"
    )


def test_an_extra_space_in_a_list_merges_two_items(city):
    # YAML reads "   - 印鑑" as the rest of the item above: 「母子健康手帳 - 印鑑」.
    path = city / "procedures" / "birth-registration.yaml"
    edit(
        path,
        '  - {ja: 母子健康手帳, en: "Maternal and child health handbook"}\n',
        "  - 母子健康手帳\n   - 印鑑\n",
    )
    problem = only(check(city))
    assert problem.file == "procedures/birth-registration.yaml"
    assert problem.line == line_of(path, "   - 印鑑")
    assert "「母子健康手帳 - 印鑑」という1つの項目になっています" in problem.message
    assert "「-」の位置を上の行とそろえてください" in problem.message


def test_a_list_item_broken_over_two_lines(city):
    # Every list of texts, not only bring: here default_members in life_events.yaml.
    path = city / "life_events.yaml"
    edit(
        path,
        "  default_members: [self, spouse, newborn]",
        "  default_members:\n    - self\n     spouse",
    )
    problem = only(check(city))
    assert problem.file == "life_events.yaml"
    assert problem.line == line_of(path, "     spouse")
    assert "項目「self spouse」が" in problem.message and "2行以上にまたがり" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "at", "message"),
    [
        (
            "online: false",
            "online: - false",
            "online:",
            "ここに「- 」(リストの項目)は書けません(9文字目)",
        ),
        ("events: [birth]", "events: [birth]]", "events:", "「]」が多すぎます(16文字目)"),
        ("  days: 14", "\u3000days: 14", "days: 14", "行頭に全角スペースがあります"),
        ("online: false", "online:false", "online:false", "(例: online: false)"),
        (  # a key indented under the value above
            "online: false",
            "online: false\n  online_note: 窓口で",
            "online_note",
            "この行は上の行より深く字下げされています",
        ),
        (  # a key less indented than its neighbours
            "  count_first_day: true",
            " count_first_day: true",
            "count_first_day",
            "字下げ(行頭の半角スペースの数)が上の行とそろっていません",
        ),
        ("online: false", "online false", "online false", "「online false」に「:」がありません"),
        (
            "online: false",
            "online: false\nonline_note: 受付: 平日のみ",
            "online_note",
            "値の中に「: 」(コロンと空白、16文字目)がある",
        ),
        ("  days: 14", "\tdays: 14", "days: 14", "タブ文字があります(1文字目)"),
        (
            "online: false",
            'online: false\nonline_note: "平日のみ',
            "online_note",
            '「"」で始めた値が閉じられていません(14文字目)',
        ),
        ("events: [birth]", "events: [birth", "events:", "「[」(9文字目)が「]」で閉じられていない"),
        (
            "name: {ja: 出生届, en: Birth registration}",
            "name: {ja: 出生届, en: Birth registration",
            "name:",
            "「{」(7文字目)が「}」で閉じられていない",
        ),
        (
            "online: false",
            "online: false\nonline_note: @窓口",
            "online_note",
            "値の最初に「@」は書けません",
        ),
    ],
    ids=[
        "dash-after-key",
        "one-bracket-too-many",
        "full-width-indent",
        "no-space-after-colon",
        "deeper",
        "shallower",
        "no-colon",
        "colon-in-value",
        "tab",
        "quote-at-end",
        "bracket",
        "brace",
        "at-sign",
    ],
)
def test_yaml_syntax_errors_in_plain_japanese(city, old, new, at, message):
    path = city / "procedures" / "birth-registration.yaml"
    edit(path, old, new)
    problem = only(check(city))
    assert problem.file == "procedures/birth-registration.yaml"
    assert problem.line == line_of(path, at)
    assert message in problem.message
    assert "expected" not in problem.message and "mapping" not in problem.message


def test_a_list_item_read_as_the_end_of_a_value(city):
    path = city / "procedures" / "birth-registration.yaml"
    edit(path, "online: false", "online: false\n  - 印鑑")
    problems = check(city)
    assert problems[0].line == line_of(path, "  - 印鑑")
    assert "「false - 印鑑」という1つの値になっています" in problems[0].message


def test_a_quote_left_open_in_the_middle_of_a_file(city):
    # YAML reads on to the next quote and fails further down: the line to fix is named.
    path = city / "procedures" / "kokuho-enroll.yaml"
    edit(path, "reason: 国民健康保険に加入する人がいる", 'reason: "国民健康保険に加入する人がいる')
    problem = only(check(city))
    assert problem.line == line_of(path, '"国民健康保険に加入する人がいる')
    assert '「"」で始めた値がその行で閉じられていません。値の終わりにも " を書いてください' in (
        problem.message
    )


def test_full_width_hyphen_in_a_procedure_id(city):
    path = city / "procedures" / "birth-registration.yaml"
    edit(path, "id: birth-registration", "id: birth－registration")
    problem = only(check(city))
    assert problem.line == 1
    assert problem.message == (
        "id: ID「birth－registration」に使えない文字「－」(全角のハイフン、6文字目)があります。"
        "半角の - にしてください"
    )


@pytest.mark.parametrize(
    ("file", "old", "new", "char"),
    [
        (
            "procedures/birth-registration.yaml",
            "id: birth-registration",
            "id: birth‐registration",
            "「‐」(ハイフンに似た記号、6文字目)",
        ),
        (
            "departments.yaml",
            "- id: hoken-nenkin",
            "- id: hoken－nenkin",
            "「－」(全角のハイフン、6文字目)",
        ),
        (
            "questions.yaml",
            "- id: birth-date",
            "- id: birth－date",
            "「－」(全角のハイフン、6文字目)",
        ),
        ("questions.yaml", "- id: birth-date", "- id: Birth-date", "「B」(大文字、1文字目)"),
    ],
)
def test_a_wrong_character_in_an_id_is_named_not_a_pattern(city, file, old, new, char):
    edit(city / file, old, new)
    problem = only(check(city))
    assert problem.file == file
    assert problem.line == line_of(city / file, new)
    assert f"使えない文字{char}があります" in problem.message
    assert "^" not in problem.message and "[a-z" not in problem.message


def test_a_full_width_space_is_shown(city):
    path = city / "procedures" / "birth-registration.yaml"
    edit(path, "id: birth-registration", "id: birth\u3000registration")
    problem = only(check(city))
    assert "ID「birth(全角スペース)registration」" in problem.message
    assert "(全角スペース、6文字目)" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "age >= 15",
            "age\u3000>= 15",
            "(全角スペース、4文字目)があります。半角スペースにしてください",
        ),
        (
            "age >= 15",
            "age ＞= 15",
            "「＞」(全角の記号、5文字目)があります。半角の > にしてください",
        ),
    ],
)
def test_full_width_characters_in_a_condition(city, old, new, message):
    path = city / "procedures" / "seal-registration.yaml"
    edit(path, old, new)
    problem = only(check(city))
    assert problem.line == line_of(path, new)
    assert (
        f"条件式「{new.replace(chr(0x3000), '(全角スペース)')}」に使えない文字" in problem.message
    )
    assert message in problem.message


def test_full_width_quotes_in_a_condition(city):
    path = city / "procedures" / "kokuho-enroll.yaml"
    edit(path, "member: \"insurance = 'kokuho' AND NOT", 'member: "insurance = ’kokuho’ AND NOT')
    problem = only(check(city))
    assert problem.line == line_of(path, "’kokuho’")
    assert "「’」(全角の引用符、13文字目)があります。半角の ' にしてください" in problem.message


def test_full_width_digits_in_the_local_government_code(city):
    # A pattern with \d accepts them, but the code goes to other systems as ASCII.
    path = city / "municipality.yaml"
    edit(path, 'code: "102121"', 'code: "１02121"')
    problem = only(check(city))
    assert problem.line == line_of(path, "code:")
    assert "「１」(全角の数字、1文字目)があります。半角の 1 にしてください" in problem.message


def test_a_wrong_closed_day_is_named(city):
    path = city / "municipality.yaml"
    edit(path, '"12-29", ', '"12-32", ')
    problem = only(check(city))
    assert (
        problem.message
        == "closed_days の 1番目: 日付「12-32」は、月-日 の形で書いてください(例: 12-29)"
    )


def test_a_misspelt_value_names_the_closest(city):
    path = city / "questions.yaml"
    edit(path, "kind: yes_no", "kind: yesno")
    problem = only(check(city))
    assert problem.line == line_of(path, "kind: yesno")
    assert (
        "「yesno」は使えません。「yes_no」のまちがいではありませんか。使える値: yes_no、choice"
        in (problem.message)
    )


def test_a_broken_age_is_reported_once(city):
    # Not again in each condition that uses care_age.
    edit(city / "ages.yaml", "- fact: care_age", "- fact: care-age")
    problem = only(check(city))
    assert problem.file == "ages.yaml"
    assert "_age で終えてください" in problem.message


def test_a_broken_life_event_is_reported_once(city):
    edit(city / "life_events.yaml", "- id: move_in", "- id: movein")
    problem = only(check(city))
    assert (
        "出来事「movein」は使えません。move_in(転入)のまちがいではありませんか" in problem.message
    )


def test_an_unknown_event_names_the_allowed_ones(city):
    path = city / "procedures" / "birth-registration.yaml"
    edit(path, "events: [birth]", "events: [brith]")
    problem = only(check(city))
    assert problem.line == line_of(path, "events:")
    assert "出来事「brith」は使えません。birth(出生)のまちがいではありませんか" in problem.message
    assert "move_in(転入)、move_out(転出)、move_within(転居)、marriage(婚姻)、death(死亡)" in (
        problem.message
    )


def test_an_unknown_event_with_a_condition(city):
    path = city / "procedures" / "kokuho-enroll.yaml"
    edit(path, "  move_in:\n", "  movein:\n")
    problem = only(check(city))
    assert problem.line == line_of(path, "  movein:")
    assert (
        "出来事「movein」は使えません。move_in(転入)のまちがいではありませんか" in problem.message
    )


def test_an_event_listed_twice(city):
    path = city / "procedures" / "birth-registration.yaml"
    edit(path, "events: [birth]", "events: [birth, birth]")
    problem = only(check(city))
    assert problem.line == line_of(path, "events:")
    assert "出来事「birth」(出生)が二度書かれています" in problem.message


def test_an_event_with_a_condition_given_twice(city):
    path = city / "procedures" / "kokuho-enroll.yaml"
    edit(path, "  birth:\n", "  move_in:\n")
    problem = only(check(city))
    assert problem.line == line_of(path, "reason: 赤ちゃん") - 2
    assert "同じ項目名「move_in」が二度書かれています" in problem.message


def test_no_event(city):
    path = city / "procedures" / "birth-registration.yaml"
    edit(path, "events: [birth]", "events: []")
    problem = only(check(city))
    assert "events: [birth, move_in] のように1つ以上書いてください" in problem.message


def test_a_misspelt_department_names_the_closest(city):
    edit(city / "procedures" / "cremation-permit.yaml", "department: shimin", "department: shimn")
    problem = only(check(city))
    assert (
        "担当課「shimn」は departments.yaml にありません。「shimin」のまちがいではありませんか"
        in (problem.message)
    )


def test_a_broken_department_is_reported_once(city):
    # Not again in each procedure of 保険年金課: they name the ID the clerk meant.
    path = city / "departments.yaml"
    edit(path, "- id: hoken-nenkin", "- id: hoken－nenkin")
    problem = only(check(city))
    assert problem.file == "departments.yaml"


def test_a_condition_must_have_exactly_one_kind(city):
    path = city / "procedures" / "seal-registration.yaml"
    edit(path, '  member: "age >= 15"', '  household: has_dog\n  member: "age >= 15"')
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


def test_a_condition_may_not_test_the_event(city):
    path = city / "procedures" / "seal-registration.yaml"
    edit(path, '  member: "age >= 15"', "  household: \"event = 'move_in'\"")
    problem = only(check(city))
    assert "events:" in problem.message
    assert problem.line == line_of(path, "event = 'move_in'")


def test_an_age_may_not_hide_a_builtin_fact(city):
    path = city / "ages.yaml"
    edit(path, "- fact: care_age", "- fact: fiscal_age")
    problems = check(city)
    assert any("組み込み" in p.message and p.file == "ages.yaml" for p in problems)


def test_a_construct_the_guide_cannot_run_is_a_catalogue_problem(city):
    path = city / "procedures" / "low-birth-weight-notice.yaml"
    edit(path, 'birth_weight_g < 2500"', 'birth_weight_g + 0 < 2500"')
    problem = only(check(city))
    assert problem.file == "procedures/low-birth-weight-notice.yaml"
    assert problem.line == line_of(path, "birth_weight_g + 0")
    assert "「+」はこの仕組みでは使えません" in problem.message


def test_a_procedure_without_sources_is_refused(city):
    """Every procedure says where it comes from (its law and an official page)."""
    path = city / "procedures" / "seal-registration.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("sources:")
    end = text.index("\nevents:")
    path.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    problem = only(check(city))
    assert problem.file == "procedures/seal-registration.yaml"
    assert "sources がありません" in problem.message


def test_sources_need_an_official_page_not_only_the_law(city):
    path = city / "procedures" / "seal-registration.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  pages:")
    end = text.index("\n", text.index("url:", start))
    # Drop the pages (and their items) up to the next top-level key.
    rest = text[end + 1 :]
    while rest.startswith("    "):
        rest = rest[rest.index("\n") + 1 :]
    path.write_text(text[:start] + rest, encoding="utf-8")
    problems = check(city)
    assert problems and all(p.file == "procedures/seal-registration.yaml" for p in problems)
