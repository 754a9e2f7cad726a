"""Guide benchmark (not a test): ``./dev bench guide [--large | --huge]``.

1. API: one gunicorn serves both POST /api/v1/guide and a bare Django view
   (``bench_urls``: same middleware, no work), loaded side by side at 1 and 8
   concurrent clients by a cheap raw-socket load generator (``load.py``), in
   alternating rounds; requests/s, p50/p99 latency, errors, the guide's share of
   the bare view's throughput, and the load generator's own CPU per request.
2. Rules: ``catalog.rules.evaluate`` over a synthetic population (``synthetic.py``),
   generated in one child process and evaluated in others (each with its own peak
   RSS, ``ru_maxrss`` of RUSAGE_SELF read inside the child); seconds per million
   households, and the same for the previous plan (``rules_reference``) timed
   alternately in one child, which also checks that both give the same frame.

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
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from load import Target, fire, post, send, summarise
from support import cpu_now, others_since, peak_rss_mib, shielded, stop
from towns import register as register_towns

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
P99_GOAL_MS = 20.0
SHARE_GOAL = 0.6  # guide requests/s as a share of the bare view's, at 8 clients
MILLION_GOAL_S = 0.7

# Realistic, varied situations (also inputs for ``./dev guide bench/situations/X.json``).
SITUATIONS = {
    p.stem: json.loads(p.read_text()) for p in sorted((BENCH / "situations").glob("*.json"))
}


def bench_api(
    requests: int,
    workers: int,
    levels: list[int],
    max_seconds: float,
    preload: bool,
    rounds: int,
    towns: int = 1,
) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="madoguchi-bench-"))
    path = [str(ROOT / "src"), str(BENCH), os.getenv("PYTHONPATH")]
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "MADOGUCHI_VAR_DIR": str(tmp),
        "PYTHONPATH": os.pathsep.join(filter(None, path)),
        "DJANGO_SETTINGS_MODULE": "bench_settings",  # the project's + the bare view
    }
    with socket.socket() as sock:  # a free port
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = ("127.0.0.1", port)
    uv = shutil.which("uv")
    gunicorn = [uv, "run", "--frozen", "gunicorn"] if uv else [sys.executable, "-m", "gunicorn"]
    command = [*gunicorn, "madoguchi.wsgi", "--bind", f"127.0.0.1:{port}", "--workers"]
    command += [str(workers), *(["--preload"] if preload else [])]
    shown = " ".join([Path(command[0]).name, *command[1:]])
    # Both targets get the same bodies, so they differ only in the work done.
    bodies = [(name, json.dumps(s).encode()) for name, s in SITUATIONS.items()]
    targets = {
        "bare": Target("bare view", tuple((n, post(*address, "/bench/bare", b)) for n, b in bodies)),
        "guide": Target("guide API", tuple((n, post(*address, "/api/v1/guide", b)) for n, b in bodies)),
    }  # fmt: skip
    server = None
    log = open(tmp / "gunicorn.log", "wb")  # noqa: SIM115 (closed in finally)
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                       cwd=ROOT, env=env, check=True)  # fmt: skip
        if towns > 1:  # every worker holds them all; the example town still answers
            print(f"  registering {towns - 1} more towns (copies of the example catalogue)")
            register_towns(towns - 1, tmp / "towns", env)
        print(f"  starting: {shown}  (workers={workers}, towns={towns})")
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
        wait_until_up(server, address, targets["guide"], tmp / "gunicorn.log")
        for target in targets.values():  # every request once: all must be 200
            check = summarise(target.name, 1, [fire(address, target, len(bodies), 1, 60)])
            if check["errors"]:
                raise RuntimeError(f"{target.name}: some requests were not answered with 200")
            fire(address, target, max(40, 10 * workers), max(levels), 60)  # warm-up
        out = {"workers": workers, "command": shown, "rounds": rounds, "towns": towns,
               "levels": []}  # fmt: skip
        for concurrency in levels:
            # Alternate the two targets in rounds, so that other work on the machine
            # weighs on both alike.
            runs: dict[str, list[dict]] = {k: [] for k in targets}
            per_round = max(1, requests // rounds)
            for _ in range(rounds):
                for key, target in targets.items():
                    runs[key].append(fire(address, target, per_round, concurrency, max_seconds))
            level = {k: summarise(targets[k].name, concurrency, r) for k, r in runs.items()}
            level["guide_share_of_bare"] = round(level["guide"]["rps"] / level["bare"]["rps"], 3)
            out["levels"].append(level)
            for key in targets:
                r = level[key]
                print(f"  c={concurrency} {r['target']:<9}: {r['requests']} req, {r['rps']} req/s, "
                      f"p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, errors {r['errors']}, "
                      f"client CPU {r['client_cpu_ms_per_request']} ms/request")  # fmt: skip
        return out
    finally:
        with shielded():
            if server is not None:
                stop(server)
            log.close()
            shutil.rmtree(tmp, ignore_errors=True)


def wait_until_up(
    server: subprocess.Popen, address, target: Target, log: Path, timeout: float = 180
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        if send(address, target.requests[0][1], timeout=5)[0] == 200:
            return
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


def rules_child(step: str, households: int, repeat: int, seed: int, folder: Path) -> dict:
    """One child process per step, so each peak RSS is its own: ``generate`` writes the
    population to Arrow IPC files, ``evaluate`` times the rules on them, ``reference``
    times the previous plan alternately with the current one and compares them."""
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
    from madoguchi.catalog.rules_reference import evaluate_reference

    rules = load(Path(os.getenv("MADOGUCHI_CATALOG_DIR") or ROOT / "municipalities/example")).rules
    hh = pl.read_ipc(folder / "households.arrow")
    members = pl.read_ipc(folder / "members.arrow")
    rss_inputs = peak_rss_mib()

    def current() -> pl.DataFrame:
        return rules.evaluate(hh, members, with_members=False)[0]

    def previous() -> pl.DataFrame:
        return evaluate_reference(rules, hh, members)[0]

    plans = (
        {"current": current} if step == "evaluate" else {"current": current, "previous": previous}
    )
    times: dict[str, list[float]] = {name: [] for name in plans}
    results = {}
    for _ in range(repeat):
        for name, plan in plans.items():
            start = time.perf_counter()
            results[name] = plan()
            times[name].append(time.perf_counter() - start)
    out = {name: {"s": [round(t, 3) for t in ts], "best_s": round(min(ts), 3),
                  "median_s": round(statistics.median(ts), 3)} for name, ts in times.items()}  # fmt: skip
    if step == "reference":
        from polars.testing import assert_frame_equal

        assert_frame_equal(results["current"], results["previous"])
        return {"side_by_side": out, "identical": True}
    result = results["current"]
    counts = result.select(
        pl.struct(applies=pl.col(r.key).sum(), may_apply=pl.col(r.key).is_null().sum()).alias(p)
        for p, r in rules.roots.items()
    ).row(0, named=True)
    return {
        "polars": pl.__version__, "polars_threads": pl.thread_pool_size(),
        "nodes": dict(Counter(n.scope or "composite" for r in rules.roots.values() for n in r.walk())),
        "evaluate_s": out["current"]["s"], "evaluate_best_s": out["current"]["best_s"],
        "evaluate_median_s": out["current"]["median_s"],
        "peak_rss_inputs_loaded_mib": rss_inputs, "peak_rss_evaluate_mib": peak_rss_mib(),
        "peak_rss_how": "ru_maxrss (RUSAGE_SELF) read inside each child process",
        "per_procedure": counts,
    }  # fmt: skip


def bench_rules(households: int, repeat: int, seed: int, compare: bool) -> dict:
    out = {"households": households, "seed": seed}
    steps = ["generate", "evaluate", *(["reference"] if compare else [])]
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as folder:
        for step in steps:
            command = [sys.executable, __file__, "--rules-child", step, "--folder", folder,
                       "--households", f"{households}", "--repeat", f"{repeat}", "--seed", f"{seed}"]  # fmt: skip
            done = subprocess.run(command, stdout=subprocess.PIPE, check=True, text=True)
            out |= json.loads(done.stdout.strip().splitlines()[-1])
    return out


def other_work(others: dict) -> str:
    share = others["other_share"]
    note = "  <- other work skews these figures" if share > 0.1 else ""
    return f"  other processes: {others['other_cpu_s']} CPU s in {others['wall_s']} s ({share:.0%} of the machine){note}"


def per_million(seconds: float, households: int) -> float:
    return seconds * 1_000_000 / households


def summary(api: dict | None, rules: dict | None) -> str:
    lines = ["", "=" * 78, "madoguchi guide benchmark — summary", "=" * 78]
    if api:
        lines += [
            f"API, one gunicorn (sync, {api['workers']} workers, loopback, "
            f"{api.get('towns', 1)} town(s) loaded), targets alternated in {api['rounds']} rounds",
            f"  {'clients':>7} {'target':<10} {'requests':>8} {'errors':>6} {'req/s':>7} "
            f"{'p50 ms':>7} {'p99 ms':>7} {'client CPU ms/req':>17}",
        ]
        for level in api["levels"]:
            for key in ("bare", "guide"):
                r = level[key]
                lines.append(
                    f"  {r['concurrency']:>7} {key:<10} {r['requests']:>8} {r['errors']:>6} "
                    f"{r['rps']:>7} {r['p50_ms']:>7} {r['p99_ms']:>7} "
                    f"{r['client_cpu_ms_per_request']:>17}"
                )
            g = level["guide"]
            share = level["guide_share_of_bare"]
            ok_share = "OK" if share >= SHARE_GOAL or g["concurrency"] == 1 else "MISSED"
            ok_p99 = "OK" if g["p99_ms"] < P99_GOAL_MS and not g["errors"] else "MISSED"
            goal = f"goal >= {SHARE_GOAL:.0%} at 8 clients" if g["concurrency"] >= 8 else "no goal"
            lines.append(
                f"          guide/bare throughput {share:.2f} ({goal}) {ok_share}; "
                f"guide p99 {g['p99_ms']} ms (goal < {P99_GOAL_MS:g} ms) {ok_p99}"
            )
        lines.append(other_work(api["others"]))
    if rules:
        n, best = rules["households"], rules["evaluate_best_s"]
        million = per_million(best, n)
        goal = "OK" if million < MILLION_GOAL_S else "MISSED"
        how = "measured" if n == 1_000_000 else "scaled linearly"
        lines += [
            f"Rules.evaluate over {n:,} households / {rules['members']:,} members "
            f"(polars {rules['polars']}, {rules['polars_threads']} threads)",
            f"  generate {rules['generate_s']} s (not included below)",
            f"  evaluate {rules['evaluate_s']} s: best {best} s, median {rules['evaluate_median_s']} s",
            f"  per 1,000,000 households: {million:.2f} s ({how}), goal < {MILLION_GOAL_S:g} s  {goal}",
        ]
        if "side_by_side" in rules:
            cur, prev = rules["side_by_side"]["current"], rules["side_by_side"]["previous"]
            lines.append(
                f"  side by side, alternated: current {cur['best_s']} s, previous plan "
                f"{prev['best_s']} s (best of {len(cur['s'])}) → {prev['best_s'] / cur['best_s']:.2f}× "
                f"faster; per 1 M: {per_million(cur['best_s'], n):.2f} s vs "
                f"{per_million(prev['best_s'], n):.2f} s; results identical"
            )
        lines += [
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
    arg("--huge", action="store_true", help="as --large, with 4,000,000 households")
    arg("--requests", type=int, help="requests per target and concurrency level (default 600)")
    arg("--households", type=int, help="synthetic households (default 100,000)")
    arg("--workers", type=int, default=min(4, max(2, cores)), help="gunicorn workers")
    arg("--preload", action="store_true", help="gunicorn --preload")
    arg("--concurrency", type=int, nargs="+", default=[1, 8], help="requests in flight per level")
    arg("--rounds", type=int, default=3, help="alternations of bare view and guide per level")
    arg("--max-seconds", type=float, default=120, help="time bound per run")
    arg("--repeat", type=int, default=3, help="timed evaluations of the rules")
    arg("--seed", type=int, default=20261120, help="seed of the synthetic population")
    arg("--no-compare", action="store_true", help="skip timing the previous rules plan")
    arg("--towns", type=int, default=1, help="towns loaded in every worker (default 1)")
    arg("--skip-api", action="store_true")
    arg("--skip-rules", action="store_true")
    arg("--rules-child", choices=["generate", "evaluate", "reference"], help=argparse.SUPPRESS)
    arg("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    big = 4_000_000 if args.huge else 1_000_000 if args.large else 100_000
    households = args.households or big
    if args.rules_child:
        out = rules_child(args.rules_child, households, args.repeat, args.seed, args.folder)
        print(json.dumps(out))
        return
    requests = args.requests or (3000 if args.large or args.huge else 600)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-ups, as on Ctrl-C
    started = datetime.now()
    api = rules = None
    load_at_start = os.getloadavg()
    print(f"machine: {cores} cores, load average {' '.join(f'{x:.2f}' for x in load_at_start)}")
    if not args.skip_api:
        print(f"API: {requests} requests per target and level at {args.concurrency} clients")
        start = cpu_now()
        api = bench_api(requests, args.workers, args.concurrency, args.max_seconds, args.preload,
                        args.rounds, args.towns)  # fmt: skip
        api["others"] = others_since(start)
    if not args.skip_rules:
        print(f"Rules: {households:,} synthetic households (child processes)")
        start = cpu_now()
        rules = bench_rules(households, args.repeat, args.seed, not args.no_compare)
        rules["others"] = others_since(start)
    print(summary(api, rules))
    git = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    report = {"started": started.isoformat(timespec="seconds"), "argv": sys.argv[1:],
              "git": git.stdout.strip(), "cores": cores, "python": platform.python_version(),
              "load_average_at_start": load_at_start,
              "goals": {"p99_ms": P99_GOAL_MS, "guide_share_of_bare": SHARE_GOAL,
                        "million_households_s": MILLION_GOAL_S},
              "api": api, "rules": rules}  # fmt: skip
    out = ROOT / "bench" / "results" / f"guide-{started:%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
