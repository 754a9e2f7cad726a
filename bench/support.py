"""Process helpers for the benchmarks (Linux): CPU accounting, peak RSS, clean stops,
free ports and a throw-away PostgreSQL cluster."""

from __future__ import annotations

import contextlib
import glob
import os
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from urllib.parse import quote


def cpu_now() -> tuple[float, float, float]:
    """(wall s, CPU s the whole machine was busy, CPU s of this process and reaped children)."""
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:9]]  # user … steal
    busy = (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # minus idle, iowait
    usage = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return time.monotonic(), busy, sum(u.ru_utime + u.ru_stime for u in usage)


def others_since(start: tuple[float, float, float]) -> dict:
    """CPU the rest of the machine used since ``start``: other work skews the figures."""
    wall, busy, own = (b - a for a, b in zip(start, cpu_now(), strict=True))
    other = max(0.0, busy - own)
    return {"wall_s": round(wall, 1), "other_cpu_s": round(other, 1),
            "other_share": round(other / (wall * (os.cpu_count() or 1)), 3)}  # fmt: skip


@contextlib.contextmanager
def shielded():
    """Let a clean-up finish: a second Ctrl-C or SIGTERM (uv forwards them too) waits."""
    saved = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def stop(server: subprocess.Popen) -> None:
    """TERM, then KILL, the process group we started (uv → gunicorn master → workers)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        deadline = time.monotonic() + 20
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, sig)
        while time.monotonic() < deadline:
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(0.2)
            try:
                os.killpg(server.pid, 0)  # anyone of the group left?
            except ProcessLookupError:
                return
            time.sleep(0.2)


def peak_rss_mib() -> float:
    """This process's peak RSS so far: ``ru_maxrss`` of RUSAGE_SELF (KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def free_port() -> int:
    """A free loopback TCP port (for a server started right after)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def postgres_cluster(*, fsync: bool = True):
    """A throw-away PostgreSQL cluster (the newest installed), as scripts/test.sh
    starts one: initdb in a temporary folder, trust auth, a Unix socket only; as
    root, the cluster belongs to the postgres user. Yields its ``DATABASE_URL`` and
    the postmaster's pid;
    stopped (``-m immediate``) and removed afterwards. ``fsync=False`` adds test.sh's
    ``fsync=off`` / ``full_page_writes=off`` (not what a real server runs)."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if not bins or not os.access(f"{bins[-1]}/initdb", os.X_OK):
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql-15)")
    pgbin = bins[-1]
    folder = tempfile.mkdtemp(prefix="madoguchi-bench-pg.")
    as_pg: list[str] = []
    if os.getuid() == 0:  # initdb refuses to run as root
        if subprocess.run(["id", "postgres"], capture_output=True).returncode:
            subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
        shutil.chown(folder, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    data = f"{folder}/data"
    options = f"-k {folder} -c listen_addresses=''"
    if not fsync:
        options += " -c fsync=off -c full_page_writes=off"
    quiet = {"stdout": subprocess.DEVNULL, "check": True}
    try:
        subprocess.run([*as_pg, f"{pgbin}/initdb", "-D", data, "-U", "madoguchi", "--auth=trust",
                        "-E", "UTF8", "--locale=C.UTF-8"], **quiet)  # fmt: skip
        subprocess.run([*as_pg, f"{pgbin}/pg_ctl", "-D", data, "-l", f"{folder}/log", "-w",
                        "-o", options, "start"], **quiet)  # fmt: skip
        with open(f"{data}/postmaster.pid") as f:
            postmaster = int(f.readline())
        yield f"postgres://madoguchi@{quote(folder, safe='')}/postgres", postmaster
    finally:
        subprocess.run([*as_pg, f"{pgbin}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
                       capture_output=True)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def group_cpu_s(pgid: int) -> float:
    """CPU seconds of the live processes of a process group (a server we started), with
    what they reaped (a gunicorn master counts its dead workers), from /proc."""
    return _cpu_s(lambda pid, ppid, pgrp: pgrp == pgid)


def tree_cpu_s(root: int) -> float:
    """CPU seconds of a process and its live children, with what they reaped (a
    PostgreSQL postmaster and its backends)."""
    return _cpu_s(lambda pid, ppid, pgrp: root in (pid, ppid))


def _cpu_s(chosen) -> float:
    total = 0
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.split("/")[2])
        if chosen(pid, int(fields[1]), int(fields[2])):  # 0: state, 1: ppid, 2: pgrp
            total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")
