"""受付番号: unique per municipality and year, given at submission.

The number is ``<year>-<six digits>`` (「2026-000123」), counted per municipality
and calendar year in ``ReceiptCounter``. The counter row is locked by the upsert
for the rest of the submitting transaction (SQLite: the IMMEDIATE transaction
holds the write lock), so two submissions never get the same number and a
submission that rolls back gives its number back.
"""

from __future__ import annotations

from django.db import connection, transaction

from madoguchi.applications.models import ReceiptCounter
from madoguchi.towns.context import require_town


def next_number(municipality_code: str, year: int) -> str:
    """Take the next 受付番号 (inside the caller's transaction)."""
    assert transaction.get_connection().in_atomic_block, "take a number inside the submission"
    return format_number(year, _increment(municipality_code, year))


def _increment(municipality_code: str, year: int) -> int:
    """One statement that makes the year's counter if it is the first number, else
    counts up, and reads the new value (an upsert with RETURNING: PostgreSQL,
    SQLite 3.35+). Two first submissions at once meet on the unique constraint
    and one waits for the other; the row stays locked until the transaction ends."""
    table = connection.ops.quote_name(ReceiptCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (municipality_code, year, last, town_id) VALUES (%s, %s, 1, %s) "  # noqa: S608 - names from the model
            "ON CONFLICT (municipality_code, year) DO UPDATE SET last = "
            f"{table}.last + 1 RETURNING last",
            # The submission runs in its application's town (found through it).
            [municipality_code, year, require_town().pk],
        )
        return cursor.fetchone()[0]


def format_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:06d}"
