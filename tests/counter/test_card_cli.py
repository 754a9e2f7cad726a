"""``./dev card read``: run for real (a separate process, through pcscd to the
simulated card), its JSON on stdout, its Japanese errors on stderr, its exit codes.
Each run starts Django (seconds on this machine), so the cases that need no
separate process (PIN format, sex codes, reader names) are in test_card_reader."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from madoguchi.counter.card.simulator import reader_lock

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, str(ROOT / "manage.py"), "card", "read"]
NAME = "\u9ad9\ufa11 \U00020bb7乃"  # 髙﨑 𠮷乃


def run(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *args],
        cwd=ROOT,
        input=stdin.encode(),
        env={**os.environ, "LANG": "C", "LC_ALL": "C", **env},
        capture_output=True,
        timeout=60,
    )


def test_prints_the_four_facts_as_utf8_json(put_card):
    put_card(name=NAME, birth="19850304", sex="2")
    result = run("--pin", "1234")
    assert result.returncode == 0, result.stderr.decode()
    # UTF-8 whatever the locale (C here), not \\u escapes.
    assert NAME.encode("utf-8") in result.stdout
    assert json.loads(result.stdout) == {
        "name": NAME,
        "address": "東京都千代田区霞が関二丁目1番2号",
        "birth_date": "1985-03-04",
        "sex": "female",
    }
    assert result.stderr == b""


def test_through_dev(put_card):
    put_card()
    result = subprocess.run(
        [str(ROOT / "dev"), "card", "read", "--pin", "１２３４"],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["birth_date"] == "1992-06-15"


def test_asks_for_the_pin_without_echo(put_card):
    """A terminal (a pty): the PIN typed is not shown, the JSON is."""
    put_card(pin="2580")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, with the pty as its terminal
        os.chdir(ROOT)
        os.execvpe(COMMAND[0], COMMAND, os.environ)
    screen = b""
    try:
        screen += _read_until(fd, "暗証番号".encode())
        os.write(fd, b"2580\n")
        screen += _read_until(fd, None)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, screen.decode(errors="replace")
    assert b"2580" not in screen
    assert b'"birth_date": "1992-06-15"' in screen


def _read_until(fd: int, marker: bytes | None) -> bytes:
    out = b""
    while marker is None or marker not in out:
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:
            raise AssertionError(f"no output; so far: {out!r}")
        try:
            part = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not part:
            break
        out += part
    return out


def test_wrong_pin_exit_3_with_the_tries_left(put_card):
    card = put_card()
    result = run("--pin", "9999")
    assert result.returncode == 3
    assert "あと2回" in result.stderr.decode()
    assert result.stdout == b""
    assert len(card.received("verify")) == 1


def test_blocked_exit_4(put_card):
    put_card(tries_left=0)
    result = run("--pin", "1234")
    assert result.returncode == 4
    assert "ロックされています" in result.stderr.decode()


def test_removed_exit_5(put_card):
    put_card(remove_on="read_binary")
    result = run("--pin", "1234")
    assert result.returncode == 5
    assert "離れました" in result.stderr.decode()
    assert result.stdout == b""


def test_other_status_word_exit_6(put_card):
    put_card(odd_status={"verify": b"\x65\x81"})
    result = run("--pin", "1234")
    assert result.returncode == 6
    assert "65 81" in result.stderr.decode()


def test_no_card_exit_2(virtual_reader):
    with reader_lock():
        result = run("--pin", "1234")
    assert result.returncode == 2
    assert "カードが置かれていません" in result.stderr.decode()


def test_no_pcscd_exit_2(tmp_path):
    # libpcsclite asks the socket PCSCLITE_CSOCK_NAME names: here, nothing listens.
    result = run("--pin", "1234", PCSCLITE_CSOCK_NAME=str(tmp_path / "none.comm"))
    assert result.returncode == 2
    assert "pcscd" in result.stderr.decode() and "動いていません" in result.stderr.decode()
