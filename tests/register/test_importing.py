"""Importing into the database: all or nothing, a re-import as a diff, persons
never deleted, one audit entry without personal values, a dry run, large files,
and each town's register its own."""

from __future__ import annotations

import json

import pytest

from madoguchi.common.models import AuditEvent
from madoguchi.register.importing import import_file
from madoguchi.register.models import Import, Person
from madoguchi.towns.context import activate
from tests.register.conftest import CAST, HEADER, column, rows

pytestmark = pytest.mark.django_db


def test_a_good_file_is_imported_with_its_run(write):
    path = write(encoding="cp932", name="jumin-20261201.csv")
    outcome = import_file(path, run_by="jumin-kakari")
    assert not outcome.refused
    assert outcome.counts["new"] == len(CAST) and outcome.counts["unchanged"] == 0
    run = Import.objects.get()
    assert (run.file_name, run.encoding, run.rows, run.new) == (
        "jumin-20261201.csv",
        "cp932",
        len(CAST),
        len(CAST),
    )
    assert run.run_by == "jumin-kakari" and len(run.sha256) == 64
    saito = Person.objects.get(number="3001")
    assert saito.name == "齊藤\u3000健" and saito.insurance == "kokuho"
    assert saito.first_import == saito.last_import == saito.changed_import == run


def test_one_bad_row_and_nothing_is_imported(write):
    import_file(write())
    before = (Person.objects.count(), Import.objects.count(), AuditEvent.objects.count())
    names = list(Person.objects.order_by("number").values_list("number", "name", "status"))
    body = rows(
        {"宛名番号": "1001", "氏名": "髙橋 一朗"},  # a good change…
        {"宛名番号": "2002", "異動": "死亡", "異動日": "2026-02-30"},  # …and a bad date
    )
    outcome = import_file(write([*body, [*CAST[0][:1], *["x"] * 14]]))
    assert outcome.refused and outcome.imported is None
    assert outcome.check.problem_count >= 2
    after = (Person.objects.count(), Import.objects.count(), AuditEvent.objects.count())
    assert after == before
    assert list(Person.objects.order_by("number").values_list("number", "name", "status")) == names


def test_a_my_number_file_leaves_no_trace(write):
    body = [[*r, "123456789018"] for r in CAST]
    outcome = import_file(write(body, header=[*HEADER, "マイナンバー"]))
    assert outcome.refused and outcome.check.my_number
    assert not Person.objects.exists() and not Import.objects.exists()
    assert not AuditEvent.objects.filter(target_type="register.Import").exists()


def test_a_re_import_is_a_diff(write):
    first = import_file(write()).imported
    body = rows(
        {"宛名番号": "1003", "世帯番号": "H09", "続柄": "世帯主"},  # 翔太さん: his own household
        {"宛名番号": "2002", "異動": "死亡", "異動日": "2026-11-02"},  # 茂さん died
        {"宛名番号": "3001", "異動": "転出", "異動日": "2026-12-20"},  # 齊藤さん moves out
        {"宛名番号": "2001", "住所": "群馬県みどり市大間々町大間々1-2-4"},  # moved within town
    )
    newborn = ["1004", "H01", "子", "髙橋 葵", "たかはし あおい", "2026-11-01", "女", "3792313",
               "群馬県みどり市笠懸町鹿2952-1", "社保", "1", "0", "2026-11-01", "住民", ""]  # fmt: skip
    outcome = import_file(write([*body, newborn]))
    assert outcome.counts == {
        "new": 1,
        "returned": 0,
        "moved_out": 1,
        "died": 1,
        "household_changed": 1,
        "changed": 1,
        "unchanged": 2,
        "not_in_file": 0,
    }
    second = outcome.imported
    died = Person.objects.get(number="2002")
    assert died.status == "died" and str(died.status_date) == "2026-11-02"
    assert died.changed_import == second and died.first_import == first
    unchanged = Person.objects.get(number="1001")
    assert unchanged.last_import == second and unchanged.changed_import == first
    assert Person.objects.get(number="1003").household == "H09"


def test_persons_are_never_deleted_and_can_come_back(write):
    import_file(write())
    outcome = import_file(write(CAST[:2]))  # a file of two persons
    assert outcome.counts["not_in_file"] == len(CAST) - 2
    assert Person.objects.count() == len(CAST)
    import_file(write(rows({"宛名番号": "3001", "異動": "転出", "異動日": "2026-01-10"})))
    back = import_file(write(rows({"宛名番号": "3001", "住所": "群馬県みどり市笠懸町阿左美200"})))
    assert back.counts["returned"] == 1
    assert Person.objects.get(number="3001").status == "resident"


def test_one_audit_entry_per_import_with_counts_and_no_personal_values(write):
    import_file(write())
    outcome = import_file(write(rows({"宛名番号": "2002", "異動": "死亡", "異動日": "2026-11-02"})))
    entries = AuditEvent.objects.filter(target_type="register.Import").order_by("id")
    assert entries.count() == 2
    last = entries.last()
    assert last.target_id == str(outcome.imported.pk) and last.action == "create"
    assert last.detail["died"] == 1 and last.detail["unchanged"] == len(CAST) - 1
    text = json.dumps(last.detail, ensure_ascii=False)
    for row in CAST:
        for value in (row[column("氏名")], row[column("住所")], row[column("生年月日")]):
            assert value not in text
        assert row[column("氏名")].split()[0] not in text


def test_a_dry_run_counts_and_stores_nothing(write):
    import_file(write())
    before = (Import.objects.count(), AuditEvent.objects.count())
    outcome = import_file(
        write(rows({"宛名番号": "1001", "住所": "群馬県みどり市笠懸町鹿1"})), dry_run=True
    )
    assert outcome.dry_run and outcome.imported is None and outcome.counts["changed"] == 1
    assert (Import.objects.count(), AuditEvent.objects.count()) == before
    assert Person.objects.get(number="1001").address == CAST[0][column("住所")]


def _many(count: int, bad: bool = False) -> list[list[str]]:
    body = []
    for i in range(count):
        row = list(CAST[i % len(CAST)])
        row[0] = f"{100000 + i}"
        row[1] = f"H{10000 + i // 3}"
        if bad:
            row[column("生年月日")] = "1990-02-30"
        body.append(row)
    return body


def test_ten_thousand_bad_rows_are_all_reported_and_nothing_imported(write):
    outcome = import_file(write(_many(10_000, bad=True)))
    assert outcome.refused and outcome.check.problem_count == 10_000
    assert [p.line for p in outcome.check.problems] == list(range(2, 10_002))
    assert not Person.objects.exists() and not Import.objects.exists()


def test_ten_thousand_rows_are_written_in_batches_and_re_imported(
    write, django_assert_max_num_queries
):
    path = write(_many(10_000))
    # Batches, not a query per person (SQLite's limit of 999 parameters a query
    # splits an insert of 2,000 into about 40).
    with django_assert_max_num_queries(250):
        outcome = import_file(path)
    assert outcome.counts["new"] == 10_000 and Person.objects.count() == 10_000
    with django_assert_max_num_queries(40):
        again = import_file(path)
    assert again.counts["unchanged"] == 10_000
    assert not Person.objects.exclude(last_import=again.imported).exists()


def test_each_town_has_its_own_register(write, sakura):
    import_file(write())
    with activate(sakura):
        assert not Person.objects.exists()
        outcome = import_file(write(CAST[:1]))
        assert outcome.counts["new"] == 1  # the same 宛名番号 is another person there
        assert Person.objects.count() == 1
    assert Person.objects.count() == len(CAST)
