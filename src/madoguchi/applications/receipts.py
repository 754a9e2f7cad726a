"""受付番号: unique per municipality and year, given at submission.

The number is ``<year>-<six digits>`` (「2026-000123」), counted per municipality
and calendar year in ``ReceiptCounter``. The counter row is locked by the UPDATE
for the rest of the submitting transaction (SQLite: the IMMEDIATE transaction
holds the write lock), so two submissions never get the same number and a
submission that rolls back gives its number back.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from madoguchi.applications.models import ReceiptCounter


def next_number(municipality_code: str, year: int) -> str:
    """Take the next 受付番号 (inside the caller's transaction)."""
    assert transaction.get_connection().in_atomic_block, "take a number inside the submission"
    counter = ReceiptCounter.objects.filter(municipality_code=municipality_code, year=year)
    if not counter.update(last=F("last") + 1):
        try:
            with transaction.atomic():  # savepoint: another submission may create it first
                ReceiptCounter.objects.create(municipality_code=municipality_code, year=year)
        except IntegrityError:
            pass
        counter.update(last=F("last") + 1)
    last = counter.values_list("last", flat=True).get()
    return format_number(year, last)


def format_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:06d}"
