"""Process helpers for the benchmarks (Linux): CPU accounting, peak RSS, clean stops."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import time


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
