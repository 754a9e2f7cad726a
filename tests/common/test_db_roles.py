"""PostgreSQL with an owner role and a web role (docs/operations.md): the web role,
as the application runs, can read and add to the audit log, and work the other
tables, but it cannot change, empty or unprotect the log."""

from __future__ import annotations

import secrets

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from madoguchi.common import audit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's"),
]


@pytest.fixture
def web_role():
    """A login role made for this test (roles belong to the whole cluster: a unique
    name, and dropped afterwards with what was granted to it). The test's own role,
    which ran the migrations, stands for the owner."""
    name = f"madoguchi_web_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" LOGIN')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE "{name}"')


def connect_as(role: str) -> psycopg.Connection:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    params.pop("password", None)
    params["user"] = role
    return psycopg.connect(autocommit=True, **params)


REFUSED = [
    "UPDATE common_auditevent SET action = 'x'",
    "DELETE FROM common_auditevent",
    "TRUNCATE common_auditevent",
    "ALTER TABLE common_auditevent DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_no_update_delete ON common_auditevent",
    "DROP TRIGGER audit_no_truncate ON common_auditevent",
    "DROP TABLE common_auditevent",
    "ALTER TABLE common_auditevent OWNER TO CURRENT_USER",
]


def test_the_web_role_adds_to_the_log_but_cannot_rewrite_it(web_role, takahashi):
    audit.record(takahashi, "view", "x", "1")
    call_command("db_grants", web_role)
    with connect_as(web_role) as web:
        assert web.execute("SELECT current_user").fetchone()[0] == web_role
        # What the application does: lock the chain's end, read it, add an entry.
        with web.transaction():
            web.execute("SELECT pg_advisory_xact_lock(1)")
            last = web.execute(
                "SELECT hash FROM common_auditevent ORDER BY id DESC LIMIT 1"
            ).fetchone()
            web.execute(
                "INSERT INTO common_auditevent (at, action, target_type, target_id, detail,"
                " ip_hash, prev_hash, hash) VALUES (now(), 'view', 'x', '2', '{}', '', %s, '')",
                [last[0]],
            )
        # and normal work elsewhere
        web.execute("UPDATE auth_user SET first_name = '健太' WHERE id = %s", [takahashi.pk])
        web.execute("DELETE FROM django_session")
        for sql in REFUSED:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                web.execute(sql)
        assert web.execute("SELECT count(*) FROM common_auditevent").fetchone()[0] == 2


def test_the_grants_refuse_the_owner_itself():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        me = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="別のロール"):
        call_command("db_grants", me)
