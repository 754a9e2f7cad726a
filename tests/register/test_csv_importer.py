"""The ``madoguchi-csv`` importer's check: encodings, columns, every kind of bad
cell with its line and column, a truncated file, a duplicate 宛名番号, and a
個人番号 column refused by its header or its content (the number never echoed)."""

from __future__ import annotations

from datetime import date

import pytest

from madoguchi.common.mynumber import check_digit
from madoguchi.register.importers.registry import registry
from tests.register.conftest import CAST, HEADER, column, csv_text, rows


def importer():
    return registry.get("madoguchi-csv")


def problems(check) -> list[tuple[int, str, str]]:
    return [(p.line, p.column, p.message) for p in check.problems]


def my_number(first_eleven: str) -> str:
    return first_eleven + str(check_digit(first_eleven))


def test_cp932_with_ikb_and_nec_kanji_comes_through(write):
    with pytest.raises(UnicodeEncodeError):
        "髙﨑".encode("shift_jis")  # extension kanji: not in plain Shift_JIS
    python_way = write(encoding="cp932")  # 髙 as NEC's selection of IBM's (EE E0)
    windows_way = write(text="")  # 髙 as Windows writes it (IBM's own: FB FC)
    windows_way.write_bytes(python_way.read_bytes().replace(b"\xee\xe0", b"\xfb\xfc"))
    assert b"\xfb\xfc" in windows_way.read_bytes()
    for path in (python_way, windows_way):
        check = importer().check(path)
        assert check.ok, problems(check)
        assert check.encoding == "cp932" and check.rows == len(CAST)
        names = [r.name for r in importer().records(path)]
        assert names[0] == "髙橋\u3000一郎" and names[3] == "山﨑\u3000和子"


def test_utf8_with_and_without_bom(write):
    for bom, encoding in ((True, "utf-8-sig"), (False, "utf-8")):
        path = write(bom=bom)
        check = importer().check(path)
        assert check.ok and check.encoding == encoding
        first = next(importer().records(path))
        assert first.number == "1001"  # the BOM is not part of the first header


def test_values_are_tidied_with_the_project_s_helpers(write):
    body = rows({"of": "1001", "宛名番号": "１００１", "性別": "男性", "保険": "社会保険"})
    first = next(importer().records(write(body)))
    assert first.number == "1001" and first.sex == "male" and first.insurance == "shaho"
    assert first.name_kana == "たかはし\u3000いちろう"  # カタカナ → ひらがな
    assert first.postal_code == "3792313" and first.birth_date == date(1961, 5, 10)
    assert first.status == "resident" and first.status_date is None


def test_columns_in_any_order_and_extra_columns_are_a_warning(write):
    order = list(reversed(HEADER)) + ["備考"]
    body = [list(reversed(r)) + ["メモ"] for r in CAST]
    path = write(body, header=order)
    check = importer().check(path)
    assert check.ok and check.warnings == ["列「備考」は使わないので読み飛ばしました"]
    assert [r.number for r in importer().records(path)] == [r[0] for r in CAST]


def test_a_missing_required_column_is_named(write):
    header = [h for h in HEADER if h != "生年月日"]
    body = [[c for i, c in enumerate(r) if i != column("生年月日")] for r in CAST]
    check = importer().check(write(body, header=header))
    assert problems(check) == [
        (1, "生年月日", "この列がありません。1行目に列の名前を書いてください")
    ]


@pytest.mark.parametrize(
    ("header_name", "value", "words"),
    [
        ("生年月日", "1961-02-30", "「1961-02-30」を日付として読めません"),
        ("生年月日", "昭和36年", "を日付として読めません"),
        ("住民となった日", "", "住民となった日が空です"),
        ("続柄", "いとこ", "続柄「いとこ」は使えません"),
        ("保険", "共済", "保険「共済」は使えません。国保・社保・後期・なし のどれか"),
        ("異動", "転居", "異動「転居」は使えません"),
        ("性別", "M", "性別「M」は使えません"),
        ("要介護認定", "2", "要介護認定は 0 か 1 で書いてください(「2」と書かれています)"),
        ("社保被扶養者", "", "社保被扶養者は 0 か 1 で書いてください(空です)"),
        ("郵便番号", "123", "郵便番号は7けた"),
        ("氏名かな", "Takahashi", "ひらがなかカタカナ"),
        ("宛名番号", "", "宛名番号が空です"),
    ],
)
def test_a_bad_cell_is_reported_with_line_column_and_a_japanese_sentence(
    write, header_name, value, words
):
    body = rows({"of": "2002", header_name: value})
    check = importer().check(write(body))
    assert len(check.problems) == 1, problems(check)
    ((line, where, message),) = problems(check)
    assert (line, where) == (6, header_name)  # the header is line 1; 2002 is the 5th person
    assert words in message


def test_cells_that_contradict_each_other(write):
    body = rows(
        {"宛名番号": "2002", "異動": "死亡"},  # no 異動日
        {"宛名番号": "3001", "社保被扶養者": "1"},  # 国保
    )
    check = importer().check(write(body))
    assert problems(check) == [
        (6, "異動日", "転出・死亡のときは異動日を書いてください"),
        (7, "社保被扶養者", "社保の被扶養者(1)のときは、保険を「社保」にしてください"),
    ]


def test_every_bad_row_is_reported_not_only_the_first(write):
    body = rows({"宛名番号": "1002", "性別": "?"}, {"宛名番号": "3001", "保険": "?"})
    check = importer().check(write(body))
    assert [(p.line, p.column) for p in check.problems] == [(3, "性別"), (7, "保険")]


def test_a_duplicate_number_names_both_lines(write):
    body = [*CAST, list(CAST[1])]
    check = importer().check(write(body))
    assert problems(check) == [
        (8, "宛名番号", "この宛名番号は3行目にもあります。1人1行にしてください")
    ]


def test_a_file_cut_in_the_middle_of_its_last_row(write):
    text = csv_text(CAST)
    cut = text[: text.rindex("群馬県")]  # the last row stops in its address
    check = importer().check(write(text=cut))
    assert [(p.line, p.column) for p in check.problems] == [(7, "")]
    assert "列が足りません" in check.problems[0].message
    assert "途中で切れている" in check.problems[0].message


def test_a_file_cut_inside_a_quoted_cell(write):
    text = csv_text(CAST) + '4001,H04,世帯主,"齊藤 美咲'
    check = importer().check(write(text=text))
    assert [(p.line, p.column) for p in check.problems] == [(8, "")]
    assert "閉じられないまま、ファイルが終わっています" in check.problems[0].message


def test_a_utf8_file_cut_in_the_middle_of_a_character(write, tmp_path):
    path = write()
    data = path.read_bytes() + "4001,H04,世帯主,齊".encode()[:-1]
    path.write_bytes(data)
    check = importer().check(path)
    assert check.encoding == "utf-8"  # not mistaken for cp932
    messages = [p.message for p in check.problems]
    assert any("文字の途中で終わっています" in m for m in messages), messages


def test_an_empty_file_and_a_header_only_file(write):
    assert "ファイルが空です" in importer().check(write(text="")).problems[0].message
    check = importer().check(write([]))
    assert check.ok and check.rows == 0


@pytest.mark.parametrize(
    "name",
    ["個人番号", "マイナンバー", "my_number", "MyNumber", "ｺｼﾞﾝﾊﾞﾝｺﾞｳ個人番号", "個人番号(12桁)"],
)
def test_a_my_number_column_by_its_header_refuses_the_file_unread(write, name):
    header = [*HEADER, name]
    body = [[*r, "123456789018"] for r in rows({"宛名番号": "1002", "性別": "?"})]
    check = importer().check(write(body, header=header))
    assert check.my_number and check.rows == 0  # not a row was read
    ((line, where, message),) = problems(check)  # the bad 性別 is not even looked at
    assert line == 1 and "16列目の名前が個人番号の列を示しています" in message
    assert "ファイルは読み込んでいません" in message


def test_a_column_holding_my_numbers_by_its_content_is_refused(write):
    numbers = [my_number(f"{i:011d}") for i in range(314159265, 314159265 + len(CAST))]
    body = [[*r, n] for r, n in zip(CAST, numbers, strict=True)]
    check = importer().check(write(body, header=[*HEADER, "番号"]))
    assert check.my_number
    ((line, where, message),) = problems(check)
    assert where == "番号" and "16列目に個人番号と思われる12けたの番号が6件あります" in message
    for number in numbers:
        assert number not in str(check.problems) and number not in str(check.warnings)


def test_one_my_number_in_a_free_column_is_enough(write):
    body = [[*r, ""] for r in CAST]
    body[2][-1] = "1234 5678 9018"  # written with spaces, in a 備考 column
    check = importer().check(write(body, header=[*HEADER, "備考"]))
    assert check.my_number and "12けたの番号が1件" in check.problems[0].message


def test_my_numbers_as_the_key_are_refused(write):
    body = rows(*[{"宛名番号": r[0]} for r in CAST])
    for r, i in zip(body, range(len(body)), strict=True):
        r[0] = my_number(f"{27182818284 + i:011d}")
    check = importer().check(write(body))
    assert check.my_number and check.problems[0].column == "宛名番号"


def test_a_town_s_own_12_digit_numbers_are_not_taken_for_my_numbers(write):
    """宛名番号 of 12 digits pass the check digit about once in eleven by chance."""
    body = [list(r) for r in CAST]
    passing = my_number("10000000001")
    failing = [f"{n:012d}" for n in range(100000000020, 100000001000)]
    failing = [n for n in failing if n[-1] != str(check_digit(n[:11]))]
    for r, number in zip(body, [passing, *failing], strict=False):
        r[0] = number
    check = importer().check(write(body))
    assert check.ok, problems(check)
