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
    assert len(lines) == 1 and "出来事の日" in lines[0]


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
