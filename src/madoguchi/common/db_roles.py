"""PostgreSQL with two roles: an owner that runs the migrations and owns every
table, and the web role the application runs as, which may read and write the
tables but only SELECT and INSERT the audit log (so it can neither change nor
empty the log, nor drop its triggers: only a table's owner may ALTER or DROP).

``grants(role)`` is the SQL the owner runs after each migration (``./dev run``
does it when ``MADOGUCHI_OWNER_DATABASE_URL`` is set; docs/operations.md). SQLite
has one user and needs none of it.
"""

from __future__ import annotations

from django.db import connection

from madoguchi.common.audit_triggers import TABLE


def grants(role: str) -> list[str]:
    quoted = connection.ops.quote_name(role)
    return [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        # Tables a later migration adds get the same (the owner runs the migrations).
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted}",
        # The audit log: read and add, nothing else.
        f"REVOKE ALL ON {TABLE} FROM {quoted}",
        f"GRANT SELECT, INSERT ON {TABLE} TO {quoted}",
    ]


def apply(role: str) -> None:
    if connection.vendor != "postgresql":
        raise RuntimeError("the owner/web role layout is for PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        if cursor.fetchone()[0] == role:
            raise ValueError(role)
        for sql in grants(role):
            cursor.execute(sql)
