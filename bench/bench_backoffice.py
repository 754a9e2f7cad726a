"""``./dev bench backoffice [--large]``: the back office on PostgreSQL with many
applications (not a test: it measures).

1. Prepare (a child process, Django set up): a throw-away PostgreSQL 15 cluster
   (``support.postgres_cluster``), ``migrate``, N submitted applications
   ``bulk_create``d over every catalogue procedure that has a form (half of them
   児童手当, so one export is large), statuses and channels mixed; the values are
   ``samples.complete_input`` of each form (once per procedure), with names varied
   (some with 髙/﨑). One clerk per department with a signed-in session row.
2. gunicorn (``madoguchi.wsgi``, 2 sync workers) with
   ``MADOGUCHI_REQUIRE_STAFF_MFA=false`` (the clerks' sessions are made directly,
   without a second factor).
3. The queue: 4 clerk clients (4 departments) GET ``/office/`` with a few filters
   → p50/p99 (goal p99 < 100 ms). Skipped, with a message, while ``/office/``
   answers 404 (the queue is another part of the back office).
4. The export: ``/office/export/child-allowance-claim.csv`` of a fifth of that
   procedure's rows (status=受付) and of all of them, in UTF-8, then all in cp932
   (check pass + stream): time, bytes, and the gunicorn worker's peak RSS
   (``VmHWM`` from /proc, reset before each export by writing 5 to
   ``/proc/<pid>/clear_refs``), to show memory stays flat as the rows grow
   (goal: all N in < 10 s).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_guide import other_work
from load import percentile
from support import cpu_now, free_port, others_since, postgres_cluster, shielded, stop
from towns import register as register_towns

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
BIG = "child-allowance-claim"
STATUSES = ["submitted", "in_review", "correction_requested", "completed", "rejected"]
CHANNELS = ["online", "online", "online", "counter", "paper"]
P99_GOAL_MS = 100.0
SHARE_GOAL = 0.5  # the queue's requests/s as a share of the bare page's
EXPORT_GOAL_S = 10.0


def prepare_child(folder: Path, count: int) -> dict:
    import django

    django.setup()
    from madoguchi.towns.work import use_first_town

    use_first_town()  # the rows are the first town's (a single-town installation)
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.test import override_settings

    from madoguchi.applications.applicant import applicant_name
    from madoguchi.applications.duplicates import people_keys, subject_key
    from madoguchi.applications.entry_form import ApplicationForm
    from madoguchi.applications.models import Application, SubjectPerson
    from madoguchi.applications.samples import complete_input
    from madoguchi.backoffice.models import Membership
    from madoguchi.catalog.form_schema import FormSpec
    from madoguchi.catalog.registry import current_catalog
    from madoguchi.residents.cast import TAKAHASHI, ensure_resident

    started = time.perf_counter()
    catalog = current_catalog()
    procs = [p for p in catalog.procedures.values() if p.form]
    values = {}
    for p in procs:
        spec = FormSpec.model_validate(p.form.model_dump(mode="json", by_alias=True))
        form = ApplicationForm(spec, data=complete_input(spec), values={}, draft=True)
        form.is_valid()
        values[p.id] = form.values()
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    families = ["高橋", "髙橋", "齊藤", "山﨑", "佐藤", "鈴木", "田中", "渡邉"]
    start = datetime(2026, 4, 1, 8, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    User = get_user_model()
    with fast:
        data = dict(TAKAHASHI)
        ensure_resident(data.pop("email"), "pw", **data)
        # Many residents (about 2.5 applications each), as in a real town: "the same
        # application" is looked up per resident.
        residents = User.objects.bulk_create(
            [User(username=f"resident-{n}", email=f"resident-{n}@example.jp", password="!")
             for n in range(max(1, count * 2 // 5))], batch_size=5000,
        )  # fmt: skip
        others = [p for p in procs if p.id != BIG]
        big = next(p for p in procs if p.id == BIG)
        specs = {p.id: FormSpec.model_validate(p.form.model_dump(mode="json", by_alias=True))
                 for p in procs}  # fmt: skip
        for first in range(0, count, 5000):
            batch = []
            for i in range(first, min(count, first + 5000)):
                # Every 97th repeats the one before it (same resident, same children):
                # the queue's 「重複の可能性」 has something to find.
                n = i - 2 if i % 97 == 0 and i >= 2 else i
                p = big if n % 2 == 0 else others[(n // 2) % len(others)]
                v = json.loads(json.dumps(values[p.id]))
                for field in p.form.fields:
                    if field.kind == "name" and isinstance(v.get(field.id), dict):
                        v[field.id]["name"] = f"{families[n % len(families)]}\u3000{n}"
                    if field.kind == "group" and isinstance(v.get(field.id), list):
                        for k, item in enumerate(v[field.id]):
                            for sub in field.fields:
                                if sub.kind == "name" and isinstance(item.get(sub.id), dict):
                                    item[sub.id]["name"] = f"{families[n % 7]}\u3000子{n}-{k}"
                spec = specs[p.id]
                batch.append(Application(
                    owner=residents[n % len(residents)], municipality_code=catalog.municipality.code,
                    procedure_id=p.id, procedure_name=p.name.ja, department_id=p.department,
                    form_version=p.form.version, form_spec=p.form.model_dump(mode="json", by_alias=True),
                    status=STATUSES[i % 5], channel=CHANNELS[(i // 5) % 5], data=v,
                    applicant_name=applicant_name(spec, v), subject_key=subject_key(spec, v),
                    receipt_year=2026, receipt_number=f"2026-{i + 1:06d}",
                    submitted_at=start + timedelta(minutes=i),
                ))  # fmt: skip
            with transaction.atomic():
                Application.objects.bulk_create(batch, batch_size=1000)
                # Each application's people, as a submission stores them (duplicates.py).
                SubjectPerson.objects.bulk_create(
                    [SubjectPerson(application_id=a.pk, person=k) for a in batch
                     for k in sorted(people_keys(specs[a.procedure_id], a.data))],
                    batch_size=5000,
                )  # fmt: skip
        sessions = {}
        for dept in sorted({p.department for p in procs}):
            user = User.objects.create_user(f"clerk-{dept}", f"{dept}@city.example.jp", "pw")
            Membership.objects.create(user=user, department_id=dept)
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.set_expiry(settings.MADOGUCHI_LOGIN_IDLE_SECONDS)
            session.create()
            sessions[dept] = session.session_key
    return {"sessions": sessions, "big_department": big.department,
            "prepare_s": round(time.perf_counter() - started, 1)}  # fmt: skip


def get(port: int, path: str, session: str, sink: bool = False) -> tuple[int, float, int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    began = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": f"sessionid={session}"})
    response = conn.getresponse()
    size = 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
    elapsed = time.perf_counter() - began
    conn.close()
    return response.status, elapsed, size, dict(response.getheaders())


def workers(master: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def hwm_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


QUEUE_QUERIES = ["", "?status=submitted", "?status=in_review", "?channel=paper", "?status=all"]


def queue(port: int, sessions: list[str], requests: int, concurrency: int, rounds: int) -> dict:
    """The queue and the bare page of the same 50 rows, alternated in ``rounds``."""
    targets = {"project": "/office/", "bare": "/bench/bare-queue"}
    status, *_ = get(port, "/office/", sessions[0])
    if status == 404:
        return {"skipped": "/office/ answers 404: the queue page is not in this branch yet"}
    latencies: dict[str, list[float]] = {k: [] for k in targets}
    codes: dict[str, dict[int, int]] = {k: {} for k in targets}
    walls = {k: 0.0 for k in targets}
    lock = threading.Lock()

    def lane(key: str, i: int, n: int) -> None:
        for j in range(n):
            path = targets[key] + QUEUE_QUERIES[(i + j) % len(QUEUE_QUERIES)]
            code, elapsed, _, _ = get(port, path, sessions[i % len(sessions)])
            with lock:
                latencies[key].append(elapsed)
                codes[key][code] = codes[key].get(code, 0) + 1

    for base in targets.values():  # warm-up
        for i in range(concurrency):
            get(port, base + QUEUE_QUERIES[i % len(QUEUE_QUERIES)], sessions[i % len(sessions)])
    per_lane = max(1, requests // rounds // concurrency)
    for _ in range(rounds):
        for key in targets:
            threads = [threading.Thread(target=lane, args=(key, i, per_lane))
                       for i in range(concurrency)]  # fmt: skip
            began = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            walls[key] += time.perf_counter() - began
    out = {"concurrency": concurrency, "rounds": rounds}
    for key in targets:
        ms = latencies[key]
        out[key] = {"requests": len(ms), "statuses": codes[key],
                    "per_s": round(len(ms) / walls[key], 1),
                    "p50_ms": round(percentile(ms, 50) * 1000, 1),
                    "p99_ms": round(percentile(ms, 99) * 1000, 1)}  # fmt: skip
    out["project_share_of_bare"] = round(out["project"]["per_s"] / out["bare"]["per_s"], 3)
    return out


def export(port: int, master: int, session: str, path: str) -> dict:
    for pid in workers(master):
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset the peak RSS
    before = {pid: hwm_mib(pid) for pid in workers(master)}
    status, elapsed, size, headers = get(port, path, session)
    peak = max(hwm_mib(pid) for pid in workers(master))
    return {"status": status, "rows": int(headers.get("X-Row-Count", 0)),
            "seconds": round(elapsed, 2), "mib": round(size / 2**20, 1),
            "worker_peak_rss_mib": peak, "worker_rss_before_mib": max(before.values())}  # fmt: skip


EXPORT_QUERIES = ["encoding=utf-8&status=submitted", "encoding=utf-8", "encoding=cp932"]


def exports(port: int, master: int, session: str, rounds: int) -> list[dict]:
    """Each export and the bare stream of the same rows, alternated; the best of
    ``rounds`` each (the least disturbed by other work on the machine)."""
    out = []
    for query in EXPORT_QUERIES:
        runs: dict[str, list[dict]] = {"project": [], "bare": []}
        for _ in range(rounds):
            runs["project"].append(
                export(port, master, session, f"/office/export/{BIG}.csv?{query}")
            )
            runs["bare"].append(
                export(port, master, session, f"/bench/bare-export/{BIG}.csv?{query}")
            )
        best = {k: min(v, key=lambda r: r["seconds"]) for k, v in runs.items()}
        row = {"query": query, **best,
               "bare_share_of_project_time": round(best["bare"]["seconds"] / best["project"]["seconds"], 3)}  # fmt: skip
        out.append(row)
        print(f"  export {query:<32} project {best['project']['seconds']:>6} s "
              f"({best['project']['rows']:,} rows, {best['project']['mib']} MiB, peak RSS "
              f"{best['project']['worker_peak_rss_mib']} MiB) | bare {best['bare']['seconds']:>6} s "
              f"| bare/project {row['bare_share_of_project_time']}", flush=True)  # fmt: skip
    return out


def summary(result: dict) -> str:
    q = result["queue"]
    lines = ["", "=" * 78, f"back office at {result['applications']:,} applications, "
             f"{result.get('towns', 1)} town(s) loaded — summary",
             "=" * 78]  # fmt: skip
    if "skipped" in q:
        lines.append(f"queue: {q['skipped']}")
    else:
        lines.append(
            f"queue, {q['concurrency']} clients, targets alternated in {q['rounds']} rounds:"
        )
        for key in ("bare", "project"):
            r = q[key]
            lines.append(f"  {key:<8} {r['requests']:>5} req {r['per_s']:>7} req/s  p50 "
                         f"{r['p50_ms']:>6} ms  p99 {r['p99_ms']:>6} ms  {r['statuses']}")  # fmt: skip
        ok_p99 = "OK" if q["project"]["p99_ms"] < P99_GOAL_MS else "MISSED"
        ok_share = "OK" if q["project_share_of_bare"] >= SHARE_GOAL else "MISSED"
        lines.append(f"  queue/bare throughput {q['project_share_of_bare']:.2f} (goal >= "
                     f"{SHARE_GOAL}) {ok_share}; queue p99 {q['project']['p99_ms']} ms (goal < "
                     f"{P99_GOAL_MS:g} ms) {ok_p99}")  # fmt: skip
    lines.append("export of child-allowance-claim (best of the rounds each):")
    for row in result["export"]:
        p, b = row["project"], row["bare"]
        ok = "OK" if p["seconds"] < EXPORT_GOAL_S else "MISSED"
        lines.append(f"  {row['query']:<32} {p['rows']:>6,} rows  project {p['seconds']:>6} s  "
                     f"bare {b['seconds']:>6} s  bare/project {row['bare_share_of_project_time']:.2f}"
                     f"  (goal < {EXPORT_GOAL_S:g} s) {ok}  peak RSS {p['worker_peak_rss_mib']} MiB")  # fmt: skip
    lines.append(other_work(result["others"]))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--large", action="store_true", help="100,000 applications")
    parser.add_argument("--towns", type=int, default=1, help="towns loaded (default 1)")
    parser.add_argument("--applications", type=int)
    parser.add_argument("--requests", type=int, help="per target (default 300, --large 600)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="alternations of bare and project")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child")
    parser.add_argument("--folder")
    args = parser.parse_args()
    if args.child:
        folder = Path(args.folder)
        payload = json.loads((folder / "prepare-in.json").read_text())
        out = prepare_child(folder, payload["count"])
        (folder / "prepare-out.json").write_text(json.dumps(out))
        return
    count = args.applications or (100_000 if args.large else 10_000)
    tmp = Path(tempfile.mkdtemp(prefix="madoguchi-bench-bo-"))
    server = None
    result: dict = {"applications": count, "towns": args.towns, "load_average_at_start": os.getloadavg(),
                    "goals": {"queue_p99_ms": P99_GOAL_MS, "queue_share_of_bare": SHARE_GOAL,
                              "export_s": EXPORT_GOAL_S}}  # fmt: skip
    try:
        with postgres_cluster() as (url, _postmaster):
            env = os.environ | {
                "DATABASE_URL": url,
                "MADOGUCHI_VAR_DIR": str(tmp / "var"),
                "MADOGUCHI_FILES_DIR": str(tmp / "files"),
                "MADOGUCHI_REQUIRE_STAFF_MFA": "false",
                # The project's settings and URLs plus the bare pages (bench_urls.py).
                "DJANGO_SETTINGS_MODULE": "bench_settings",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), str(BENCH),
                                                            os.getenv("PYTHONPATH")])),
            }  # fmt: skip
            manage = [sys.executable, "manage.py"]
            subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                           check=True)  # fmt: skip
            subprocess.run([*manage, "createcachetable"], cwd=ROOT, env=env, check=True)
            if args.towns > 1:  # every worker holds them all; the example town still answers
                print(f"registering {args.towns - 1} more towns", flush=True)
                register_towns(args.towns - 1, tmp / "towns", env)
            print(f"preparing {count:,} applications …", flush=True)
            (tmp / "prepare-in.json").write_text(json.dumps({"count": count}))
            subprocess.run([sys.executable, __file__, "--child", "prepare", "--folder", str(tmp)],
                           cwd=ROOT, env=env, check=True)  # fmt: skip
            prepared = json.loads((tmp / "prepare-out.json").read_text())
            print(f"prepared in {prepared['prepare_s']} s", flush=True)
            subprocess.run([*manage, "shell", "-v", "0", "-c", "from django.db import connection; "
                            "connection.cursor().execute('VACUUM ANALYZE')"],
                           cwd=ROOT, env=env, check=True)  # fmt: skip
            port = free_port()
            uv = shutil.which("uv")
            gunicorn = (
                [uv, "run", "--frozen", "gunicorn"] if uv else [sys.executable, "-m", "gunicorn"]
            )
            command = [*gunicorn, "madoguchi.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
                       str(args.workers), "--timeout", "600", "--pid", str(tmp / "gunicorn.pid")]  # fmt: skip
            log = open(tmp / "gunicorn.log", "wb")  # noqa: SIM115
            server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                      stderr=log, start_new_session=True)  # fmt: skip
            from bench_submit import wait_until_up

            master = wait_until_up(server, port, tmp)
            sessions = prepared["sessions"]
            started = cpu_now()
            requests = args.requests or (600 if args.large else 300)
            print(f"queue: {requests} requests per target at {args.concurrency} clients",
                  flush=True)  # fmt: skip
            result["queue"] = queue(port, list(sessions.values()), requests,
                                    args.concurrency, args.rounds)  # fmt: skip
            big = sessions[prepared["big_department"]]
            print("export: each query, project then bare, alternated", flush=True)
            result["export"] = exports(port, master, big, 1 if count > 20_000 else 2)
            result["others"] = others_since(started)
    finally:
        with shielded():
            if server is not None:
                stop(server)
            shutil.rmtree(tmp, ignore_errors=True)
    print(summary(result))
    out = BENCH / "results" / f"backoffice-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"results: {out}")


if __name__ == "__main__":
    main()
