"""The CSV export: columns, older forms, encodings, the cp932 policy, the formula
guard and constant memory (views: test_export_views.py)."""

from __future__ import annotations

import codecs
import csv
import io
import tracemalloc

import pytest

from madoguchi.applications.models import Application, Attachment
from madoguchi.backoffice.export import (
    FIXED,
    GETA,
    SUBSTITUTES,
    Export,
    Problem,
    Unwritable,
    guard,
    report_stream,
    substitute_char,
)
from madoguchi.catalog.form_schema import FormSpec

from .export_fixtures import CLAIM, claim_data, form_spec, make

pytestmark = pytest.mark.django_db


# An address with a character cp932 lacks (U+29E3D, a kanji beyond JIS X 0208).
TARA = {"postal_code": "0100001", "address": "秋田県鱈\U00029e3d町1-1"}


def export() -> Export:
    return Export(Application.objects.all(), CLAIM, FormSpec.model_validate(form_spec()))


def read(stream, encoding="utf-8-sig") -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(stream).decode(encoding), newline="")))


def test_columns_flatten_every_kind_and_number_the_repeats(takahashi):
    two = claim_data()
    two["children"] = two["children"] * 2
    make(takahashi, data=claim_data())
    make(takahashi, data=two, first=2)
    header, first, second = read(export().stream())
    assert header[:5] == list(FIXED)
    assert header[5:14] == [
        "請求者の氏名(氏名)", "請求者の氏名(ふりがな)", "請求者の生年月日",
        "請求者の住所(郵便番号)", "請求者の住所(住所)", "日中に連絡がとれる電話番号",
        "メールアドレス", "請求者の健康保険", "配偶者の氏名(氏名)",
    ]  # fmt: skip
    assert "対象となる子ども1 子どもの氏名(氏名)" in header
    assert "対象となる子ども2 請求者と一緒に住んでいる" in header
    assert "対象となる子ども3 子どもの氏名(氏名)" not in header  # up to the most present
    assert not any(h.startswith("18歳の年度末") for h in header)  # nobody has one
    row = dict(zip(header, first, strict=True))
    assert row["受付番号"] == "2026-000001"
    assert row["受付日時(JST)"] == "2026-11-20 09:30:00"
    assert (row["状態"], row["経路"], row["様式の版"]) == ("受付", "オンライン", "3")
    assert row["請求者の氏名(氏名)"] == "高橋\u3000太郎"
    assert row["請求者の生年月日"] == "1988-06-15"
    assert row["請求者の住所(郵便番号)"] == "010-0001"  # Excel keeps the leading 0
    assert row["日中に連絡がとれる電話番号"] == "090-1234-5678"
    assert row["請求者の健康保険"] == "国民健康保険"  # the label, not "kokuho"
    assert row["対象となる子ども1 請求者と一緒に住んでいる"] == "はい"
    assert row["対象となる子ども1 請求者との続柄"] == "子"
    assert row["対象となる子ども2 子どもの氏名(氏名)"] == ""
    assert row["配偶者の氏名(氏名)"] == ""
    assert (
        dict(zip(header, second, strict=True))["対象となる子ども2 子どもの生年月日"] == "2026-11-20"
    )


def test_the_bank_account_gives_codes_names_and_half_width_kana_in_cp932(takahashi):
    make(takahashi)
    header, row = read(export().stream("cp932"), "cp932")
    r = dict(zip(header, row, strict=True))
    label = "児童手当の振込先の口座"
    assert [r[f"{label}({part})"] for part in ("金融機関コード", "金融機関名", "支店コード",
            "支店名", "預金種目", "口座番号", "口座名義")] == [
        "0001", "みずほ", "001", "東京営業部", "普通", "0012345", "ﾀｶﾊｼ ﾀﾛｳ",
    ]  # fmt: skip


def test_file_fields_give_the_file_names(takahashi):
    (app,) = make(takahashi)
    names = []
    for i, name in enumerate(["保険証.png", "追加.pdf"]):
        a = Attachment.objects.create(
            application=app, field_id="insurance_document", original_name=name,
            content_type="image/png", size=1, sha256="0" * 64, storage_name=f"x/{i}",
        )  # fmt: skip
        names.append(str(a.public_id))
    app.data["insurance_document"] = names
    app.save()
    header, row = read(export().stream())
    assert (
        dict(zip(header, row, strict=True))["請求者の健康保険の資格確認書などの写し"]
        == "保険証.png\n追加.pdf"
    )


def test_older_versions_add_their_own_fields_after_the_current_ones(takahashi):
    old = form_spec()
    old["version"] = 1
    old["fields"] = [f for f in old["fields"] if f["id"] != "older_children"] + [
        {"id": "memo", "kind": "text", "label": {"ja": "旧様式の備考"}},
        {"id": "claimant_insurance", "kind": "choice", "label": {"ja": "旧ラベル"},
         "choices": [{"value": "kokuho", "label": {"ja": "国保(旧)"}}]},
    ]  # fmt: skip
    old["fields"] = [f for i, f in enumerate(old["fields"]) if f["id"] != "claimant_insurance"
                     or i == len(old["fields"]) - 1]  # fmt: skip
    make(takahashi, data=claim_data(memo="旧い備考"), spec=old, version=1)
    make(takahashi, first=2)
    header, v1, v2 = read(export().stream())
    assert header[-1] == "旧様式の備考"  # only in the older form: after the current ones
    assert header.index("請求者の健康保険") < header.index("配偶者の氏名(氏名)")  # current order
    assert "旧ラベル" not in header  # the same field: the current form's header
    r1, r2 = dict(zip(header, v1, strict=True)), dict(zip(header, v2, strict=True))
    assert (r1["様式の版"], r1["旧様式の備考"], r1["請求者の健康保険"]) == (
        "1",
        "旧い備考",
        "国保(旧)",
    )
    assert (r2["様式の版"], r2["旧様式の備考"]) == ("3", "")


def test_utf8_starts_with_a_bom_and_uses_crlf(takahashi):
    make(takahashi)
    data = b"".join(export().stream("utf-8"))
    assert data.startswith(codecs.BOM_UTF8)
    assert data[3:].decode("utf-8").startswith("受付番号,受付日時(JST),状態,経路,様式の版,")
    assert b"\r\n" in data


def test_cp932_round_trips_through_pythons_csv_reader(takahashi):
    make(takahashi, data=claim_data(claimant_name={"name": "髙橋\u3000﨑子", "kana": "たかはし"}))
    data = b"".join(export().stream("cp932"))
    assert not data.startswith(codecs.BOM_UTF8)
    header, row = read([data], "cp932")
    assert header[5] == "請求者の氏名(氏名)"
    assert row[5] == "髙橋\u3000﨑子"  # IBM/NEC extensions: in cp932, kept as they are
    assert read(export().stream("utf-8")) == [header, row]


def test_characters_cp932_lacks_are_listed_exactly_and_nothing_is_sent(takahashi):
    make(takahashi)
    make(takahashi, data=claim_data(
        claimant_name={"name": "𠮷田\u3000剝", "kana": "よしだ"}, claimant_address=TARA
    ), first=2)  # fmt: skip
    assert list(export().problems()) == [
        Problem("2026-000002", "請求者の氏名(氏名)", "𠮷", "吉"),
        Problem("2026-000002", "請求者の氏名(氏名)", "剝", "剥"),
        Problem("2026-000002", "請求者の住所(住所)", "\U00029e3d", None),
    ]
    p = list(export().problems())[2]
    assert (p.codepoint, p.written_as) == ("U+29E3D", GETA)
    with pytest.raises(Unwritable) as refused:  # strict: never dropped, never "?"
        b"".join(export().stream("cp932"))
    # Found while encoding (one pass), with the same problems as the check lists.
    assert refused.value.problems == list(export().problems())


def test_substituting_records_the_problems_in_the_same_pass(takahashi):
    make(takahashi, data=claim_data(claimant_name={"name": "𠮷田\u3000一", "kana": "よしだ"}))
    make(takahashi, first=2)
    found: list = []
    header, first, second = read(export().stream("cp932", substitute=True, problems=found), "cp932")
    assert first[5] == "吉田\u3000一" and second[0] == "2026-000002"
    assert (
        found
        == list(export().problems())
        == [Problem("2026-000001", "請求者の氏名(氏名)", "𠮷", "吉")]
    )


def test_substitution_only_as_documented_and_always_reported(takahashi):
    make(takahashi, data=claim_data(
        claimant_name={"name": "𠮷田\u3000葛\U000E0100子", "kana": "よしだ"},
        claimant_address=TARA, spouse_name={"name": "吉田\u3000花子", "kana": "ヨシダ\u00a5"},
    ))  # fmt: skip
    header, row = read(export().stream("cp932", substitute=True), "cp932")
    r = dict(zip(header, row, strict=True))
    assert r["請求者の氏名(氏名)"] == "吉田\u3000葛子"  # the IVS removed, the base kept
    assert r["請求者の住所(住所)"] == f"秋田県鱈{GETA}町1-1"
    assert r["配偶者の氏名(ふりがな)"] == "ヨシダ￥"
    report = read(report_stream(export().problems()))
    assert report == [
        ["受付番号", "列", "文字", "符号位置", "書き出した文字"],
        ["2026-000001", "請求者の氏名(氏名)", "𠮷", "U+20BB7", "吉"],
        ["2026-000001", "請求者の氏名(氏名)", "\U000e0100", "U+E0100", "(削除: 異体字セレクタ)"],
        ["2026-000001", "請求者の住所(住所)", "\U00029e3d", "U+29E3D", GETA],
        ["2026-000001", "配偶者の氏名(ふりがな)", "\u00a5", "U+00A5", "￥"],
    ]


def test_the_substitution_table_maps_out_of_cp932_into_it():
    for old, new in SUBSTITUTES.items():
        with pytest.raises(UnicodeEncodeError):
            old.encode("cp932")
        new.encode("cp932")
    assert substitute_char("\ufa10") == "塚"  # compatibility ideograph → its canonical form
    assert substitute_char("\U00029e3d") is None
    for kept in "髙﨑德邊濵":  # in cp932: never substituted
        kept.encode("cp932")


@pytest.mark.parametrize("text", ["=1+2", "+81", "-2+3", "@SUM(A1)", "\tx", "\rx", "＝1"])
def test_formula_injection_guard(text, takahashi):
    assert guard(text) == "'" + text
    make(takahashi, data=claim_data(claimant_address={"postal_code": "0100001", "address": text}))
    header, row = read(export().stream())
    assert dict(zip(header, row, strict=True))["請求者の住所(住所)"] == "'" + text


def test_plain_text_and_numbers_are_not_guarded():
    assert guard("高橋") == "高橋" and guard(3) == 3 and guard("2026-000001") == "2026-000001"


def _peak(exp: Export) -> tuple[int, int]:
    size = 0
    tracemalloc.start()
    try:
        for chunk in exp.stream("cp932"):
            size += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return size, peak


def test_memory_stays_flat_as_the_rows_grow(takahashi):
    make(takahashi, 4_000)
    _peak(export())  # warm: imports, the parsed form, phone metadata
    small_size, small = _peak(export())
    make(takahashi, 8_000, first=4_001)
    size, peak = _peak(export())
    print(f"4,000 rows: {small_size} bytes, peak {small}; 12,000: {size} bytes, peak {peak}")
    assert size > 2.9 * small_size  # three times the rows …
    assert peak < 1.2 * small  # … the same memory: a chunk of 2,000 rows at a time
