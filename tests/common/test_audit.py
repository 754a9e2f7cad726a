"""The audit log only grows: Django refuses changes, and so does the database."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from madoguchi.common import audit
from madoguchi.common.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


def test_record_keeps_names_not_values(takahashi):
    event = audit.record(takahashi, "change", "residents.Profile", 7, fields={"phone", "address"})
    assert event.actor == takahashi and event.target_id == "7"
    assert event.detail == {"fields": ["address", "phone"]}
    assert list(audit.events_for("residents.Profile", 7)) == [event]


def test_record_accepts_no_actor_and_anonymous_users(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    assert audit.record(request, "view", "x", "1").actor is None
    assert audit.record(None, "submit", "x", "1").ip_hash == ""


def test_django_refuses_to_change_or_delete_an_event():
    event = audit.record(None, "view", "x", "1")
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize(
    "sql", ["UPDATE common_auditevent SET action = 'x'", "DELETE FROM common_auditevent"]
)
def test_the_database_refuses_raw_update_and_delete(sql):
    audit.record(None, "view", "x", "1")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.get().action == "view"


def test_deleting_a_user_keeps_their_events(takahashi):
    audit.record(takahashi, "view", "x", "1")
    takahashi.delete()
    assert AuditEvent.objects.get().actor_id is not None


def test_the_admin_is_read_only(admin_client):
    event = audit.record(None, "view", "x", "1")
    assert admin_client.get("/admin/common/auditevent/").status_code == 200
    assert admin_client.get(f"/admin/common/auditevent/{event.pk}/change/").status_code == 200
    assert admin_client.post(f"/admin/common/auditevent/{event.pk}/delete/").status_code == 403


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="REPLACE INTO is SQLite's")
def test_sqlite_refuses_replace_into_over_an_existing_entry():
    event = audit.record(None, "view", "x", "1")
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(
            "REPLACE INTO common_auditevent (id, at, action, target_type, target_id, detail, "
            "ip_hash, prev_hash, hash) VALUES (%s, '2001-01-01 00:00:00', 'view', 'x', '2', "
            "'{}', '', '', '')",
            [event.pk],
        )
    assert AuditEvent.objects.get().target_id == "1"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_postgresql_refuses_truncate_of_the_log():
    audit.record(None, "view", "x", "1")
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("TRUNCATE common_auditevent")
    assert AuditEvent.objects.count() == 1


def test_the_admin_lists_a_row_rewritten_behind_its_back(admin_client):
    """Someone with the database file drops the triggers and writes an old date
    (without a time) over an entry: the admin's list still answers (and ``audit
    verify`` reports the entry)."""
    from madoguchi.common import audit_triggers

    event = audit.record(None, "view", "x", "1")
    audit_triggers.remove(connection)
    try:
        _raw("UPDATE common_auditevent SET at = %s WHERE id = %s", ["2000-01-01", event.pk])
    finally:
        audit_triggers.install(connection)
    assert admin_client.get("/admin/common/auditevent/").status_code == 200
    assert admin_client.get("/admin/common/auditevent/?at__gte=2000-01-01").status_code == 200
