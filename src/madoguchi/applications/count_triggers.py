"""The triggers that keep ``StatusCount`` exact (see models.StatusCount), per town
since migration 0010 (0008 made them without the town: department ids are a
town's own). SQLite: row triggers; PostgreSQL: statement triggers over the
changed rows (one upsert per changed key, however many rows)."""

from __future__ import annotations

APP = "applications_application"
COUNT = "applications_statuscount"
KEY = "town_id, department_id, procedure_id, channel, status"
NAMES = ("app_count_insert", "app_count_delete", "app_count_update")


def _sqlite(key: str) -> list[str]:
    columns = key.split(", ")
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)

    def add(row: str, step: str) -> list[str]:
        where = " AND ".join(f"{c} = {row}.{c}" for c in columns)
        values = ", ".join(f"{row}.{c}" for c in columns)
        first = (
            f"INSERT INTO {COUNT} ({key}, n) SELECT {values}, 0 WHERE {row}.status <> 'draft' "
            f"AND NOT EXISTS (SELECT 1 FROM {COUNT} WHERE {where})"
        )
        update = f"UPDATE {COUNT} SET n = n {step} WHERE {where} AND {row}.status <> 'draft'"
        return [first, update] if step == "+ 1" else [update]

    def body(*parts):
        return "; ".join(parts) + ";"

    return [
        f"CREATE TRIGGER app_count_insert AFTER INSERT ON {APP} BEGIN {body(*add('NEW', '+ 1'))} END",
        f"CREATE TRIGGER app_count_delete AFTER DELETE ON {APP} BEGIN {body(*add('OLD', '- 1'))} END",
        f"CREATE TRIGGER app_count_update AFTER UPDATE OF {key} ON {APP} "
        f"WHEN {changed} BEGIN {body(*add('OLD', '- 1'), *add('NEW', '+ 1'))} END",
    ]


def _postgresql(key: str) -> list[str]:
    def delta(table: str, sign: str) -> str:
        return (
            f"SELECT {key}, {sign}COUNT(*) AS n FROM {table} WHERE status <> 'draft' GROUP BY {key}"
        )

    def function(name: str, parts: list[str]) -> str:
        union = " UNION ALL ".join(parts)
        return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO {COUNT} ({key}, n)
            SELECT {key}, SUM(n) FROM ({union}) AS d GROUP BY {key} HAVING SUM(n) <> 0
          ON CONFLICT ({key}) DO UPDATE SET n = {COUNT}.n + EXCLUDED.n;
          RETURN NULL;
        END $$"""

    return [
        function("app_count_insert", [delta("new_rows", "")]),
        function("app_count_delete", [delta("old_rows", "-")]),
        function("app_count_update", [delta("old_rows", "-"), delta("new_rows", "")]),
        f"CREATE TRIGGER app_count_insert AFTER INSERT ON {APP} REFERENCING NEW TABLE AS "
        f"new_rows FOR EACH STATEMENT EXECUTE FUNCTION app_count_insert()",
        f"CREATE TRIGGER app_count_delete AFTER DELETE ON {APP} REFERENCING OLD TABLE AS "
        f"old_rows FOR EACH STATEMENT EXECUTE FUNCTION app_count_delete()",
        f"CREATE TRIGGER app_count_update AFTER UPDATE ON {APP} REFERENCING OLD TABLE AS "
        f"old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app_count_update()",
    ]


def create(schema_editor, key: str = KEY) -> None:
    """Make the triggers and count what is there now."""
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _sqlite, "postgresql": _postgresql}[vendor](key)
    statements.append(f"DELETE FROM {COUNT}")
    statements.append(
        f"INSERT INTO {COUNT} ({key}, n) SELECT {key}, COUNT(*) FROM {APP} "
        f"WHERE status <> 'draft' GROUP BY {key}"
    )
    for sql in statements:
        schema_editor.execute(sql)


def drop(schema_editor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    for name in NAMES:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {name}" + (f" ON {APP}" if postgresql else "")
        )
        if postgresql:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
