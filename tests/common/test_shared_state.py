"""What must hold across app servers lives in the database (or the bucket), never in
one process: sessions, the cache behind allauth's rate limits and its used TOTP
codes, messages (the task queue and the files: tests/test_cluster.py; docs/operations.md, 複数のアプリサーバーで動かす)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage import default_storage as message_storage
from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.test import RequestFactory

from madoguchi.common.sessions import SessionStore


def test_sessions_are_rows_in_the_database():
    from django.contrib.sessions.backends.db import SessionStore as DatabaseSessions

    assert issubclass(SessionStore, DatabaseSessions)
    assert settings.SESSION_ENGINE == "madoguchi.common.sessions"


@pytest.mark.django_db
def test_allauths_rate_limits_count_in_the_database_table():
    from allauth.core import ratelimit
    from django.core.cache import caches
    from django.db import connection

    assert {c["BACKEND"] for c in settings.CACHES.values()} == {
        "django.core.cache.backends.db.DatabaseCache"
    }
    assert isinstance(caches["default"], DatabaseCache)
    table = settings.CACHES["default"]["LOCATION"]
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.10")
    request.user = AnonymousUser()
    cache.clear()
    assert ratelimit.consume(request, action="login_failed", key="takahashi@example.jp")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        assert cursor.fetchone()[0] > 0  # a row every server reads


def test_messages_travel_in_the_cookie_or_the_session():
    request = RequestFactory().get("/")
    request.session = SessionStore()
    kind = type(message_storage(request)).__module__
    assert kind.startswith("django.contrib.messages.storage.")
    assert not kind.endswith(("locmem", "file"))
