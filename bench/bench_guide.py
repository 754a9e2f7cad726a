"""Guide benchmark (not a test): ``./dev bench guide [--large]``.

1. API: POST /api/v1/guide through gunicorn on loopback, at 1 and 8 concurrent
   clients (httpx, one client per thread); requests/s, p50/p99 latency, errors.
2. Rules: ``catalog.rules.evaluate`` over a synthetic population (``synthetic.py``),
   generated in one child process and evaluated in another (so each has its own peak
   RSS, ``ru_maxrss`` of RUSAGE_SELF read inside the child); evaluation time,
   generation time, peak RSS and per-procedure counts.

The summary is printed and written to bench/results/guide-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import httpx

from support import cpu_now, others_since, peak_rss_mib, shielded, stop

ROOT = Path(__file__).resolve().parent.parent
P99_GOAL_MS = 50.0
MILLION_GOAL_S = 10.0

# Realistic, varied situations (also inputs for ``./dev guide bench/situations/X.json``).
SITUATIONS = {
    p.stem: json.loads(p.read_text()) for p in sorted((ROOT / "bench/situations").glob("*.json"))
}


def percentile(values: list[float], p: int) -> float:
    cut = (
        statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    )
    return cut[p - 1]


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
    start, cpu = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    ms = [r[1] * 1000 for r in results]
    by_name = {n: [r[1] * 1000 for r in results if r[0] == n] for n in SITUATIONS}
    return {
        "concurrency": concurrency, "requests": len(results), "seconds": round(wall, 3),
        "errors": sum(r[2] != 200 for r in results), "rps": round(len(results) / wall, 1),
        "p50_ms": round(percentile(ms, 50), 2), "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2), "client_cpu_ms_per_request": round(cpu * 1000 / len(ms), 2),
        "p50_ms_by_situation": {n: round(percentile(v, 50), 2) for n, v in by_name.items() if v},
    }  # fmt: skip


def bench_api(
    requests: int, workers: int, levels: list[int], max_seconds: float, preload: bool
) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="madoguchi-bench-"))
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "MADOGUCHI_VAR_DIR": str(tmp),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.getenv("PYTHONPATH")])),
        "DJANGO_SETTINGS_MODULE": "madoguchi.settings",
    }
    with socket.socket() as sock:  # a free port
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    uv = shutil.which("uv")
    gunicorn = [uv, "run", "--frozen", "gunicorn"] if uv else [sys.executable, "-m", "gunicorn"]
    command = [*gunicorn, "madoguchi.wsgi", "--bind", f"127.0.0.1:{port}", "--workers"]
    command += [str(workers), *(["--preload"] if preload else [])]
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
            result = fire(url, requests, concurrency, max_seconds)
            out["levels"].append(result)
            print(f"  c={concurrency}: {result['requests']} req, {result['rps']} req/s, "
                  f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, errors {result['errors']}, "
                  f"client CPU {result['client_cpu_ms_per_request']} ms/request")  # fmt: skip
        return out
    finally:
        with shielded():
            if server is not None:
                stop(server)
            log.close()
            shutil.rmtree(tmp, ignore_errors=True)


def wait_until_up(server: subprocess.Popen, url: str, log: Path, timeout: float = 180) -> None:
    body = json.dumps(SITUATIONS["partial-move-in"]).encode()
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


def rules_child(step: str, households: int, repeat: int, seed: int, folder: Path) -> dict:
    """One child process per step, so each peak RSS is its own: ``generate`` writes the
    population to Arrow IPC files, ``evaluate`` reads them and times the rules."""
    import polars as pl

    if step == "generate":
        from synthetic import population

        start = time.perf_counter()
        hh, members = population(households, seed)
        out = {"generate_s": round(time.perf_counter() - start, 3), "members": members.height}
        hh.write_ipc(folder / "households.arrow")
        members.write_ipc(folder / "members.arrow")
        return out | {"peak_rss_generate_mib": peak_rss_mib()}

    from madoguchi.catalog.loader import load

    rules = load(Path(os.getenv("MADOGUCHI_CATALOG_DIR") or ROOT / "municipalities/example")).rules
    hh = pl.read_ipc(folder / "households.arrow")
    members = pl.read_ipc(folder / "members.arrow")
    rss_inputs = peak_rss_mib()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result, _ = rules.evaluate(hh, members)
        times.append(time.perf_counter() - start)
    counts = result.select(
        pl.struct(applies=pl.col(r.key).sum(), may_apply=pl.col(r.key).is_null().sum()).alias(p)
        for p, r in rules.roots.items()
    ).row(0, named=True)
    return {
        "polars": pl.__version__, "polars_threads": pl.thread_pool_size(),
        "nodes": dict(Counter(n.scope or "composite" for r in rules.roots.values() for n in r.walk())),
        "evaluate_s": [round(t, 3) for t in times], "evaluate_best_s": round(min(times), 3),
        "evaluate_median_s": round(statistics.median(times), 3),
        "peak_rss_inputs_loaded_mib": rss_inputs, "peak_rss_evaluate_mib": peak_rss_mib(),
        "peak_rss_how": "ru_maxrss (RUSAGE_SELF) read inside each child process",
        "per_procedure": counts,
    }  # fmt: skip


def bench_rules(households: int, repeat: int, seed: int) -> dict:
    out = {"households": households, "seed": seed}
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as folder:
        for step in ("generate", "evaluate"):
            command = [sys.executable, __file__, "--rules-child", step, "--folder", folder,
                       "--households", f"{households}", "--repeat", f"{repeat}", "--seed", f"{seed}"]  # fmt: skip
            done = subprocess.run(command, stdout=subprocess.PIPE, check=True, text=True)
            out |= json.loads(done.stdout.strip().splitlines()[-1])
    return out


def other_work(others: dict) -> str:
    share = others["other_share"]
    note = "  <- other work skews these figures" if share > 0.1 else ""
    return f"  other processes: {others['other_cpu_s']} CPU s in {others['wall_s']} s ({share:.0%} of the machine){note}"


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
                f"{r['p50_ms']:>7} {r['p99_ms']:>7}  {ok}"
            )
        lines.append(other_work(api["others"]))
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
            f"  peak RSS: evaluating {rules['peak_rss_evaluate_mib']} MiB (of which imports + input "
            f"frames {rules['peak_rss_inputs_loaded_mib']} MiB); generating "
            f"{rules['peak_rss_generate_mib']} MiB ({rules['peak_rss_how']})",
            other_work(rules["others"]),
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
    arg("--preload", action="store_true", help="gunicorn --preload (as ./dev run)")
    arg("--concurrency", type=int, nargs="+", default=[1, 8], help="client threads per level")
    arg("--max-seconds", type=float, default=120, help="time bound per concurrency level")
    arg("--repeat", type=int, default=3, help="timed evaluations of the rules")
    arg("--seed", type=int, default=20261120, help="seed of the synthetic population")
    arg("--skip-api", action="store_true")
    arg("--skip-rules", action="store_true")
    arg("--rules-child", choices=["generate", "evaluate"], help=argparse.SUPPRESS)
    arg("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    households = args.households or (1_000_000 if args.large else 100_000)
    if args.rules_child:
        out = rules_child(args.rules_child, households, args.repeat, args.seed, args.folder)
        print(json.dumps(out))
        return
    requests = args.requests or (3000 if args.large else 300)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-ups, as on Ctrl-C
    started = datetime.now()
    api = rules = None
    if not args.skip_api:
        print(f"API: {requests} requests per level at {args.concurrency} clients, {cores} cores")
        start = cpu_now()
        api = bench_api(requests, args.workers, args.concurrency, args.max_seconds, args.preload)
        api["others"] = others_since(start)
    if not args.skip_rules:
        print(f"Rules: {households:,} synthetic households (child processes)")
        start = cpu_now()
        rules = bench_rules(households, args.repeat, args.seed)
        rules["others"] = others_since(start)
    print(summary(api, rules))
    git = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    report = {"started": started.isoformat(timespec="seconds"), "argv": sys.argv[1:],
              "git": git.stdout.strip(), "cores": cores, "python": platform.python_version(),
              "goals": {"p99_ms": P99_GOAL_MS, "million_households_s": MILLION_GOAL_S},
              "api": api, "rules": rules}  # fmt: skip
    out = ROOT / "bench" / "results" / f"guide-{started:%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
