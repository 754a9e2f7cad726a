"""``./dev guide FILE.json`` (the ``guide`` management command)."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def run_guide(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "manage.py", "guide", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_prints_the_contract_json(tmp_path):
    situation = tmp_path / "s.json"
    situation.write_text(
        json.dumps(
            {
                "event": "move_in",
                "event_date": "2026-11-20",
                "members": [
                    {
                        "role": "self",
                        "birth_date": "1990-01-01",
                        "insurance": "kokuho",
                        "has_mynumber_card": False,
                        "care_certified": False,
                        "joins_national_pension": True,
                    }
                ],
                "has_dog": False,
            }
        ),
        encoding="utf-8",
    )
    done = run_guide(str(situation))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) >= {"procedures", "questions"}
    first = out["procedures"][0]
    assert set(first) >= {
        "id",
        "name",
        "department",
        "status",
        "reasons",
        "deadline",
        "online",
        "bring",
    }
    procs = {p["id"]: p for p in out["procedures"]}
    assert procs["moving-in-registration"]["deadline"] == "2026-12-04"
    assert procs["kokuho-enroll"]["status"] == "required"
    assert procs["pension-type-change"]["status"] == "required"


def test_reads_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(
        "sys.stdin", io.StringIO('{"event": "marriage", "event_date": "2026-11-20", "members": []}')
    )
    call_command("guide", "-")
    procedures = json.loads(capsys.readouterr().out)["procedures"]
    assert [p["id"] for p in procedures] == ["marriage-registration"]


def test_invalid_input_exits_2_with_one_line_on_stderr(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"event": "birth", "event_date": "20261120"}', encoding="utf-8")
    done = run_guide(str(path))
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "できごとがあった日" in lines[0]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"event": "wedding"}', "出来事"),
        ('{"event": "birth", "members": [{"role": "king"}]}', "続柄"),
        ("not json", "JSON"),
        (None, "読めません"),
    ],
)
def test_invalid_input_in_process(tmp_path, capsys, text, words):
    path = tmp_path / "bad.json"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        call_command("guide", str(path))
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and words in err


def guide_errors(tmp_path, capsys, raw: bytes, *args) -> str:
    path = tmp_path / "s.json"
    path.write_bytes(raw)
    with pytest.raises(SystemExit) as exited:
        call_command("guide", str(path), *args)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    return err


@pytest.mark.parametrize(
    ("situation", "words"),
    [
        (
            {"event": "birth", "event_date": 1798243200},
            "できごとがあった日: 日付は 2026-11-20 のように",
        ),
        ({"event": "birth", "event_date": "2026-11-20T00:00"}, "できごとがあった日: 日付は"),
        ({"event": "birth", "has_dog": 1}, "犬の飼育: true か false で書いてください"),
        ({"event": "birth", "has_dog": "yes"}, "犬の飼育: true か false で書いてください"),
        (
            {"event": "birth", "members": [{"role": "newborn", "birth_weight_g": "2400"}]},
            "1人目の出生体重(グラム): 引用符を付けずに整数で",
        ),
        (
            {"event": "birth", "members": [{"role": "self"}, {"role": "self"}]},
            "2人目の続柄: 「本人」",
        ),
        ({"event": "birth", "members": [{"role": "deceased"}]}, "1人目の続柄: 「亡くなった方」"),
    ],
)
def test_the_cli_refuses_what_the_api_refuses(tmp_path, capsys, client, situation, words):
    err = guide_errors(tmp_path, capsys, json.dumps(situation).encode())
    assert words in err
    assert "members." not in err and "event_date" not in err  # no code names
    api = client.post("/api/v1/guide", data=json.dumps(situation), content_type="application/json")
    assert api.status_code == 422
    assert api.json()["detail"][0]["message"] in err


def test_a_key_written_twice_is_refused(tmp_path, capsys):
    err = guide_errors(tmp_path, capsys, b'{"event": "birth", "event": "death"}')
    assert "「event」が2回以上書かれています" in err


def test_a_file_saved_by_notepad_with_a_bom_is_read(tmp_path, capsys):
    path = tmp_path / "s.json"
    path.write_text('{"event": "marriage", "members": []}', encoding="utf-8-sig")
    call_command("guide", str(path))
    procedures = json.loads(capsys.readouterr().out)["procedures"]
    assert [p["id"] for p in procedures] == ["marriage-registration"]


def test_only_utf8_is_read(tmp_path, capsys):
    raw = '{"event": "marriage"}'.encode("utf-16")
    assert "UTF-8 にして保存してください" in guide_errors(tmp_path, capsys, raw)


def test_errors_in_english_with_lang_en(tmp_path, capsys):
    raw = b'{"event": "birth", "members": [{"role": "self", "sex": "x"}], "has_dog": 1}'
    err = guide_errors(tmp_path, capsys, raw, "--lang", "en")
    assert "Person 1's sex: Not an allowed value. Use one of: female, male." in err
    assert "Keeps a dog: Write true (yes) or false (no), without quotes." in err
