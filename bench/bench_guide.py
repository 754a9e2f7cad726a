"""Guide benchmark (not a test): ``./dev bench guide [--large]``.

1. API: POST /api/v1/guide through gunicorn on loopback, at 1 and 8 concurrent
   clients (httpx, one client per thread); requests/s, p50/p99 latency, errors.
2. Rules: ``catalog.rules.evaluate`` over a synthetic population (``synthetic.py``),
   in a child process; evaluation time, generation time, peak RSS of that child
   (``ru_maxrss`` of RUSAGE_SELF, read inside the child) and per-procedure counts.

The summary is printed and written to bench/results/guide-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
P99_GOAL_MS = 50.0
MILLION_GOAL_S = 10.0

SITUATIONS = {
    "birth": {"event": "birth", "event_date": "2026-11-20", "members": [
        {"role": "self", "birth_date": "1992-06-15", "insurance": "kokuho", "receives_child_allowance": False},
        {"role": "spouse", "birth_date": "1993-01-08", "insurance": "kokuho", "receives_child_allowance": False},
        {"role": "newborn", "birth_weight_g": 2400}]},
    "move_in_children": {"event": "move_in", "event_date": "2026-04-03", "has_dog": True, "members": [
        {"role": "self", "birth_date": "1985-05-01", "insurance": "shaho", "has_mynumber_card": True},
        {"role": "spouse", "birth_date": "1987-09-30", "insurance": "shaho", "has_mynumber_card": False},
        {"role": "child", "birth_date": "2016-07-14", "insurance": "shaho"},
        {"role": "child", "birth_date": "2019-02-02", "insurance": "shaho"}]},
    "death_elderly_head": {"event": "death", "event_date": "2026-12-29", "owns_real_estate": True, "members": [
        {"role": "deceased", "birth_date": "1941-03-03", "insurance": "kouki", "head_of_household": True},
        {"role": "spouse", "birth_date": "1944-10-10", "insurance": "kouki"},
        {"role": "child", "birth_date": "1972-01-20", "insurance": "shaho"}]},
    "partial_move_in": {"event": "move_in"},
    "partial_birth": {"event": "birth", "members": [{"role": "self"}, {"role": "newborn"}]},
    "partial_death": {"event": "death", "event_date": "2026-08-15"},
    "move_out_single_parent": {"event": "move_out", "event_date": "2026-03-31", "single_parent": True, "members": [
        {"role": "self", "birth_date": "1990-12-24", "insurance": "kokuho", "receives_child_allowance": True},
        {"role": "child", "birth_date": "2018-05-05"}]},
}  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg() -> list[float]:
    """1/5/15-minute load average: anything else running skews the figures."""
    return [round(x, 2) for x in os.getloadavg()]


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def fire(url: str, total: int, concurrency: int, max_seconds: float) -> dict:
    """``total`` POSTs over ``concurrency`` threads (stops early after ``max_seconds``)."""
    bodies = [(name, json.dumps(s).encode()) for name, s in SITUATIONS.items()]
    results: list[tuple[str, float, int]] = []
    next_index = iter(range(total)).__next__  # atomic under the GIL
    deadline = time.perf_counter() + max_seconds

    def client() -> None:
        headers = {"Content-Type": "application/json"}
        with httpx.Client(timeout=30) as http:
            while time.perf_counter() < deadline:
                try:
                    i = next_index()
                except StopIteration:
                    return
                name, body = bodies[i % len(bodies)]
                start = time.perf_counter()
                try:
                    status = http.post(url, content=body, headers=headers).status_code
                except httpx.HTTPError:
                    status = 0
                results.append((name, time.perf_counter() - start, status))

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    ms = [r[1] * 1000 for r in results]
    by_name = {n: [r[1] * 1000 for r in results if r[0] == n] for n in SITUATIONS}
    return {
        "concurrency": concurrency, "requests": len(results), "seconds": round(wall, 3),
        "errors": sum(r[2] != 200 for r in results), "rps": round(len(results) / wall, 1),
        "p50_ms": round(percentile(ms, 50), 2), "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2),
        "p50_ms_by_situation": {n: round(percentile(v, 50), 2) for n, v in by_name.items() if v},
    }  # fmt: skip


def bench_api(requests: int, workers: int, levels: list[int], max_seconds: float) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="madoguchi-bench-"))
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "MADOGUCHI_VAR_DIR": str(tmp),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.getenv("PYTHONPATH")])),
        "DJANGO_SETTINGS_MODULE": "madoguchi.settings",
    }
    port = free_port()
    uv = shutil.which("uv")
    gunicorn = [uv, "run", "--frozen", "gunicorn"] if uv else [sys.executable, "-m", "gunicorn"]
    command = [*gunicorn, "madoguchi.wsgi", "--bind", f"127.0.0.1:{port}", "--workers"]
    command.append(str(workers))
    shown = " ".join([Path(command[0]).name, *command[1:]])
    url = f"http://127.0.0.1:{port}/api/v1/guide"
    server = None
    log = open(tmp / "gunicorn.log", "wb")  # noqa: SIM115 (closed in finally)
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                       cwd=ROOT, env=env, check=True)  # fmt: skip
        print(f"  starting: {shown}  (workers={workers})")
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
        wait_until_up(server, url, tmp / "gunicorn.log")
        check = fire(url, len(SITUATIONS), 1, 60)  # every situation once: all must be 200
        if check["errors"]:
            raise RuntimeError(f"some situations were not answered with 200: {check}")
        fire(url, max(40, 10 * workers), max(levels), 60)  # warm-up: every worker, every path
        out = {"workers": workers, "command": shown, "levels": []}
        for concurrency in levels:
            result = fire(url, requests, concurrency, max_seconds) | {"loadavg_after": loadavg()}
            out["levels"].append(result)
            print(f"  c={concurrency}: {result['requests']} req, {result['rps']} req/s, "
                  f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, errors {result['errors']}")  # fmt: skip
        return out
    finally:
        if server is not None:
            stop(server)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


def wait_until_up(server: subprocess.Popen, url: str, log: Path, timeout: float = 180) -> None:
    body = json.dumps(SITUATIONS["partial_move_in"]).encode()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            response = httpx.post(url, content=body, headers={"Content-Type": "application/json"})
            if response.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


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


def rules_child(households: int, repeat: int, seed: int) -> dict:
    """Runs in the child process: generate, evaluate ``repeat`` times, count."""
    import polars as pl

    from madoguchi.catalog.loader import load
    from synthetic import population

    def rss_mib() -> float:  # Linux: ru_maxrss is in KiB
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    catalog = load(Path(os.environ.get("MADOGUCHI_CATALOG_DIR") or ROOT / "municipalities/example"))
    rules = catalog.rules
    out = {"households": households, "seed": seed, "polars": pl.__version__,
           "polars_threads": pl.thread_pool_size(), "rss_after_import_mib": rss_mib()}  # fmt: skip
    start = time.perf_counter()
    hh, members = population(households, seed)
    out |= {"generate_s": round(time.perf_counter() - start, 3), "members": members.height,
            "rss_after_generate_mib": rss_mib()}  # fmt: skip
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result, _ = rules.evaluate(hh, members)
        times.append(time.perf_counter() - start)
    counts = result.select(
        pl.struct(applies=pl.col(r.key).sum(), may_apply=pl.col(r.key).is_null().sum()).alias(p)
        for p, r in rules.roots.items()
    ).row(0, named=True)
    out |= {"evaluate_s": [round(t, 3) for t in times], "evaluate_best_s": round(min(times), 3),
            "evaluate_median_s": round(statistics.median(times), 3), "peak_rss_mib": rss_mib(),
            "peak_rss_how": "ru_maxrss of RUSAGE_SELF, read inside the child process",
            "nodes": {"member_leaves": len(rules.member_leaves), "household_leaves": len(rules.household_leaves),
                      "composites": sum(map(len, rules.levels))},
            "per_procedure": counts}  # fmt: skip
    return out


def bench_rules(households: int, repeat: int, seed: int) -> dict:
    command = [sys.executable, __file__, "--rules-child", "--households", str(households),
               "--repeat", str(repeat), "--seed", str(seed)]  # fmt: skip
    done = subprocess.run(command, stdout=subprocess.PIPE, check=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def summary(api: dict | None, rules: dict | None) -> str:
    lines = ["", "=" * 78, "madoguchi guide benchmark — summary", "=" * 78]
    if api:
        lines += [
            f"API POST /api/v1/guide  (gunicorn sync, {api['workers']} workers, loopback)",
            f"  {'clients':>7} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} "
            f"{'p99 ms':>7}  goal p99 < {P99_GOAL_MS:g} ms",
        ]
        for r in api["levels"]:
            ok = "OK" if r["p99_ms"] < P99_GOAL_MS and not r["errors"] else "MISSED"
            lines.append(
                f"  {r['concurrency']:>7} {r['requests']:>8} {r['errors']:>6} {r['rps']:>7} "
                f"{r['p50_ms']:>7} {r['p99_ms']:>7}  {ok}   (load avg after {r['loadavg_after']})"
            )
    if rules:
        n, best = rules["households"], rules["evaluate_best_s"]
        projected = best * 1_000_000 / n
        goal = "OK" if projected < MILLION_GOAL_S else "MISSED"
        how = "measured" if n == 1_000_000 else "linear projection"
        lines += [
            f"Rules.evaluate over {n:,} households / {rules['members']:,} members "
            f"(polars {rules['polars']}, {rules['polars_threads']} threads)",
            f"  generate {rules['generate_s']} s (not included below)",
            f"  evaluate {rules['evaluate_s']} s: best {best} s, median {rules['evaluate_median_s']} s",
            f"  1,000,000 households: {projected:.2f} s ({how}), goal < {MILLION_GOAL_S:g} s  {goal}",
            f"  peak RSS {rules['peak_rss_mib']} MiB (after imports {rules['rss_after_import_mib']}, "
            f"after generation {rules['rss_after_generate_mib']}; {rules['peak_rss_how']})",
            f"  load avg after {rules['loadavg_after']}",
            f"  {'procedure (root node)':<32} {'applies':>10} {'may apply':>10}",
        ]
        for proc, c in rules["per_procedure"].items():
            lines.append(f"  {proc:<32} {c['applies']:>10,} {c['may_apply']:>10,}")
    return "\n".join(lines)


def main() -> None:
    cores = os.cpu_count() or 1
    arg = (parser := argparse.ArgumentParser(description=__doc__.split("\n\n")[0])).add_argument
    arg("--large", action="store_true", help="3,000 requests per level, 1,000,000 households")
    arg("--requests", type=int, help="requests per concurrency level (default 300)")
    arg("--households", type=int, help="synthetic households (default 100,000)")
    arg("--workers", type=int, default=min(4, max(2, cores)), help="gunicorn workers")
    arg("--concurrency", type=int, nargs="+", default=[1, 8], help="client threads per level")
    arg("--max-seconds", type=float, default=120, help="time bound per concurrency level")
    arg("--repeat", type=int, default=3, help="timed evaluations of the rules")
    arg("--seed", type=int, default=20261120, help="seed of the synthetic population")
    arg("--skip-api", action="store_true")
    arg("--skip-rules", action="store_true")
    arg("--rules-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    households = args.households or (1_000_000 if args.large else 100_000)
    if args.rules_child:
        print(json.dumps(rules_child(households, args.repeat, args.seed)))
        return
    requests = args.requests or (3000 if args.large else 300)
    started, loadavg_before = datetime.now(), loadavg()
    if loadavg_before[0] > 0.5:
        print(f"warning: load average {loadavg_before} at start: other processes skew the figures")
    api = rules = None
    if not args.skip_api:
        print(f"API: {requests} requests per level at {args.concurrency} clients, {cores} cores")
        api = bench_api(requests, args.workers, args.concurrency, args.max_seconds)
    if not args.skip_rules:
        print(f"Rules: {households:,} synthetic households (child process)")
        rules = bench_rules(households, args.repeat, args.seed) | {"loadavg_after": loadavg()}
    print(summary(api, rules))
    git = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    report = {
        "started": started.isoformat(timespec="seconds"),
        "argv": sys.argv[1:],
        "git": git.stdout.strip(),
        "cores": cores,
        "python": platform.python_version(),
        "loadavg_before": loadavg_before,
        "goals": {"p99_ms": P99_GOAL_MS, "million_households_s": MILLION_GOAL_S},
        "api": api,
        "rules": rules,
    }
    out = ROOT / "bench" / "results" / f"guide-{started:%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
