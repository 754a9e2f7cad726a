"""The database triggers that make the audit log append-only (SQLite and PostgreSQL).

Installed by migration ``common/0002``. ``remove``/``install`` exist for the one
place that must empty the table: the tests' teardown of a transactional test
(``tests/conftest.py``), which flushes every table."""

from __future__ import annotations

TABLE = "common_auditevent"
MESSAGE = "common_auditevent is append-only"

_SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_no_update;",
    "DROP TRIGGER IF EXISTS audit_no_delete;",
]
# Row triggers; TRUNCATE (the table owner's statement, which Django's test flush
# uses) is left to the database's permissions: grant the app's role no TRUNCATE.
_POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;""",
    f"DROP TRIGGER IF EXISTS audit_no_update_delete ON {TABLE};",
    f"CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_append_only();",
]
_POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_no_update_delete ON {TABLE};",
    "DROP FUNCTION IF EXISTS audit_append_only();",
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
