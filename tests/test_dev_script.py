"""``./dev``: its help, and how it behaves when apt is busy with another install.

apt, sudo and uv are stand-ins on PATH, so nothing is installed for real.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_dev(*args: str, path: Path | None = None, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    if path is not None:
        environment["PATH"] = f"{path}:{environment['PATH']}"
    return subprocess.run(
        [str(ROOT / "dev"), *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_is_the_header_and_nothing_else():
    result = run_dev()
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "madoguchi's one entry point."
    assert lines[-1].startswith("  ./dev setup")
    assert "set -euo pipefail" not in result.stdout and "#" not in result.stdout


def test_an_unknown_command_shows_the_help_and_fails():
    result = run_dev("frobnicate")
    assert result.returncode == 2 and "./dev run" in result.stdout


def fake(bin_dir: Path, name: str, script: str) -> None:
    path = bin_dir / name
    path.write_text("#!/usr/bin/env bash\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def fake_system(tmp_path: Path, apt_script: str) -> Path:
    """A machine where one Debian package is missing and apt behaves as told."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake(bin_dir, "dpkg-query", "exit 1\n")  # nothing installed
    fake(bin_dir, "sudo", 'exec "$@"\n')
    fake(bin_dir, "uv", "exit 0\n")  # the Python side is not what is tested here
    fake(bin_dir, "apt-get", f'echo "$*" >> "{tmp_path}/apt-calls"\n' + apt_script)
    return bin_dir


LOCKED = (
    'echo "E: Could not get lock /var/lib/dpkg/lock-frontend.'
    ' It is held by process 4242 (unattended-upgr)" >&2\nexit 100\n'
)


def test_apt_waits_for_the_lock_and_then_installs(tmp_path):
    # Locked on the first call only: another install that finishes.
    script = f'[ -e "{tmp_path}/once" ] || {{ touch "{tmp_path}/once"; {LOCKED}}}\nexit 0\n'
    result = run_dev("setup", path=fake_system(tmp_path, script))
    assert result.returncode == 0, result.stderr
    assert "waiting for it to finish" in result.stderr
    calls = (tmp_path / "apt-calls").read_text().splitlines()
    assert len(calls) == 3  # update (locked), update again, install
    assert all("-o DPkg::Lock::Timeout=300" in call for call in calls)
    assert calls[0].endswith("update") and calls[1].endswith("update")
    assert " install -y --no-install-recommends fonts-noto-cjk " in calls[2]


def test_apt_still_locked_says_what_to_do_in_one_line(tmp_path):
    result = run_dev("setup", path=fake_system(tmp_path, LOCKED), MADOGUCHI_APT_LOCK_WAIT="0")
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("別のプログラムが Debian パッケージをインストール中です")
    assert "./dev setup" in last
    assert "E: Could not get lock" not in result.stderr  # not apt's raw message


def test_other_apt_failures_show_apt_and_what_to_check(tmp_path):
    broken = 'echo "E: Failed to fetch http://deb.example/InRelease" >&2\nexit 100\n'
    result = run_dev("setup", path=fake_system(tmp_path, broken))
    assert result.returncode == 1
    assert "  apt: E: Failed to fetch" in result.stderr
    assert (
        result.stderr.strip().splitlines()[-1].startswith("Debian パッケージを入れられませんでした")
    )
