"""``./dev bench register [--rows N] [--large] [--database-url URL]``: the resident
register's import (not a test: it measures).

A synthetic register of N persons (default 10,000; ``--large``: 100,000) is written
as a cp932 CSV, then timed: the check alone, the first import (everyone new), a
re-import of the same file (everyone unchanged), a re-import with 1 % changed, and a
file of N bad rows refused. Peak RSS of the process at the end. Goal on the 2-core
machine: 10,000 rows imported in a few seconds.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent

FAMILY = ["髙橋", "山﨑", "齊藤", "佐藤", "鈴木", "田中", "渡邊", "伊藤"]
GIVEN = ["一郎", "花子", "翔太", "和子", "茂", "健", "美咲", "葵"]
KANA = ["たかはし", "やまさき", "さいとう", "さとう", "すずき", "たなか", "わたなべ", "いとう"]


def write_register(path: Path, n: int, *, changed_every: int = 0, bad: bool = False) -> None:
    from madoguchi.register.importers.contrib.madoguchi_csv import COLUMNS

    with open(path, "w", encoding="cp932", newline="") as file:
        out = csv.writer(file, lineterminator="\r\n")
        out.writerow(list(COLUMNS))
        for i in range(n):
            f, g = i % len(FAMILY), (i // 7) % len(GIVEN)
            address = f"群馬県みどり市笠懸町鹿{i % 3000 + 1}"
            if changed_every and i % changed_every == 0:
                address += "-2"
            birth = f"{1930 + i % 90}-{1 + i % 12:02d}-{1 + i % 28:02d}"
            if bad:
                birth = f"{1930 + i % 90}-02-30"
            out.writerow([
                f"{100000 + i}", f"H{10000 + i // 3}", "世帯主" if i % 3 == 0 else "子",
                f"{FAMILY[f]} {GIVEN[g]}", f"{KANA[f]} いち", birth, "男" if i % 2 else "女",
                "3792313", address, "国保", "0", "0", birth, "住民", "",
            ])  # fmt: skip


def measure(n: int, tmp: Path) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from madoguchi.register.importers.registry import registry
    from madoguchi.register.importing import import_file
    from madoguchi.towns.work import use_first_town

    use_first_town()
    good, changed, bad = tmp / "good.csv", tmp / "changed.csv", tmp / "bad.csv"
    write_register(good, n)
    write_register(changed, n, changed_every=100)
    write_register(bad, n, bad=True)

    def timed(label, work):
        began = time.perf_counter()
        result = work()
        return label, round(time.perf_counter() - began, 2), result

    steps = [
        timed("check only", lambda: registry.get("madoguchi-csv").check(good)),
        timed("first import (all new)", lambda: import_file(good)),
        timed("re-import (all unchanged)", lambda: import_file(good)),
        timed("re-import (1% changed)", lambda: import_file(changed)),
        timed("refused (every row bad)", lambda: import_file(bad)),
    ]
    assert steps[1][2].counts["new"] == n and steps[2][2].counts["unchanged"] == n
    assert steps[3][2].counts["changed"] == (n + 99) // 100 and steps[4][2].refused
    return {
        "rows": n,
        "file_mb": round(good.stat().st_size / 1e6, 1),
        "seconds": {label: s for label, s, _ in steps},
        "rows_per_s_first_import": round(n / steps[1][1]),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--large", action="store_true", help="100,000 rows")
    parser.add_argument("--database-url", help="default: a throw-away SQLite file")
    args = parser.parse_args()
    n = 100_000 if args.large else args.rows
    tmp = Path(tempfile.mkdtemp(prefix="madoguchi-bench-register-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("MADOGUCHI_VAR_DIR", str(tmp))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
    sys.path.insert(0, str(ROOT / "src"))
    result = measure(n, tmp)
    print(f"{result['rows']:,} rows ({result['file_mb']} MB, cp932)")
    for label, seconds in result["seconds"].items():
        print(f"{label:<28} {seconds:>7} s")
    print(
        f"first import: {result['rows_per_s_first_import']:,} rows/s; peak RSS {result['peak_rss_mb']} MB"
    )
    out = BENCH / "results" / f"register-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"results: {out}")


if __name__ == "__main__":
    main()
