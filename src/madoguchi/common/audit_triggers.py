"""The database triggers that make the audit log append-only (SQLite and PostgreSQL).

Installed by migrations ``common/0002`` and ``0003``. ``remove``/``install`` exist
for the one place that must empty the table: the tests' teardown of a
transactional test (``tests/conftest.py``), which flushes every table.

The triggers stop the application and a mistaken hand; they do not stop a role
that may drop them (the table's owner). On PostgreSQL the web process therefore
runs as a role that does not own the table and may only SELECT and INSERT it
(``db_grants``, docs/operations.md); on SQLite, where whoever can write the file
can do anything, the hash chain (``./dev audit verify``) shows what was changed.
"""

from __future__ import annotations

TABLE = "common_auditevent"
MESSAGE = "common_auditevent is append-only"

# REPLACE INTO (INSERT OR REPLACE) over an existing id deletes that row without
# firing the DELETE trigger (SQLite fires delete triggers of REPLACE only with
# recursive_triggers on), so an INSERT naming an existing id is refused too. An
# entry's time must be what Django writes (YYYY-MM-DD HH:MM:SS[.ffffff]).
_SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER IF NOT EXISTS audit_no_replace BEFORE INSERT ON {TABLE} "
    f"WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id) "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER IF NOT EXISTS audit_valid_time BEFORE INSERT ON {TABLE} "
    "WHEN NEW.at IS NULL OR NEW.at NOT GLOB "
    "'[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]*' "
    "BEGIN SELECT RAISE(ABORT, 'common_auditevent.at is not a date and time'); END;",
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_no_update;",
    "DROP TRIGGER IF EXISTS audit_no_delete;",
    "DROP TRIGGER IF EXISTS audit_no_replace;",
    "DROP TRIGGER IF EXISTS audit_valid_time;",
]
# Row triggers for UPDATE and DELETE (INSERT … ON CONFLICT DO UPDATE fires the
# UPDATE one), and a statement trigger for TRUNCATE, which refuses unless the log
# is already empty (so emptying nothing, as the tests' flush does, still works).
_POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;""",
    f"""CREATE OR REPLACE FUNCTION audit_no_truncate() RETURNS trigger AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM {TABLE}) THEN RAISE EXCEPTION '{MESSAGE}'; END IF;
      RETURN NULL;
    END; $$ LANGUAGE plpgsql;""",
    f"DROP TRIGGER IF EXISTS audit_no_update_delete ON {TABLE};",
    f"CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_append_only();",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};",
    f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();",
]
_POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_no_update_delete ON {TABLE};",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};",
    "DROP FUNCTION IF EXISTS audit_append_only();",
    "DROP FUNCTION IF EXISTS audit_no_truncate();",
]


def _statements(vendor: str, install: bool) -> list[str]:
    if vendor == "sqlite":
        return _SQLITE_INSTALL if install else _SQLITE_REMOVE
    if vendor == "postgresql":
        return _POSTGRES_INSTALL if install else _POSTGRES_REMOVE
    raise RuntimeError(
        f"the audit log's triggers are written for SQLite and PostgreSQL, not {vendor}"
    )


def install(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, True):
            cursor.execute(sql)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, False):
            cursor.execute(sql)
