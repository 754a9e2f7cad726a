"""``./dev register import|importers``: the summary, the problems and the exit codes,
the progress bar on a terminal only, and the town to import into."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from madoguchi.common.progress import Bar
from madoguchi.register.models import Import, Person
from tests.register.conftest import CAST, HEADER, rows

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("register", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_an_import_prints_a_japanese_summary(write):
    code, out, err = run("import", str(write(name="jumin.csv", bom=True)))
    assert code == 0 and err == ""
    assert (
        out.splitlines()[0] == f"住民記録を取り込みました: jumin.csv(UTF-8(BOM付き)、{len(CAST)}行)"
    )
    assert f"  新しく記録した人(転入・出生など): {len(CAST)}" in out
    code, out, _ = run(
        "import", str(write(rows({"宛名番号": "2002", "異動": "死亡", "異動日": "2026-11-02"})))
    )
    assert code == 0
    assert "  死亡: 1" in out and "  転出: 0" in out and f"  変更なし: {len(CAST) - 1}" in out


def test_a_dry_run_says_so_and_stores_nothing(write):
    code, out, _ = run("import", str(write()), "--dry-run")
    assert code == 0 and out.startswith("試しに読みました(--dry-run: 何も保存していません)")
    assert not Person.objects.exists() and not Import.objects.exists()


def test_a_refused_file_lists_the_first_100_problems_and_exits_1(write):
    body = []
    for i in range(150):
        row = list(CAST[0])
        row[0] = str(5000 + i)
        row[HEADER.index("性別")] = "?"
        body.append(row)
    code, out, err = run("import", str(write(body, name="bad.csv")))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == "bad.csv: 取り込めません。問題が 150件あります"
    assert lines[1] == "  2行目「性別」: 性別「?」は使えません。男・女 のどれかで書いてください"
    assert lines[101] == "  ほかに 50件の問題があります"
    assert "何も取り込んでいません" in lines[-1]
    assert not Person.objects.exists()


def test_warnings_go_to_stderr_and_the_import_goes_ahead(write):
    body = [[*r, "x"] for r in CAST]
    code, out, err = run("import", str(write(body, header=[*HEADER, "旧住所"])))
    assert code == 0 and "注意: 列「旧住所」は使わないので読み飛ばしました" in err
    assert Person.objects.count() == len(CAST)


def test_a_my_number_column_exits_1_without_echoing_the_number(write):
    body = [[*r, "123456789018"] for r in CAST]
    code, out, err = run("import", str(write(body, header=[*HEADER, "個人番号"])))
    assert code == 1 and "個人番号" in err and "123456789018" not in err + out


def test_a_missing_file_an_unknown_importer_and_several_towns(write, sakura):
    with pytest.raises(CommandError, match="見つかりません"):
        call_command("register", "import", "/nonexistent/jumin.csv")
    with pytest.raises(CommandError, match="「kijun」という取り込みの方法はありません"):
        call_command("register", "import", str(write()), "--importer", "kijun")
    with pytest.raises(CommandError, match="--town"):  # みどり市 and さくら町
        call_command("register", "import", str(write()))
    code, _, _ = run("import", str(write()), "--town", "sakura")
    assert code == 0
    assert Person.objects.count() == 0  # みどり市's register: untouched


def test_the_importers_are_listed_with_their_state():
    code, out, _ = run("importers")
    assert code == 0 and "madoguchi-csv\tmadoguchi の CSV(住民記録)\t使えます" in out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_drawn_on_a_terminal_only():
    screen = Terminal()
    bar = Bar(screen, every=0)
    bar("書き込み中", 500, 1000)
    bar("書き込み中", 1000, 1000)
    bar.close()
    drawn = screen.getvalue()
    assert "\r書き込み中 [###############...............]  50% 500/1,000" in drawn
    assert "100% 1,000/1,000" in drawn and drawn.endswith("\r\033[K")
    log = io.StringIO()
    Bar(log)("確認中", 3000)
    assert log.getvalue() == ""
