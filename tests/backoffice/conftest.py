"""The back office's cast: 子育て支援課's clerk 小林さん (``kosodate``) and its
課長 加藤さん (``kacho``), 保険年金課's clerk 保坂さん (``hoken``), each with a TOTP
authenticator (MFA), and applications 高橋さん and 齊藤さん sent to them."""

from __future__ import annotations

from datetime import datetime

import pytest
from allauth.mfa.utils import is_mfa_enabled
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from madoguchi.applications import files
from madoguchi.applications.models import Application
from madoguchi.backoffice.cast import HOKEN, KACHO, KOSODATE, ensure_staff
from madoguchi.catalog.registry import current_catalog
from tests.applications.conftest import CLAIM, claim_post, png_bytes
from tests.applications.test_submission import new_draft, send
from tests.conftest import CAST_PASSWORD
from tests.sign_in import sign_in

KOKUHO = "kokuho-enroll"  # 保険年金課's online procedure
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def staff(who):
    email, family, given, department, role = who
    return ensure_staff(email, CAST_PASSWORD, family, given, department, role, totp_secret=SECRET)


@pytest.fixture
def kosodate(db):
    return staff(KOSODATE)


@pytest.fixture
def kacho(db):
    return staff(KACHO)


@pytest.fixture
def hoken(db):
    return staff(HOKEN)


# One signed-in client per person and test (allauth takes a TOTP code once).
_signed_in: dict[int, Client] = {}


@pytest.fixture(autouse=True)
def _fresh_sign_ins():
    _signed_in.clear()
    yield
    _signed_in.clear()


def client_for(user) -> Client:
    """A client signed in as ``user`` through the real forms (password, then the
    TOTP code when the account has one); the same client again within a test."""
    if user.pk not in _signed_in:
        secret = SECRET if is_mfa_enabled(user) else None
        _signed_in[user.pk] = sign_in(Client(), user.email, CAST_PASSWORD, secret)
    return _signed_in[user.pk]


def password_only_client(user) -> Client:
    """A session signed in without the second factor (as Django's admin login or
    ``force_login`` make): staff pages must refuse it."""
    client = Client()
    client.force_login(user)
    return client


def sent(user, procedure_id: str = CLAIM, *, at: datetime | None = None, image=False):
    """A submitted application of ``user`` (with a PNG attached when ``image``)."""
    if procedure_id == CLAIM:
        app = new_draft(user, post=claim_post())
    else:
        from madoguchi.applications.samples import complete_input

        app = new_draft(user, procedure_id)
        app.draft_input = complete_input(app.spec, app.data)
        app.save(update_fields=["draft_input"])
    send(app, user)
    if image:  # as the resident attached it (the file is what the staff open)
        with files.atomic_with_files():
            upload = SimpleUploadedFile("保険証.png", png_bytes(), content_type="image/png")
            files.store(app, "insurance_document", upload, files.Limits(("png",), 10**7, 5))
    app.refresh_from_db()
    if at is not None:
        Application.objects.filter(pk=app.pk).update(submitted_at=at)
        app.refresh_from_db()
    return app


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def processing_days(monkeypatch):
    """Give a procedure a 標準処理期間 for the test: ``processing_days(CLAIM, 5)``."""

    def give(procedure_id: str, days: int):
        procedures = current_catalog().procedures
        changed = procedures[procedure_id].model_copy(update={"processing_days": days})
        monkeypatch.setitem(procedures, procedure_id, changed)

    return give
