"""The audit log is a hash chain: each entry holds the previous entry's hash and
its own; ``audit verify`` walks it and names the first entry that was edited,
removed or relinked (with the triggers dropped, as someone with the database could)."""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from madoguchi.common import audit, audit_chain, audit_triggers
from madoguchi.common.models import AuditEvent

pytestmark = pytest.mark.django_db


def verify() -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def some_events(n=4):
    return [audit.record(None, "view", "application", f"app-{i}", page="detail") for i in range(n)]


def tamper(sql, params=()):
    """As someone who can drop the triggers would: change the table behind Django's back."""
    audit_triggers.remove(connection)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        audit_triggers.install(connection)


def test_each_entry_links_to_the_one_before():
    first, second, third, *_ = some_events()
    assert first.prev_hash == ""
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert len(first.hash) == 64 and first.hash != second.hash
    again = AuditEvent.objects.get(pk=second.pk)  # the hash is over what the database kept
    assert audit_chain.entry_hash(again) == again.hash


def test_an_intact_log_verifies():
    some_events(5)
    code, text = verify()
    assert code == 0
    assert "5件" in text and "改ざん" not in text


def test_an_empty_log_verifies():
    code, text = verify()
    assert code == 0 and "0件" in text


def test_an_edited_entry_is_found():
    events = some_events()
    tamper("UPDATE common_auditevent SET target_id = 'someone-else' WHERE id = %s", [events[2].pk])
    code, text = verify()
    assert code == 1
    assert f"ID {events[2].pk}" in text and "書き換え" in text


def test_a_deleted_entry_is_found_as_a_gap():
    events = some_events()
    tamper("DELETE FROM common_auditevent WHERE id = %s", [events[1].pk])
    code, text = verify()
    assert code == 1
    assert f"ID {events[2].pk}" in text and "消されて" in text


def test_a_relinked_entry_is_found():
    """An entry whose previous-hash was changed and its own hash recomputed to match."""
    events = some_events()
    target = AuditEvent.objects.get(pk=events[2].pk)
    target.prev_hash = "0" * 64
    forged = audit_chain.entry_hash(target)
    tamper(
        "UPDATE common_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
        ["0" * 64, forged, target.pk],
    )
    code, text = verify()
    assert code == 1
    assert f"ID {events[2].pk}" in text and "つながり" in text


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers itself")
def test_concurrent_writers_do_not_fork_the_chain():
    """Writers in their own transactions at once: the lock lets one read the last
    hash at a time, so every entry links to a different one."""
    barrier = threading.Barrier(6)

    def write(i):
        from django.db import connection as conn

        try:
            barrier.wait()
            for j in range(5):
                audit.record(None, "view", "x", f"{i}-{j}")
        finally:
            conn.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    prevs = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(prevs) == 30 and len(set(prevs)) == 30
    assert verify()[0] == 0


def test_the_migration_chains_the_entries_written_before_the_chain():
    """Entries from before migration 0004 had no hashes: it gives them a chain in id order."""
    import importlib

    from django.db.migrations.loader import MigrationLoader

    some_events(3)
    # Entries from before the chain are from before towns too.
    tamper("UPDATE common_auditevent SET prev_hash = '', hash = '', town_id = NULL")
    assert verify()[0] == 1
    migration = importlib.import_module("madoguchi.common.migrations.0004_audit_hash_chain")
    state = MigrationLoader(connection).project_state(("common", "0004_audit_hash_chain"))
    migration.chain_existing(state.apps, type("Editor", (), {"connection": connection}))
    assert verify()[0] == 0
    with pytest.raises(Exception, match="append-only"):  # the triggers are back
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM common_auditevent")
