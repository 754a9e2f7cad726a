"""受付番号: unique per municipality and year, given at submission.

The number is ``<year>-<six digits>`` (「2026-000123」), counted per municipality
and calendar year in ``ReceiptCounter``. The counter row is locked by the UPDATE
for the rest of the submitting transaction (SQLite: the IMMEDIATE transaction
holds the write lock), so two submissions never get the same number and a
submission that rolls back gives its number back.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from madoguchi.applications.models import ReceiptCounter


def next_number(municipality_code: str, year: int) -> str:
    """Take the next 受付番号 (inside the caller's transaction)."""
    assert transaction.get_connection().in_atomic_block, "take a number inside the submission"
    last = _increment(municipality_code, year)
    if last is None:
        try:
            with transaction.atomic():  # savepoint: another submission may create it first
                ReceiptCounter.objects.create(municipality_code=municipality_code, year=year)
        except IntegrityError:
            pass
        last = _increment(municipality_code, year)
    return format_number(year, last)


def _increment(municipality_code: str, year: int) -> int | None:
    """One statement that counts up and reads the new value (RETURNING: PostgreSQL,
    SQLite 3.35+); the row stays locked until the transaction ends."""
    table = connection.ops.quote_name(ReceiptCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 "  # noqa: S608 - names from the model
            "WHERE municipality_code = %s AND year = %s RETURNING last",
            [municipality_code, year],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def format_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:06d}"
