"""Shared fixtures: the example catalogue and a fixed cast of households.

The cast (healthchecks' way) lets tests read as sentences: 高橋さんの家 has a baby,
齊藤さん moves in with two school children, 田中さん's father dies…
"""

from __future__ import annotations

from pathlib import Path

import pytest

from madoguchi.catalog.loader import Catalog, load
from madoguchi.catalog.situation import Situation

EXAMPLE = Path(__file__).resolve().parent.parent / "municipalities" / "example"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load(EXAMPLE)


def situation(**data) -> Situation:
    return Situation.model_validate(data)


@pytest.fixture
def takahashi_birth() -> Situation:
    """高橋さん夫婦(国保)に、2026-11-20 に 2,400 g の赤ちゃんが生まれた。出産した妻は
    自営業(国民年金の第1号)で、出産費用は出産育児一時金より少なかった(差額を申請する)。"""
    return situation(
        event="birth",
        event_date="2026-11-20",
        childbirth_grant_to_claim=True,
        members=[
            {
                "role": "self",
                "birth_date": "1992-06-15",
                "sex": "male",
                "insurance": "kokuho",
                "receives_child_allowance": False,
                "receives_child_rearing_allowance": False,
            },
            {
                "role": "spouse",
                "birth_date": "1993-01-08",
                "sex": "female",
                "insurance": "kokuho",
                "receives_child_allowance": False,
                "receives_child_rearing_allowance": False,
            },
            {"role": "newborn", "birth_weight_g": 2400},
        ],
        single_parent=False,
    )


@pytest.fixture
def saito_move_in() -> Situation:
    """齊藤さん一家が 2026-11-20 に転入。小学生と中学生、マイナンバーカードあり、犬はいない。"""
    return situation(
        event="move_in",
        event_date="2026-11-20",
        members=[
            {
                "role": "self",
                "birth_date": "1985-05-05",
                "insurance": "shaho",
                "has_mynumber_card": True,
                "receives_child_allowance": True,
                "care_certified": False,
            },
            {
                "role": "spouse",
                "birth_date": "1987-09-30",
                "insurance": "shaho",
                "has_mynumber_card": True,
                "receives_child_allowance": False,
                "care_certified": False,
            },
            {
                "role": "child",
                "birth_date": "2016-07-01",
                "insurance": "shaho",
                "has_mynumber_card": False,
                "receives_child_allowance": False,
                "care_certified": False,
            },
            {
                "role": "child",
                "birth_date": "2012-12-24",
                "insurance": "shaho",
                "has_mynumber_card": False,
                "receives_child_allowance": False,
                "care_certified": False,
            },
        ],
        single_parent=False,
        has_dog=False,
    )


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Passwords are hashed with MD5 in tests (Django's advice): the real hasher's
    work factor is there to slow attackers, and it made every sign-in and every cast
    member cost a third of a second. Production keeps Django's default (PBKDF2)."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


# --- Accounts: a real SMTP server, the resident cast, the audit log -----------------

CAST_PASSWORD = "madoguchi-test-2026"  # 高橋さん's and 齊藤さん's password in tests


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free port; Django's mail goes to it.

    ``smtp_server.wait_for(n)`` waits for n mails and returns them (parsed
    ``email.message.EmailMessage``); ``smtp_server.text(message)`` is the body."""
    from tests.smtp import SMTPServer

    server = SMTPServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield server
    server.stop()


@pytest.fixture
def takahashi(db):
    """高橋 健太さん (takahashi@example.jp, password CAST_PASSWORD), verified email, profile."""
    from madoguchi.residents.cast import TAKAHASHI, ensure_resident

    data = dict(TAKAHASHI)
    return ensure_resident(data.pop("email"), CAST_PASSWORD, **data)


@pytest.fixture
def admin_client(admin_user):
    """pytest-django's ``admin_client``, but signed in as the admin asks: through
    allauth's forms, with a TOTP code (the admin refuses password-only sessions)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP
    from django.test import Client

    from tests.sign_in import sign_in

    secret = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
    EmailAddress.objects.update_or_create(
        user=admin_user, email=admin_user.email, defaults={"verified": True, "primary": True}
    )
    TOTP.activate(admin_user, secret)
    return sign_in(Client(), admin_user.email, "password", secret)


@pytest.fixture
def saito(db):
    """齊藤 美咲さん (saito@example.jp, password CAST_PASSWORD), verified email, profile."""
    from madoguchi.residents.cast import SAITO, ensure_resident

    data = dict(SAITO)
    return ensure_resident(data.pop("email"), CAST_PASSWORD, **data)


@pytest.fixture(autouse=True)
def _language_reset():
    """Each test starts in the default language: a request in English (LocaleMiddleware
    activates it for the thread and leaves it so) must not make the next test's
    messages English."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _accounts_state(request):
    """Rate-limit counters (the database cache) start empty in each database test;
    and transactional tests, which end with a flush of every table that the audit
    log's append-only trigger refuses, empty the log first with the trigger off."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    from django.core.cache import cache

    cache.clear()
    yield
    transactional = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    if not (transactional or "live_server" in request.fixturenames):
        return
    from django.db import connection

    from madoguchi.common import audit_triggers

    audit_triggers.remove(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {audit_triggers.TABLE}")
    finally:
        audit_triggers.install(connection)


@pytest.fixture(autouse=True)
def _attached_files_in_a_temporary_folder(settings, tmp_path_factory):
    """Files residents attach (and the demo's second town) never land in the
    project's var/ during tests."""
    settings.MADOGUCHI_FILES_DIR = tmp_path_factory.getbasetemp() / "attached-files"
    settings.VAR_DIR = tmp_path_factory.getbasetemp() / "var"


# --- Towns: every test runs in the installation's first town ---------------------


@pytest.fixture(autouse=True)
def _in_the_first_town(request):
    """Tests run as today's single-town installation: the town of
    MADOGUCHI_CATALOG_DIR is active (a town's data is only reachable with one
    active: towns/scoping.py). Tests of several towns activate others themselves.
    Without a database, the town is the catalogue's, unsaved."""
    from madoguchi.towns import directory
    from madoguchi.towns.context import activate

    directory.forget()
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        from madoguchi.towns.models import Town

        town = Town(**directory.default_town_fields())
        directory._current = directory.Directory((town,), {town.slug: town}, {}, float("inf"), None)
        with activate(town):
            yield
        directory.forget()
        return
    request.getfixturevalue("_django_db_helper")
    from madoguchi.towns.models import Town

    town = directory.ensure_first_town(Town.objects)
    directory.directory()  # read now: a test's statement counts do not include it
    with activate(town):
        yield
    directory.forget()
