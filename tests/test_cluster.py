"""Several app servers behind a real load balancer (``./dev cluster``,
scripts/cluster.py): two gunicorn servers, nginx, moto's S3 server, the task
worker, one PostgreSQL. A resident's draft is saved through one server, a file
uploaded through the other, the application sent through the first; the clerk
signs in (password on one server, TOTP code on the other) and opens it and its file
through the second. Sessions, CSRF, the one-use TOTP code and the rate limits (the
cache), the mail (the task worker) and the file (the bucket) must all hold across servers, and nothing may be left on a server's
own disk.

Only on PostgreSQL: several servers sharing one SQLite file is not a supported
setup (docs/operations.md)."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from django.db import connection

from madoguchi.applications.models import Application, Attachment, Status
from madoguchi.backoffice.cast import KOSODATE, ensure_staff
from madoguchi.residents.cast import TAKAHASHI, ensure_resident
from tests.applications.conftest import CLAIM, claim_post, png_bytes
from tests.applications.test_views import verify
from tests.conftest import CAST_PASSWORD
from tests.sign_in import totp_code

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[1]
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def load_cluster_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "madoguchi_cluster", ROOT / "scripts" / "cluster.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="") + (
        f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    )
    host = quote(s["HOST"] or "", safe="")
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{s['NAME']}"


@pytest.fixture
def cluster(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "several app servers need PostgreSQL (a SQLite file shared by servers is not "
            "a supported setup); runs in the PostgreSQL run of the suite"
        )
    module = load_cluster_module()
    running = module.Cluster(database_url=database_url(), folder=tmp_path / "cluster").start()
    running.module = module
    yield running
    running.stop()


class Browser:
    """One person's browser: a cookie jar, and each request sent to the app server
    it names (nginx routes on ``X-Madoguchi-Server``), checking which one answered."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.http = httpx.Client(base_url=cluster.url, follow_redirects=False, timeout=30)

    def request(self, method: str, server: int, path: str, **kwargs) -> httpx.Response:
        header = self.cluster.module.ROUTE_HEADER
        response = self.http.request(method, path, headers={header: str(server)}, **kwargs)
        answered = response.headers[self.cluster.module.UPSTREAM_HEADER]
        assert answered == self.cluster.app_addresses[server - 1], (server, answered)
        assert response.status_code < 500, self.cluster.log_tail(f"app{server}")
        return response

    def get(self, server: int, path: str) -> httpx.Response:
        return self.request("GET", server, path)

    def post(self, server: int, path: str, data: dict, token: str, **kwargs) -> httpx.Response:
        return self.request(
            "POST", server, path, data={**data, "csrfmiddlewaretoken": token}, **kwargs
        )


def token_of(page: httpx.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]


def test_a_resident_and_a_clerk_across_two_servers(cluster, tmp_path, settings):
    # The servers know the real hashers only, not the suite's fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    data = dict(TAKAHASHI)
    takahashi = ensure_resident(data.pop("email"), CAST_PASSWORD, **data)
    verify(takahashi)  # as the demo identity provider would have
    email, family, given, department, role = KOSODATE
    ensure_staff(email, CAST_PASSWORD, family, given, department, role, totp_secret=SECRET)

    # Without the header nginx takes turns: both servers answer.
    with httpx.Client(base_url=cluster.url) as plain:
        answered = {plain.get("/").headers[cluster.module.UPSTREAM_HEADER] for _ in range(4)}
    assert answered == set(cluster.app_addresses)

    # 高橋さん signs in (the form from server 2, sent to server 1) and starts.
    resident = Browser(cluster)
    login = resident.get(2, "/accounts/login/")
    signed_in = resident.post(
        1,
        "/accounts/login/",
        {"login": takahashi.email, "password": CAST_PASSWORD},
        token_of(login),
    )
    assert signed_in.status_code == 302, signed_in.text[:2000]
    start = resident.get(2, f"/apply/{CLAIM}/")
    started = resident.post(1, f"/apply/{CLAIM}/", {"event": ""}, token_of(start))
    assert started.status_code == 302 and started.headers["location"].endswith("/edit/")
    edit = started.headers["location"]
    app = Application.objects.get(public_id=edit.split("/")[-3])

    # The draft saved through server 1 …
    saved = resident.post(1, edit, claim_post(), token_of(resident.get(1, edit)))
    assert saved.status_code == 302, saved.text[:2000]
    app.refresh_from_db()
    assert app.status == Status.DRAFT and app.draft_input["claimant_name__name"] == "高橋 太郎"

    # … the photo of the insurance card uploaded through server 2 (the page from
    # server 1: the session and the CSRF token hold across servers) …
    photo = png_bytes((120, 80))
    uploaded = resident.post(
        2, edit, claim_post(), token_of(resident.get(1, edit)),
        files={"insurance_document": ("hokensho.png", photo, "image/png")},
    )  # fmt: skip
    assert uploaded.status_code == 302, uploaded.text[:2000]
    (attachment,) = Attachment.objects.filter(application=app)

    # … reviewed and sent through server 1.
    page = resident.get(2, edit)
    reviewed = resident.post(1, edit, claim_post(action="review"), token_of(page))
    assert reviewed.status_code == 302 and reviewed.headers["location"].endswith("/review/")
    review = resident.get(2, reviewed.headers["location"])
    assert "hokensho.png" in review.text
    submit = reviewed.headers["location"].replace("/review/", "/submit/")
    sent = resident.post(1, submit, {"agree": "yes"}, token_of(review))
    assert sent.status_code == 302 and sent.headers["location"].endswith("/done/"), sent.text[:2000]
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED

    # The clerk: password through server 1, the TOTP code through server 2.
    clerk = Browser(cluster)
    login = clerk.get(2, "/accounts/login/")
    step = clerk.post(
        1, "/accounts/login/", {"login": email, "password": CAST_PASSWORD}, token_of(login)
    )
    assert step.status_code == 302 and "/2fa/" in step.headers["location"], step.text[:2000]
    code = totp_code(SECRET)
    mfa = clerk.get(1, step.headers["location"])
    done = clerk.post(2, step.headers["location"], {"code": code}, token_of(mfa))
    assert done.status_code == 302, done.text[:2000]

    # The code was used: the cache every server shares refuses it on the other one.
    thief = Browser(cluster)
    login = thief.get(1, "/accounts/login/")
    step = thief.post(
        1, "/accounts/login/", {"login": email, "password": CAST_PASSWORD}, token_of(login)
    )
    again = thief.post(
        1,
        step.headers["location"],
        {"code": code},
        token_of(thief.get(1, step.headers["location"])),
    )
    assert again.status_code == 200 and "/office/" not in again.headers.get("location", "")

    # Rate limits count in the shared cache: three codes a minute for one address
    # (reset_password's 3/m/key), whichever servers the requests reach.
    asker = Browser(cluster)
    page = asker.get(1, "/accounts/password/reset/")
    for server in (1, 2, 1):
        asked = asker.post(
            server, "/accounts/password/reset/", {"email": takahashi.email}, token_of(page)
        )
        assert asked.status_code == 302, asked.text[:2000]
        page = asker.get(server, "/accounts/password/reset/")
    assert (
        asker.post(
            2, "/accounts/password/reset/", {"email": takahashi.email}, token_of(page)
        ).status_code
        == 429
    )

    # The clerk's view and the file, through server 2.
    detail = clerk.get(2, f"/office/applications/{app.public_id}/")
    assert detail.status_code == 200 and app.receipt_number in detail.text
    assert "hokensho.png" in detail.text
    file_url = f"/office/applications/{app.public_id}/files/{attachment.public_id}/"
    assert file_url in detail.text
    got = clerk.get(2, file_url)
    assert got.status_code == 200 and got.content == photo
    assert "no-store" in got.headers["cache-control"]

    # The file is in the bucket, private, and on no server's own disk.
    s3 = cluster.s3_client()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=cluster.module.BUCKET)["Contents"]]
    assert keys == [attachment.storage_name]
    stored = s3.get_object(Bucket=cluster.module.BUCKET, Key=attachment.storage_name)
    assert stored["Body"].read() == photo
    anonymous = httpx.get(f"{cluster.s3_url}/{cluster.module.BUCKET}/{attachment.storage_name}")
    assert anonymous.status_code == 403
    local = [p for p in (tmp_path / "cluster").glob("*/files/**/*") if p.is_file()]
    assert local == []

    # The task worker sent the receipt mail (the servers only queued it).
    mail_dir = tmp_path / "cluster" / "mail"

    # Wait for the receipt itself: the password-reset mails of the rate-limit check
    # above land in the same folder, written by the app servers.
    def receipt_sent() -> bool:
        return any(app.receipt_number in p.read_text() for p in mail_dir.glob("*.log"))

    deadline = time.monotonic() + 120  # a busy machine: the worker loads the catalogue first
    while not receipt_sent() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert receipt_sent(), cluster.log_tail("worker")
