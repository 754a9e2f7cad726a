"""Submission benchmark (not a test): ``./dev bench submit [--large]``.

For SQLite and then PostgreSQL 15 (a throw-away cluster started here), each in
its own temporary folder:

1. Prepare (a child process, Django in it): migrate; N residents
   (``cast.ensure_resident``) each with a ``VerifiedIdentity``, a logged-in
   session row and a *draft* 児童手当 claim (``child-allowance-claim``) that is
   ready to submit: the complete form as the edit page posts it, saved with
   ``drafting.save`` and one PNG stored by ``files.store`` inside
   ``files.atomic_with_files()``, exactly as the resident's 「確認へ進む」 leaves it.
2. Load: one gunicorn (``madoguchi.wsgi``, the normal settings from environment
   variables; mail by the console backend into /dev/null). Twice per database
   (``--tasks``): as in production, the receipt mail queued in the submission's
   commit and sent by ``manage.py db_worker`` (its CPU reported per mail; the
   goal applies to this), then as ``./dev run`` does, sent by the in-process
   task after the commit. 8 client threads (``http.client``),
   each with its own drafts. **A submission is the resident's final POST to
   ``/mypage/applications/<uuid>/submit/``** with ``agree=yes`` (the CSRF cookie
   and token set by the client), answered by a 302 to ``…/done/``. One client
   double-taps (the same POST twice at once on two connections), one repeats
   every POST after its answer (a retry); both must get the same ``…/done/``.
   Figures: submissions/s (drafts accepted per second of wall time), requests/s,
   p50/p99/max latency of the answered requests.
3. The same with one gunicorn worker killed (SIGKILL) half-way: clients retry on
   connection errors, as a resident taps again.
4. A second figure: the form POST with the file upload (``…/edit/`` with
   ``action=review`` and a multipart PNG; 302 to ``…/review/``), on other drafts.
5. Verification (a child process, from the database and the files folder): every
   draft whose POST got its 302 is submitted exactly once (one StatusChange to
   submitted, one audit ``submit`` entry, a 受付番号), numbers are unique and
   contiguous from 1, every attachment row's file exists with its SHA-256, no
   orphan or ``.part`` files, no draft with a number and no submission without one;
   drafts whose request failed are whole drafts or whole submissions.

The summary is printed and written to bench/results/submit-<timestamp>.json. The
exit status is 1 if any verification fails.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from load import percentile
from support import (
    cpu_now,
    free_port,
    group_cpu_s,
    others_since,
    postgres_cluster,
    shielded,
    stop,
    tree_cpu_s,
)

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PROCEDURE = "child-allowance-claim"
GOAL_PG_PER_S = 200
GOAL_SHARE = 0.5  # submissions/s as a share of the bare baseline's (bench_urls.bare_submit)
BARE = "bench-bare"  # the baseline's rows (bench_urls), left out of the verification
CSRF = "benchCsrfSecret0123456789abcdefG"  # 32 characters: an unmasked CSRF secret
MAX_ATTEMPTS = 8  # per POST, on connection errors (a resident tapping again)


# --- in the child processes (Django set up) ------------------------------------------


def png(width: int = 160, height: int = 120, seed: int = 1) -> bytes:
    """A real PNG of noise (it does not compress: ~57 KB at 160×120)."""
    import io

    from PIL import Image

    noise = random.Random(seed).randbytes(width * height * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), noise).save(out, "PNG")
    return out.getvalue()


def prepare_child(folder: Path, batches: dict[str, int], ready: dict[str, bool]) -> dict:
    """Residents, identities, sessions and drafts; returns what the clients need."""
    import hashlib
    from datetime import date

    import django

    django.setup()
    from madoguchi.towns.work import use_first_town

    use_first_town()  # the first town's rows (a single-town installation)
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.test.utils import override_settings
    from django.utils.datastructures import MultiValueDict

    import madoguchi.catalog.schema  # noqa: F401 (first: drafting's imports are circular otherwise)
    from madoguchi.applications import drafting
    from madoguchi.applications.entry_form import ApplicationForm
    from madoguchi.applications.models import Application, Status, StatusChange
    from madoguchi.applications.people import identity_values, profile_values
    from madoguchi.applications.prefill import Known, initial_values, locked_values
    from madoguchi.applications.samples import complete_input
    from madoguchi.catalog.form_schema import FormSpec
    from madoguchi.catalog.registry import current_catalog
    from madoguchi.common import audit
    from madoguchi.residents.cast import TAKAHASHI, ensure_resident
    from madoguchi.residents.identity.registry import VerifiedFacts
    from madoguchi.residents.identity.store import store

    catalog = current_catalog()
    proc = catalog.procedures[PROCEDURE]
    spec = FormSpec.model_validate(proc.form.model_dump(mode="json", by_alias=True))
    person = {k: v for k, v in TAKAHASHI.items() if k != "email"}
    image = png()
    digest = hashlib.sha256(image).hexdigest()
    out: dict = {"png_sha256": digest, "png_bytes": len(image), "batches": {}}
    started = time.perf_counter()
    # Nobody signs in with a password here (the sessions are made below), so the
    # slow PBKDF2 of a real password would only slow the preparation down.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])

    def resident(batch: str, i: int) -> dict:
        with transaction.atomic():
            user = ensure_resident(f"bench-{batch}-{i}@example.jp", "pw", **person)
            facts = VerifiedFacts(
                subject=f"bench-{batch}-{i}", name="高橋 太郎", name_kana="たかはし たろう",
                address="群馬県みどり市笠懸町鹿2952", birth_date=date(1988, 6, 15), sex="male",
            )  # fmt: skip
            store(user, user, "demo", facts)
            provider, identity = identity_values(user)
            known = Known(profile=profile_values(user), identity=identity)
            app = Application.objects.create(
                owner=user, municipality_code=catalog.municipality.code,
                procedure_id=proc.id, procedure_name=proc.name.ja,
                department_id=proc.department, form_version=proc.form.version,
                form_spec=proc.form.model_dump(mode="json", by_alias=True),
                data=initial_values(proc.form, known),
            )  # fmt: skip
            StatusChange.objects.create(application=app, actor=user, status_to=Status.DRAFT)
            audit.record(user, "create", "application", str(app.public_id), procedure=proc.id)
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.set_expiry(settings.MADOGUCHI_LOGIN_IDLE_SECONDS)
            session.create()
        raw = complete_input(spec, app.data)  # the form filled in, as the page posts it
        out.setdefault("form_fields", raw)
        if ready[batch]:  # as the edit page's POST with action=review saves it
            locked = locked_values(spec, identity)
            form = ApplicationForm(spec, data=raw, values=app.data, draft=True,
                                   locked=locked, attachments={})  # fmt: skip
            form.is_valid()
            upload = SimpleUploadedFile("hokensho.png", image, "image/png")
            uploads = MultiValueDict({"insurance_document": [upload]})
            problems = drafting.save(app, form, raw, uploads)
            if problems:
                raise RuntimeError(f"the attachment was refused: {problems}")
            # The review page's check, as 「確認へ進む」 does it: complete, so marked
            # as reviewed (the submission then need not check it again).
            check = ApplicationForm(
                spec, data=app.draft_input, values=app.data, draft=False,
                locked=locked, attachments={"insurance_document": list(app.attachments.all())},
            )  # fmt: skip
            if not check.is_valid():
                raise RuntimeError(f"the draft is not complete: {check.problems()}")
            Application.objects.filter(pk=app.pk).update(reviewed_digest=app.input_digest())
        return {"id": str(app.public_id), "session": session.session_key, "provider": provider}

    with fast:
        for batch, count in batches.items():
            rows = out["batches"][batch] = []
            for first in range(0, count, 100):  # a commit per 100 residents, not per row
                with transaction.atomic():
                    for i in range(first, min(count, first + 100)):
                        rows.append(resident(batch, i))
    out["prepare_s"] = round(time.perf_counter() - started, 1)
    return out


def verify_child(folder: Path, outcomes: dict, png_sha256: str) -> dict:
    """Check the database and the files against what the clients saw."""

    import django

    django.setup()
    from madoguchi.towns.work import use_first_town

    use_first_town()  # the first town's rows (a single-town installation)
    from django.db.models import Count, Q

    from madoguchi.applications import files
    from madoguchi.applications.models import Application, Attachment, ReceiptCounter, Status
    from madoguchi.common.models import AuditEvent

    problems: list[str] = []

    def problem(text: str) -> None:
        if len(problems) < 50:
            problems.append(text)
        else:
            problems[-1] = f"… and more ({text})"

    apps = {
        str(a.public_id): a
        for a in Application.objects.exclude(procedure_id=BARE).annotate(
            to_submitted=Count("history", filter=Q(history__status_to=Status.SUBMITTED)),
            files=Count("attachments", distinct=True),
        )
    }
    submits = dict(
        AuditEvent.objects.filter(action="submit", target_type="application")
        .values_list("target_id")
        .annotate(n=Count("id"))
    )
    # With the database queue (production), each receipt mail's task row says what it
    # did: exactly one "sent" per submission (a second one would be a second mail).
    from django_tasks_db.models import DBTaskResult

    sent: dict[int, int] = {}
    for args_kwargs in DBTaskResult.objects.filter(
        task_path__endswith="send_receipt", return_value="sent"
    ).values_list("args_kwargs", flat=True):
        pk = args_kwargs["args"][0]
        sent[pk] = sent.get(pk, 0) + 1
    queued = DBTaskResult.objects.filter(task_path__endswith="send_receipt").exists()
    attachments = list(Attachment.objects.select_related("application"))
    by_app: dict[int, list] = {}
    for a in attachments:
        by_app.setdefault(a.application_id, []).append(a)
    report: dict = {}
    for run, rows in outcomes.items():
        stats = {"accepted": 0, "submitted": 0, "draft": 0, "submitted_unseen": 0, "mail_unsent": 0}
        for row in rows:
            app = apps.get(row["id"])
            if app is None:
                problem(f"{run}: application {row['id']} is gone")
                continue
            kind = row["kind"]  # "submit" or "upload"
            if kind == "upload":
                stats["accepted"] += row["accepted"]
                files_ = by_app.get(app.pk, [])
                if row["accepted"] and (not app.is_draft or not app.draft_input):
                    problem(f"{run}: {row['id']} uploaded but not a saved draft")
                if row["accepted"] and [f.sha256 for f in files_] != [png_sha256]:
                    problem(f"{run}: {row['id']} has {len(files_)} files, expected the one sent")
                if not app.is_draft or app.receipt_number:
                    problem(f"{run}: {row['id']} changed status by an upload")
                continue
            stats["accepted"] += row["accepted"]
            submitted = app.status == Status.SUBMITTED
            stats["submitted" if submitted else "draft"] += 1
            if row["accepted"] and not submitted:
                problem(f"{run}: {row['id']} was answered /done/ but is a draft: LOST")
            if submitted and not row["accepted"]:
                stats["submitted_unseen"] += 1  # committed, answer lost (a killed worker)
            if submitted:
                if not app.receipt_number or not app.receipt_year or not app.submitted_at:
                    problem(f"{run}: {row['id']} submitted without a whole receipt")
                if app.to_submitted != 1:
                    problem(f"{run}: {row['id']} has {app.to_submitted} changes to submitted")
                if submits.get(row["id"], 0) != 1:
                    problem(f"{run}: {row['id']} has {submits.get(row['id'], 0)} audit submits")
                if app.receipt_mailed_at is None:
                    stats["mail_unsent"] += 1
                if queued and sent.get(app.pk, 0) != 1:
                    problem(f"{run}: {row['id']} receipt mail sent {sent.get(app.pk, 0)} times")
            elif app.receipt_number or app.receipt_year or app.submitted_at:
                problem(f"{run}: {row['id']} is a draft with (part of) a receipt")
            if app.files != 1:
                problem(f"{run}: {row['id']} has {app.files} attachments, expected 1")
        report[run] = stats
    # The whole database, whatever the clients saw.
    drafts_numbered = sum(1 for a in apps.values() if a.is_draft and a.receipt_number)
    unnumbered = sum(1 for a in apps.values() if not a.is_draft and not a.receipt_number)
    if drafts_numbered or unnumbered:
        problem(f"{drafts_numbered} drafts with a number, {unnumbered} submitted without one")
    numbers: dict[tuple, list[int]] = {}
    for a in apps.values():
        if a.receipt_number:
            key = (a.municipality_code, a.receipt_year)
            numbers.setdefault(key, []).append(int(a.receipt_number.split("-")[1]))
    counters = {(c.municipality_code, c.year): c.last for c in ReceiptCounter.objects.all()}
    for key, seq in numbers.items():
        if len(seq) != len(set(seq)):
            problem(f"receipt numbers repeated in {key}")
        if sorted(seq) != list(range(1, len(seq) + 1)) or counters.get(key) != len(seq):
            missing = sorted(set(range(1, max(seq) + 1)) - set(seq))[:10]
            problem(f"receipt numbers of {key} not contiguous: missing {missing}, "
                    f"counter {counters.get(key)}, {len(seq)} given")  # fmt: skip
    bad_files = 0
    for a in attachments:
        if not files.verify(a):
            bad_files += 1
            problem(f"attachment {a.public_id}: file missing or SHA-256 differs")
    known = {a.storage_name for a in attachments}
    on_disk = [p for p in files.files_dir().glob("*/*") if p.is_file()]
    orphans = [p for p in on_disk if f"{p.parent.name}/{p.name}" not in known]
    if orphans:
        problem(f"{len(orphans)} files on disk with no attachment row, e.g. {orphans[0].name}")
    return {
        "ok": not problems, "problems": problems, "runs": report,
        "applications": len(apps), "submitted": sum(not a.is_draft for a in apps.values()),
        "receipt_numbers": {f"{k[0]}/{k[1]}": {"given": len(v), "max": max(v)}
                            for k, v in numbers.items()},
        "attachments": len(attachments), "files_checked": len(attachments) - bad_files,
        "files_on_disk": len(on_disk), "orphan_files": len(orphans),
    }  # fmt: skip


# --- the load (in the main process) ----------------------------------------------


class Clients:
    """8 (``concurrency``) client threads, each with its own drafts, each a closed
    loop over a keep-alive ``http.client`` connection (gunicorn's sync workers
    close it after every answer; http.client then reconnects by itself)."""

    def __init__(self, port: int, jobs: list[dict], concurrency: int, kind: str,
                 repeaters: int, kill: Callable[[], dict] | None = None) -> None:  # fmt: skip
        self.port, self.kind, self.kill = port, kind, kill
        self.lanes = [jobs[i::concurrency] for i in range(concurrency)]
        # Client 0 double-taps, client 1 retries every POST after its answer, …
        self.modes = [
            ("double", "retry")[i % 2] if i < repeaters and kind == "submit" else "plain"
            for i in range(concurrency)
        ]
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: dict[str, int] = {}
        self.connection_errors = 0
        self.retries = 0
        self.mismatches: list[str] = []  # a repeat that did not land on the same /done/
        self.done = 0
        self.total = len(jobs)
        self.kill_at = self.total // 2 if kill else None
        self.killed: dict | None = None

    def request(self, job: dict) -> tuple[str, bytes, dict]:
        cookie = f"sessionid={job['session']}; csrftoken={CSRF}"
        if self.kind == "bare":
            body = f"csrfmiddlewaretoken={CSRF}&agree=yes".encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
            return "/bench/bare-submit", body, headers
        if self.kind == "submit":
            body = f"csrfmiddlewaretoken={CSRF}&agree=yes".encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            return f"/mypage/applications/{job['id']}/submit/", body, headers | {"Cookie": cookie}
        boundary = uuid.uuid4().hex
        fields = job["fields"] | {"action": "review", "csrfmiddlewaretoken": CSRF}
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="insurance_document"; '
            f'filename="hokensho.png"\r\nContent-Type: image/png\r\n\r\n'.encode()
            + job["png"]
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": cookie}
        return f"/mypage/applications/{job['id']}/edit/", b"".join(parts), headers

    def expected(self, job: dict) -> str:
        if self.kind == "bare":
            return "/bench/done/"
        return f"/mypage/applications/{job['id']}/{'done' if self.kind == 'submit' else 'review'}/"

    def once(self, conn: http.client.HTTPConnection, path: str, body: bytes, headers: dict):
        """(status, Location) of one POST, retried on connection errors; status 0 if
        every attempt failed."""
        for attempt in range(MAX_ATTEMPTS):
            began = time.perf_counter()
            try:
                conn.request("POST", path, body, headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                with self.lock:
                    self.connection_errors += 1
                    self.retries += attempt + 1 < MAX_ATTEMPTS
                time.sleep(0.05 * (attempt + 1))
                continue
            elapsed = time.perf_counter() - began
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
            with self.lock:
                self.latencies.append(elapsed)
                key = str(response.status)
                self.statuses[key] = self.statuses.get(key, 0) + 1
            return response.status, response.getheader("Location", "")
        return 0, ""

    def lane(self, index: int, start: threading.Barrier) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        second = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        mode = self.modes[index]
        start.wait()
        for job in self.lanes[index]:
            path, body, headers = self.request(job)
            if mode == "double":  # two taps at once: both requests out before either answer
                status, location = self.double(conn, second, path, body, headers, job)
            else:
                status, location = self.once(conn, path, body, headers)
            job["accepted"] = status == 302 and location == self.expected(job)
            if mode == "retry" and job["accepted"]:  # the same POST again, after its answer
                again = self.once(conn, path, body, headers)
                if again != (302, self.expected(job)):
                    self.mismatches.append(f"{job['id']} retried: {again}")
            with self.lock:
                self.done += 1
                if self.kill_at is not None and self.done >= self.kill_at and not self.killed:
                    self.killed = {"after": self.done}  # the first to get here kills
                    self.killed |= self.kill()
        conn.close()
        second.close()

    def double(self, conn, second, path, body, headers, job) -> tuple[int, str]:
        began = time.perf_counter()
        try:
            conn.request("POST", path, body, headers)
            second.request("POST", path, body, headers)
            answers = []
            for c in (conn, second):
                response = c.getresponse()
                response.read()
                c.close()
                answers.append((response.status, response.getheader("Location", "")))
        except (OSError, http.client.HTTPException):
            conn.close()
            second.close()
            with self.lock:
                self.connection_errors += 1
            return self.once(conn, path, body, headers)  # tap once more, and wait
        elapsed = time.perf_counter() - began
        with self.lock:
            for status, _ in answers:
                self.latencies.append(elapsed)
                self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
        if answers[0] != answers[1]:
            self.mismatches.append(f"{job['id']} double tap: {answers}")
        return answers[0]

    def run(self) -> dict:
        start = threading.Barrier(len(self.lanes) + 1)
        threads = [
            threading.Thread(target=self.lane, args=(i, start), daemon=True)
            for i in range(len(self.lanes))
        ]
        for t in threads:
            t.start()
        start.wait()
        began, cpu = time.perf_counter(), time.process_time()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began
        jobs = [j for lane in self.lanes for j in lane]
        accepted = sum(j["accepted"] for j in jobs)
        ms = [x * 1000 for x in self.latencies]
        return {
            "drafts": len(jobs), "accepted": accepted, "not_accepted": len(jobs) - accepted,
            "requests": len(ms), "seconds": round(wall, 2),
            "per_s": round(accepted / wall, 1), "requests_per_s": round(len(ms) / wall, 1),
            "p50_ms": round(percentile(ms, 50), 1), "p99_ms": round(percentile(ms, 99), 1),
            "max_ms": round(max(ms), 1), "statuses": self.statuses,
            "connection_errors": self.connection_errors, "retries": self.retries,
            "repeat_mismatches": self.mismatches[:20], "modes": self.modes,
            "client_cpu_ms_per_request": round((time.process_time() - cpu) * 1000 / max(1, len(ms)), 3),
            "killed": self.killed, "latencies_ms": ms,
        }  # fmt: skip


def worker_pids(master: int) -> list[int]:
    """gunicorn's workers: the master's children."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return [int(p) for p in children]
    except OSError:
        return []


# --- one database ------------------------------------------------------------------


@contextmanager
def database(kind: str, tmp: Path, pg_fsync: bool):
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'bench.sqlite3'}", None
    else:
        with postgres_cluster(fsync=pg_fsync) as (url, postmaster):
            yield url, postmaster


def child(step: str, env: dict, folder: Path, payload: dict) -> dict:
    (folder / f"{step}-in.json").write_text(json.dumps(payload))
    command = [sys.executable, __file__, "--child", step, "--folder", str(folder)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    return json.loads((folder / f"{step}-out.json").read_text())


def bench_database(kind: str, tasks: str, args, sizes: dict[str, int]) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="madoguchi-bench-"))
    server = worker = None
    log = open(tmp / "gunicorn.log", "wb")  # noqa: SIM115 (closed in finally)
    try:
        with database(kind, tmp, not args.pg_fsync_off) as (url, postmaster):
            env = os.environ | {
                "DATABASE_URL": url,
                "MADOGUCHI_VAR_DIR": str(tmp / "var"),
                "MADOGUCHI_FILES_DIR": str(tmp / "files"),
                "MADOGUCHI_EMAIL_URL": "console:",  # gunicorn's stdout is /dev/null
                "MADOGUCHI_TASKS": tasks,
                # The project's settings and URLs plus the bare baseline view.
                "DJANGO_SETTINGS_MODULE": "bench_settings",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), str(BENCH),
                                                            os.getenv("PYTHONPATH")])),
            }  # fmt: skip
            manage = [sys.executable, "manage.py"]
            subprocess.run(
                [*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
            )
            subprocess.run([*manage, "createcachetable"], cwd=ROOT, env=env, check=True)
            ready = {"warm": True, "normal": True, "crash": True, "upload": False}
            print(
                f"  [{kind}, {tasks}] preparing {sum(sizes.values())} residents and drafts …",
                flush=True,
            )
            prepared = child("prepare", env, tmp, {"batches": sizes, "ready": ready})
            print(f"  [{kind}, {tasks}] prepared in {prepared['prepare_s']} s", flush=True)
            port = free_port()
            uv = shutil.which("uv")
            gunicorn = (
                [uv, "run", "--frozen", "gunicorn"] if uv else [sys.executable, "-m", "gunicorn"]
            )
            command = [*gunicorn, "madoguchi.wsgi", "--bind", f"127.0.0.1:{port}",
                       "--workers", str(args.workers), "--pid", str(tmp / "gunicorn.pid")]  # fmt: skip
            if args.threads > 1:
                command += ["--worker-class", "gthread", "--threads", str(args.threads)]
            shown = " ".join([Path(command[0]).name, *command[1:]]).replace(str(tmp), "$TMP")
            server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                      stderr=log, start_new_session=True)  # fmt: skip
            master = wait_until_up(server, port, tmp)
            if tasks == "database":
                # Production's way (docs/operations.md): the mail is rendered and sent
                # by the task worker, on the same two cores, at a lower priority. It
                # polls as production's does (every second when idle): on SQLite each
                # poll is an exclusive transaction that submissions wait for.
                worker = subprocess.Popen(
                    ["nice", "-n", "10", *manage, "db_worker"],
                    cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
                    start_new_session=True,
                )  # fmt: skip
            image = png()

            def jobs(batch: str) -> list[dict]:
                return [
                    dict(r, png=image, fields=prepared["form_fields"])
                    for r in prepared["batches"][batch]
                ]

            def kill() -> dict:
                workers = worker_pids(master)
                victim = random.Random(args.seed).choice(workers)
                os.kill(victim, signal.SIGKILL)
                return {"pid": victim, "of_workers": len(workers), "at": time.monotonic()}

            runs: dict[str, dict] = {}
            batches = {"warm": jobs("warm")}
            Clients(port, batches["warm"], args.concurrency, "submit", args.repeaters).run()
            Clients(port, batches["warm"], args.concurrency, "bare", 0).run()
            worker_base = 0.0
            if worker is not None:
                # The worker's start-up (Django, the catalogue) and the warm-up's mails
                # are not the measured mails' cost.
                wait_for_mail(env, tmp)
                worker_base = group_cpu_s(worker.pid)

            def measured(jobs_: list[dict], kind_: str, killing: bool = False) -> dict:
                start, server_cpu = cpu_now(), group_cpu_s(server.pid)
                db_cpu = tree_cpu_s(postmaster) if postmaster else 0.0
                clients = Clients(port, jobs_, args.concurrency, kind_, args.repeaters,
                                  kill if killing else None)  # fmt: skip
                r = clients.run()
                account(r, start, server_cpu, group_cpu_s(server.pid), db_cpu,
                        tree_cpu_s(postmaster) if postmaster else 0.0)  # fmt: skip
                return r

            for name, kind_, killing in (("normal", "submit", False), ("crash", "submit", True),
                                         ("upload", "upload", False)):  # fmt: skip
                if not sizes[name]:
                    continue
                batches[name] = jobs(name)
                if name != "normal":
                    runs[name] = r = measured(batches[name], kind_, killing)
                else:
                    # Alternated with the bare baseline, round by round, on the same
                    # residents' sessions: other work on the machine weighs on both.
                    parts: dict[str, list[dict]] = {"bare": [], "normal": []}
                    lanes = [batches[name][i :: args.rounds] for i in range(args.rounds)]
                    for lane in lanes:
                        parts["bare"].append(measured([dict(j) for j in lane], "bare"))
                        parts["normal"].append(measured(lane, "submit"))
                    runs["bare"] = merged(parts["bare"])
                    runs[name] = r = merged(parts["normal"])
                    b = runs["bare"]
                    print(f"  [{kind}, {tasks}] bare  : {b['accepted']}/{b['drafts']} accepted, "
                          f"{b['per_s']}/s, p50 {b['p50_ms']} ms, p99 {b['p99_ms']} ms, "
                          f"CPU {cpu_per(b)} ms", flush=True)  # fmt: skip
                print(f"  [{kind}, {tasks}] {name:<6}: {r['accepted']}/{r['drafts']} accepted, "
                      f"{r['per_s']}/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
                      f"CPU {cpu_per(r)} ms, connection errors {r['connection_errors']}"
                      + (f", killed worker {r['killed']['pid']}" if r["killed"] else ""), flush=True)  # fmt: skip
            time.sleep(1)  # a respawned worker's boot
            after = worker_pids(master)
            stop(server)
            server = None
            for r in runs.values():
                r.pop("latencies_ms", None)
            outcomes = {
                name: [{"id": j["id"], "accepted": bool(j.get("accepted")),
                        "kind": "upload" if name == "upload" else "submit"} for j in js]
                for name, js in batches.items()
            }  # fmt: skip
            mail = {}
            if worker is not None:
                # The load is over: let the worker finish at normal priority (a niced
                # worker starves while anything else runs on the machine).
                with contextlib.suppress(OSError):
                    os.setpriority(os.PRIO_PROCESS, worker.pid, 0)
                mail_lag = wait_for_mail(env, tmp)
                # The worker's CPU for the measured runs' mails (its idle polling included).
                mails = sum(j.get("accepted", False) for name, js in batches.items()
                            if name not in ("warm", "upload") for j in js)  # fmt: skip
                worker_cpu = group_cpu_s(worker.pid) - worker_base
                mail = {"lag_s": mail_lag, "worker_cpu_s": round(worker_cpu, 1), "mails": mails}
                mail["worker_cpu_ms_per_mail"] = round(
                    mail["worker_cpu_s"] * 1000 / max(1, mails), 2
                )
                print(f"  [{kind}, {tasks}] every receipt mail sent {mail_lag} s after the last request; "
                      f"db_worker CPU {mail['worker_cpu_ms_per_mail']} ms per mail")  # fmt: skip
            print(f"  [{kind}, {tasks}] verifying …", flush=True)
            verified = child("verify", env, tmp, {"outcomes": outcomes,
                                                  "png_sha256": prepared["png_sha256"]})  # fmt: skip
            errors = log_errors(tmp / "gunicorn.log")
            return {
                "database": kind, "tasks": tasks, "mail_worker": mail, "url": url.split("@")[0] if kind != "sqlite" else "sqlite",
                "command": shown, "prepare_s": prepared["prepare_s"],
                "attachment_bytes": prepared["png_bytes"], "runs": runs,
                "workers_at_end": len(after), "verification": verified,
                "server_errors_logged": errors,
            }  # fmt: skip
    finally:
        if worker is not None:
            stop(worker)
        with shielded():
            if server is not None:
                stop(server)
            log.close()
            if args.keep:
                print(f"  kept: {tmp}")
            else:
                shutil.rmtree(tmp, ignore_errors=True)


def merged(parts: list[dict]) -> dict:
    """One run's figures from its rounds (alternated with the baseline's)."""
    ms = [x for p in parts for x in p["latencies_ms"]]
    r = dict(parts[-1])
    for key in ("drafts", "accepted", "not_accepted", "requests", "connection_errors", "retries",
                "server_cpu_s", "db_cpu_s"):  # fmt: skip
        r[key] = round(sum(p[key] for p in parts), 1)
    r["seconds"] = round(sum(p["seconds"] for p in parts), 2)
    r["per_s"] = round(r["accepted"] / r["seconds"], 1)
    r["requests_per_s"] = round(len(ms) / r["seconds"], 1)
    r["p50_ms"], r["p99_ms"] = round(percentile(ms, 50), 1), round(percentile(ms, 99), 1)
    r["max_ms"] = round(max(ms), 1)
    r["statuses"] = {}
    for p in parts:
        for k, v in p["statuses"].items():
            r["statuses"][k] = r["statuses"].get(k, 0) + v
    r["repeat_mismatches"] = [m for p in parts for m in p["repeat_mismatches"]]
    per = max(1, r["accepted"])
    r["server_cpu_ms_per_submission"] = round(r["server_cpu_s"] * 1000 / per, 2)
    r["db_cpu_ms_per_submission"] = round(r["db_cpu_s"] * 1000 / per, 2)
    r["client_cpu_ms_per_request"] = round(
        sum(p["client_cpu_ms_per_request"] * p["requests"] for p in parts) / max(1, len(ms)), 3
    )
    wall = sum(p["others"]["wall_s"] for p in parts)
    other = sum(p["others"]["other_cpu_s"] for p in parts)
    r["others"] = {"wall_s": round(wall, 1), "other_cpu_s": round(other, 1),
                   "other_share": round(other / (wall * (os.cpu_count() or 1)), 3)}  # fmt: skip
    r["rounds"] = len(parts)
    return r


def account(r: dict, start, server_before: float, server_after: float, db_before: float,
            db_after: float) -> None:  # fmt: skip
    """CPU per accepted submission of the server (our child, not reaped yet, so not in
    our rusage) and of PostgreSQL (another session), and what the rest of the machine
    used meanwhile."""
    per = max(1, r["accepted"])
    r["server_cpu_s"] = round(server_after - server_before, 1)
    r["db_cpu_s"] = round(db_after - db_before, 1)
    r["server_cpu_ms_per_submission"] = round(r["server_cpu_s"] * 1000 / per, 2)
    r["db_cpu_ms_per_submission"] = round(r["db_cpu_s"] * 1000 / per, 2)
    r["others"] = others = others_since(start)
    other = max(0.0, others["other_cpu_s"] - r["server_cpu_s"] - r["db_cpu_s"])
    others["other_cpu_s"] = round(other, 1)
    others["other_share"] = round(other / (others["wall_s"] * (os.cpu_count() or 1)), 3)


def log_errors(log: Path) -> list[str]:
    """Tracebacks and errors in gunicorn's log (a killed worker is expected)."""
    lines = log.read_text(errors="replace").splitlines()
    keep = ("Error", "Traceback", "Exception", "exception")
    return [line for line in lines if any(k in line for k in keep)][:20]


def wait_for_mail(env: dict, tmp: Path, timeout: float = 300) -> float:
    """Seconds until the task worker has sent every receipt mail."""
    started = time.monotonic()
    probe = (
        "import django; django.setup();"
        "from madoguchi.applications.models import Application as A;"
        # The baseline's rows (bench_urls) are never mailed: left out.
        f"print(A.objects.all_towns().filter(status='submitted', receipt_mailed_at=None)"
        f".exclude(procedure_id='{BARE}').count())"
    )
    while time.monotonic() - started < timeout:
        left = subprocess.run(
            [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
        ).stdout.strip()
        if left == "0":
            break
        time.sleep(3)  # each probe is a Django start-up: not too often
    return round(time.monotonic() - started, 1)


def wait_until_up(server: subprocess.Popen, port: int, tmp: Path, timeout: float = 120) -> int:
    """The master's pid, once a worker answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{(tmp / 'gunicorn.log').read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
            return int((tmp / "gunicorn.pid").read_text())
        except (OSError, ValueError, http.client.HTTPException):
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer:\n{(tmp / 'gunicorn.log').read_text()[-3000:]}")


# --- the summary -----------------------------------------------------------------


def summary(results: list[dict], args, cores: int) -> str:
    setting = f"{args.workers} sync workers" if args.threads <= 1 else \
        f"{args.workers} gthread workers × {args.threads} threads"  # fmt: skip
    lines = [
        "", "=" * 90, "madoguchi submission benchmark — summary", "=" * 90,
        "tasks database = production (MADOGUCHI_TASKS=database: the receipt mail is queued in "
        "the submission's commit and sent by manage.py db_worker, niced, on the same cores; "
        "its CPU is shown per mail); tasks immediate = ./dev run's default (mail rendered and "
        "sent in the request's process). The goal (>= 0.5 of the bare baseline) applies to "
        "production.",
        f"command: {' '.join(['./dev bench submit', *sys.argv[1:]])}",
        f"machine: {cores} cores, Python {platform.python_version()}; gunicorn {setting}, "
        f"{args.concurrency} clients (1 double-taps, 1 repeats each POST)",
        "a submission = the final POST /mypage/applications/<uuid>/submit/ (agree=yes) of a "
        "saved draft with its file, answered 302 → /done/; upload = the edit POST with "
        "action=review and a PNG (302 → /review/). CPU ms/sub = gunicorn + PostgreSQL CPU per "
        "accepted submission",
        f"  {'database':<20} {'run':<7} {'drafts':>6} {'accepted':>8} {'per s':>7} {'req/s':>7} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'conn err':>8} {'CPU ms/sub':>10}  verification",
    ]  # fmt: skip
    for res in results:
        v = res["verification"]
        for name, r in res["runs"].items():
            stats = v["runs"].get(name, {})
            note = "OK" if v["ok"] else "FAILED"
            if name == "bare":
                note = "baseline: login_required, 1 JSON row + 1 history row, one transaction"
            elif name != "upload":
                note += (f" ({stats.get('submitted', 0)} submitted once, "
                         f"{stats.get('submitted_unseen', 0)} unseen, {stats.get('draft', 0)} left draft, "
                         f"{stats.get('mail_unsent', 0)} mail unsent)")  # fmt: skip
            lines.append(
                f"  {res['database'] + ', ' + res.get('tasks', ''):<20} {name:<7} {r['drafts']:>6} {r['accepted']:>8} "
                f"{r['per_s']:>7} {r['requests_per_s']:>7} {r['p50_ms']:>7} {r['p99_ms']:>7} "
                f"{r['max_ms']:>7} {r['connection_errors']:>8} {cpu_per(r):>10}  {note}"
            )
            if r["repeat_mismatches"]:
                lines.append(f"      repeats answered differently: {r['repeat_mismatches'][:3]}")
        lines.append(
            f"      {v['applications']} applications, {v['submitted']} submitted, receipt numbers "
            f"{v['receipt_numbers']}, {v['files_checked']}/{v['attachments']} files intact, "
            f"{v['orphan_files']} orphans; prepared in {res['prepare_s']} s; {res['command']}"
        )
        runs = res["runs"]
        if "bare" in runs and "normal" in runs:
            share = runs["normal"]["per_s"] / max(0.1, runs["bare"]["per_s"])
            cpu = [runs[k]["server_cpu_ms_per_submission"] + runs[k]["db_cpu_ms_per_submission"]
                   for k in ("normal", "bare")]  # fmt: skip
            goal = (
                f"(goal >= {GOAL_SHARE}) {'OK' if share >= GOAL_SHARE else 'MISSED'}"
                if res.get("tasks") == "database"
                else "(no goal: not production's setting)"
            )
            lines.append(
                f"      submission/bare throughput {share:.2f} {goal}; CPU per request "
                f"{cpu[0]:.1f} vs {cpu[1]:.1f} ms ({cpu[0] / max(0.01, cpu[1]):.1f}×), "
                f"alternated in {runs['normal'].get('rounds', 1)} rounds"
            )
        if res.get("mail_worker"):
            m = res["mail_worker"]
            lines.append(f"      receipt mails: {m['mails']} sent by db_worker, the last "
                         f"{m['lag_s']} s after the last request, "
                         f"{m['worker_cpu_ms_per_mail']} ms of its CPU per mail")  # fmt: skip
        for line in res["server_errors_logged"][:5]:
            lines.append(f"      gunicorn log: {line}")
        for p in v["problems"][:10]:
            lines.append(f"      PROBLEM: {p}")
        for name, r in res["runs"].items():
            if r["others"]["other_share"] > 0.1:
                lines.append(f"      {name}: other processes used {r['others']['other_share']:.0%} "
                             "of the machine meanwhile: figures skewed")  # fmt: skip
    pg = [r for r in results if r["database"] == "postgresql"]
    pg.sort(key=lambda r: r.get("tasks") != "database")  # production's first
    if pg and "normal" in pg[0]["runs"]:
        rate = pg[0]["runs"]["normal"]["per_s"]
        ok = "OK" if rate >= GOAL_PG_PER_S else "MISSED"
        top = ceiling(pg[0]["runs"]["normal"], cores)
        lines.append(f"goal: >= {GOAL_PG_PER_S} submissions/s on PostgreSQL "
                     f"(tasks {pg[0].get('tasks')}): {rate}/s  {ok} "
                     f"(CPU-bound ceiling on {cores} cores at the CPU measured per submission: "
                     f"{top}/s)")  # fmt: skip
    return "\n".join(lines)


def cpu_per(r: dict) -> str:
    """Server + database CPU ms per accepted submission (or upload)."""
    return f"{r['server_cpu_ms_per_submission']:.1f}+{r['db_cpu_ms_per_submission']:.1f}"


def ceiling(r: dict, cores: int) -> float:
    """Submissions/s the machine's cores would allow if the server, the database and
    the clients had them to themselves (their CPU per submission only)."""
    client = r["client_cpu_ms_per_request"] * r["requests"] / max(1, r["accepted"])
    per = r["server_cpu_ms_per_submission"] + r["db_cpu_ms_per_submission"] + client
    return round(cores * 1000 / per, 1) if per else 0.0


def main() -> None:
    cores = os.cpu_count() or 1
    arg = (parser := argparse.ArgumentParser(description=__doc__.split("\n\n")[0])).add_argument
    arg(
        "--large",
        action="store_true",
        help="4,000 drafts per run, 1,000 uploads (default 500, 100)",
    )
    arg("--drafts", type=int, help="drafts per run (normal and crash)")
    arg("--uploads", type=int, help="drafts for the upload figure (0: skip)")
    arg("--workers", type=int, default=2, help="gunicorn workers")
    arg("--threads", type=int, default=4, help="threads per worker (>1: gthread; 1: sync)")
    arg("--concurrency", type=int, default=8, help="client threads")
    arg("--repeaters", type=int, default=2, help="clients that double-tap / retry")
    arg(
        "--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    arg(
        "--pg-fsync-off", action="store_true", help="PostgreSQL with fsync=off (as scripts/test.sh)"
    )
    arg("--no-crash", action="store_true", help="skip the run with a killed worker")
    arg(
        "--tasks",
        nargs="+",
        choices=["database", "immediate"],
        default=["database", "immediate"],
        help="database: the receipt mail queued with the submission and sent by manage.py "
        "db_worker, as in production (the goal applies to it); immediate: sent in the web "
        "process after the commit (./dev run's default)",
    )
    arg("--rounds", type=int, default=3, help="rounds alternating the baseline and the normal run")
    arg("--seed", type=int, default=20261120)
    arg("--keep", action="store_true", help="keep the temporary folders (SQLite, files, logs)")
    arg("--child", choices=["prepare", "verify"], help=argparse.SUPPRESS)
    arg("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        payload = json.loads((args.folder / f"{args.child}-in.json").read_text())
        if args.child == "prepare":
            out = prepare_child(args.folder, payload["batches"], payload["ready"])
        else:
            out = verify_child(args.folder, payload["outcomes"], payload["png_sha256"])
        (args.folder / f"{args.child}-out.json").write_text(json.dumps(out))
        return
    drafts = args.drafts or (4000 if args.large else 500)
    uploads = args.uploads if args.uploads is not None else (1000 if args.large else 100)
    sizes = {"warm": 10 * args.workers, "normal": drafts, "crash": 0 if args.no_crash else drafts,
             "upload": uploads}  # fmt: skip
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = datetime.now()
    load_at_start = os.getloadavg()
    print(f"machine: {cores} cores, load average {' '.join(f'{x:.2f}' for x in load_at_start)}")
    results = []
    for kind in args.databases:
        for tasks in args.tasks:
            results.append(bench_database(kind, tasks, args, sizes))
    print(summary(results, args, cores))
    git = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    report = {"started": started.isoformat(timespec="seconds"), "argv": sys.argv[1:],
              "git": git.stdout.strip(), "cores": cores, "python": platform.python_version(),
              "load_average_at_start": load_at_start, "workers": args.workers,
              "threads": args.threads, "concurrency": args.concurrency, "tasks": args.tasks,
              "pg_fsync": not args.pg_fsync_off, "goal_pg_per_s": GOAL_PG_PER_S,
              "results": results}  # fmt: skip
    out = ROOT / "bench" / "results" / f"submit-{started:%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten: {out.relative_to(ROOT)}")
    failed = [r["database"] for r in results if not r["verification"]["ok"]]
    failed += [r["database"] for r in results for x in r["runs"].values() if x["repeat_mismatches"]]
    if failed:
        print(f"VERIFICATION FAILED: {', '.join(sorted(set(failed)))}")
        sys.exit(1)


if __name__ == "__main__":
    main()
