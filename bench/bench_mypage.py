"""``./dev bench mypage``: MyPage and 申請の一覧 for a resident with few or many
applications (not a test: it measures).

In one process (Django set up on a throw-away SQLite file, or ``--database-url``
for PostgreSQL): one resident per size (default 10 and 1,000 applications, spread
over every procedure with a form: 3 drafts (one per procedure at most, as the
database allows: ~0.5 ms each, with their values), a tenth waiting for a 補正, the rest submitted, in review, completed or
rejected, each with the form and its complete values as JSON). Then, alternately
for each resident, GET ``/mypage/`` and ``/mypage/applications/`` through Django's
test client (the whole middleware stack, no HTTP server): median and best time per
page, the median CPU time of the process (SQLite runs in it; less swayed by other
work on the machine than the wall time) and the number of SQL statements. The goal: MyPage constant in the number of
applications, under 50 ms at 1,000.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
STATUSES = ["submitted", "in_review", "completed", "rejected", "submitted", "in_review",
            "completed", "submitted", "in_review", "correction_requested"]  # fmt: skip


def make_resident(n: int, count: int):
    """A resident with ``count`` applications; returns the user."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.db import transaction

    from madoguchi.applications.entry_form import ApplicationForm
    from madoguchi.applications.models import Application
    from madoguchi.applications.samples import complete_input
    from madoguchi.catalog.form_schema import FormSpec
    from madoguchi.catalog.registry import current_catalog
    from madoguchi.residents.cast import TAKAHASHI, ensure_resident

    catalog = current_catalog()
    procs = [p for p in catalog.procedures.values() if p.form]
    data = dict(TAKAHASHI)
    data.pop("email")
    user = ensure_resident(f"many{n}@example.jp", "pw", **data)
    start = datetime(2026, 4, 1, 8, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    # The same few drafts at every size (one per procedure at most, so their number
    # does not grow with the years): the figure shows what the submitted ones cost.
    drafts = min(3, count)
    batch = []
    for i in range(count):
        p = procs[i % len(procs)]
        spec_json = p.form.model_dump(mode="json", by_alias=True)
        spec = FormSpec.model_validate(spec_json)
        form = ApplicationForm(spec, data=complete_input(spec), values={}, draft=True)
        form.is_valid()
        draft = i < drafts
        batch.append(Application(
            owner=user, municipality_code=catalog.municipality.code, procedure_id=p.id,
            procedure_name=p.name.ja, department_id=p.department, form_version=p.form.version,
            form_spec=spec_json, data=form.values(), draft_input=complete_input(spec),
            status="draft" if draft else STATUSES[i % len(STATUSES)],
            receipt_year=None if draft else 2026,
            receipt_number="" if draft else f"2026-{n:02d}{i + 1:04d}",
            submitted_at=None if draft else start + timedelta(minutes=i),
        ))  # fmt: skip
    with transaction.atomic():
        Application.objects.bulk_create(batch, batch_size=500)
    return user


def measure(sizes: list[int], rounds: int, per_round: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from madoguchi.towns.work import use_first_town

    use_first_town()  # the rows are the first town's (a single-town installation)
    clients = {}
    for n, size in enumerate(sizes):
        client = Client()
        client.force_login(make_resident(n, size))
        clients[size] = client
    pages = {"mypage": "/mypage/", "list": "/mypage/applications/"}
    times: dict[tuple[int, str], list[float]] = {(s, p): [] for s in sizes for p in pages}
    cpu: dict[tuple[int, str], list[float]] = {(s, p): [] for s in sizes for p in pages}
    queries: dict[tuple[int, str], int] = {}
    for size, client in clients.items():  # warm-up, and the statements per page
        for page, path in pages.items():
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            queries[(size, page)] = len(captured.captured_queries)
    for _ in range(rounds):  # alternated, so other work weighs on every size alike
        for size, client in clients.items():
            for page, path in pages.items():
                for _ in range(per_round):
                    began, began_cpu = time.perf_counter(), time.process_time()
                    client.get(path)
                    times[(size, page)].append(time.perf_counter() - began)
                    cpu[(size, page)].append(time.process_time() - began_cpu)
                    reset_queries()
    return {
        f"{page} @ {size}": {
            "median_ms": round(statistics.median(t) * 1000, 1),
            "best_ms": round(min(t) * 1000, 1),
            # CPU of this process (SQLite runs in it): less swayed by other work.
            "cpu_median_ms": round(statistics.median(cpu[(size, page)]) * 1000, 1),
            "sql_statements": queries[(size, page)],
            "requests": len(t),
        }
        for (size, page), t in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=4)
    parser.add_argument("--database-url", help="default: a throw-away SQLite file")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="madoguchi-bench-mypage-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("MADOGUCHI_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
    sys.path.insert(0, str(ROOT / "src"))
    result = measure(args.sizes, args.rounds, args.per_round)
    print(f"{'page @ applications':<24}{'median ms':>10}{'best ms':>9}{'CPU ms':>8}{'SQL':>5}")
    for name, row in result.items():
        print(f"{name:<24}{row['median_ms']:>10}{row['best_ms']:>9}{row['cpu_median_ms']:>8}"
              f"{row['sql_statements']:>5}")  # fmt: skip
    mine = [row["median_ms"] for name, row in result.items() if name.startswith("mypage @")]
    print(f"MyPage at {max(args.sizes):,} applications: {mine[-1]} ms (goal < 50 ms)")
    out = BENCH / "results" / f"mypage-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"results: {out}")


if __name__ == "__main__":
    main()
