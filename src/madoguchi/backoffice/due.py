"""標準処理期間 (行政手続法第6条): when an application is due, and which are overdue.

A procedure's ``processing_days`` are counted in the town's open days (the
catalogue's office calendar: weekends, holidays, the new-year closure) after the
day the application arrived, not counting that day (民法140条). An application
sent on a Friday with 2 days is due on the Tuesday.

An application is overdue once its due day has passed while it is still with the
department (受付・審査中). While a 補正 is asked for, the clock is the resident's:
it is not marked. A procedure without ``processing_days`` has no due day.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from madoguchi.applications.models import Status
from madoguchi.catalog.deadlines import OfficeCalendar
from madoguchi.catalog.registry import current_catalog

# The statuses in which the department owes the resident an answer.
RUNNING = (Status.SUBMITTED, Status.IN_REVIEW)


def calendar() -> OfficeCalendar:
    catalog = current_catalog()
    return catalog.derived.get("calendar") or catalog.derived.setdefault(
        "calendar", OfficeCalendar(catalog.municipality)
    )


def today() -> date:
    """The town's today (tests move it with ``timezone.now``)."""
    return timezone.localdate()


def processing_days(procedure_id: str) -> int | None:
    proc = current_catalog().procedures.get(procedure_id)
    return proc.processing_days if proc is not None else None


@functools.lru_cache(maxsize=4096)
def _due_date(received: date, days: int, cal: OfficeCalendar) -> date:
    day, counted = received, 0
    while counted < days:
        day += timedelta(days=1)
        if not cal.is_closed(day):
            counted += 1
    return day


def due_date(received: date, days: int, cal: OfficeCalendar | None = None) -> date:
    """The ``days``-th open day after ``received``."""
    return _due_date(received, days, cal or calendar())


def due_for(application) -> date | None:
    days = processing_days(application.procedure_id)
    if not days or application.submitted_at is None:
        return None
    return due_date(timezone.localtime(application.submitted_at).date(), days)


def _overdue_before(days: int, on: date, cal: OfficeCalendar) -> datetime:
    """The moment before which an application with ``days`` is overdue ``on`` that
    day: it arrived before the ``days``-th open day counted back from yesterday."""
    day, counted = on, 0
    while counted < days:
        day -= timedelta(days=1)
        if not cal.is_closed(day):
            counted += 1
    # Received on day-1 or earlier: ``days`` open days lie between it and ``on``.
    return timezone.make_aware(datetime.combine(day, time.min))


def overdue_q(procedure_ids, on: date | None = None) -> Q:
    """A filter for the overdue applications among ``procedure_ids`` (a DB query:
    one submitted_at bound per procedure, so it pages and counts in SQL)."""
    on = on or today()
    cal = calendar()
    procedures = current_catalog().procedures
    q = Q(pk__in=[])
    for pid in sorted(set(procedure_ids)):
        proc = procedures.get(pid)
        if proc is None or not proc.processing_days:
            continue
        q |= Q(procedure_id=pid, submitted_at__lt=_overdue_before(proc.processing_days, on, cal))
    return q & Q(status__in=RUNNING)


def is_overdue(application, due: date | None, on: date | None = None) -> bool:
    return due is not None and application.status in RUNNING and due < (on or today())
