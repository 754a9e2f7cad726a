"""Memory per town (not a test): ``./dev bench towns [--towns N]``.

One child process loads the example catalogue, then N-1 copies of it registered
as towns of their own (``towns.py``), the way a worker of a shared installation
holds every town's catalogue (``towns/directory.load_catalogues``). After each
load it collects garbage and reads the process's resident memory
(``/proc/self/statm``), so the figure is what one more town costs a worker. The
first town also pays for what every catalogue shares (Polars, the compiled
rules' code); the figure to read is the cost of each further town.

Each copy is byte-identical to the example apart from municipality.yaml, which
is the common case in a prefecture (the towns start from one catalogue and differ
in a few files). Use ``--distinct`` to give every procedure file of every copy a
comment of its own, so that nothing read from disk can be shared between towns.

Printed, and written to bench/results/towns-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import towns

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 2**20


def child(folder: Path, count: int) -> dict:
    import django

    django.setup()
    from madoguchi.catalog.registry import catalog_at

    gc.collect()
    start = rss_mib()
    folders = [towns.EXAMPLE] + sorted(p for p in folder.iterdir() if p.is_dir())
    folders = folders[:count]
    loads, sizes = [], []
    before = start
    for path in folders:
        began = time.perf_counter()
        catalog = catalog_at(path)
        loads.append(time.perf_counter() - began)
        gc.collect()
        after = rss_mib()
        sizes.append(after - before)
        before = after
        assert len(catalog.procedures) > 0
    further = sizes[1:] or [0.0]
    return {
        "towns": len(folders),
        "rss_before_mib": round(start, 1),
        "rss_after_mib": round(before, 1),
        "first_town_mib": round(sizes[0], 1),
        "further_town_mib_median": round(statistics.median(further), 2),
        "further_town_mib_max": round(max(further), 2),
        "further_town_mib_each": [round(s, 2) for s in further],
        "first_load_s": round(loads[0], 3),
        "further_load_s_median": round(statistics.median(loads[1:] or [0.0]), 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def distinct(folder: Path) -> None:
    """Give every procedure file of every copy a comment of its own."""
    for town in folder.iterdir():
        for path in (town / "procedures").glob("*.yaml"):
            text = path.read_text(encoding="utf-8")
            path.write_text(f"# {town.name}\n{text}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--towns", type=int, default=20, help="towns loaded (default 20)")
    parser.add_argument("--distinct", action="store_true", help="no file shared between towns")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child), args.towns)))
        return
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-towns-") as tmp:
        folder = Path(tmp)
        towns.write_catalogues(folder, args.towns - 1)
        if args.distinct:
            distinct(folder)
        env = os.environ | {
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), str(BENCH),
                                                        os.getenv("PYTHONPATH")])),
            "DJANGO_SETTINGS_MODULE": "madoguchi.settings",
            "POLARS_MAX_THREADS": "1",
        }  # fmt: skip
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(folder), "--towns", str(args.towns)],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["distinct_files"] = args.distinct
    print(
        f"{result['towns']} towns loaded in one process: the first "
        f"{result['first_town_mib']} MiB ({result['first_load_s']} s), each further town "
        f"{result['further_town_mib_median']} MiB median, {result['further_town_mib_max']} MiB "
        f"max ({result['further_load_s_median']} s to load); resident memory "
        f"{result['rss_before_mib']} -> {result['rss_after_mib']} MiB"
        + (" (no file shared between towns)" if args.distinct else "")
    )
    out = BENCH / "results" / f"towns-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"results: {out}")


if __name__ == "__main__":
    main()
