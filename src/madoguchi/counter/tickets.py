"""The visit's ticket (受付番号) and its calls: start, call, call the next, cancel.

A ticket is the next number of the town's day (1, 2, 3… from the first visit of
the day, local date). The number is the row's own: ``(town, day, number)`` is
unique, so two clerks who start a visit at the same moment cannot get the same
number; the one whose insert meets the other's row takes the next one (PostgreSQL
lets the second insert wait for the first to commit, then fail on the constraint;
SQLite serialises writers). No counter table: the largest number of the day is the
counter, and a rolled-back visit gives its number back.

Each timing is set once: a conditional ``UPDATE … WHERE called_at IS NULL`` does
it, so a second press of 「呼ぶ」, or two clerks calling the same visit, change
nothing the first did not (the first clerk keeps the visit). What changed is
audited; a call that changed nothing is not.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from madoguchi.common import audit
from madoguchi.counter.models import Visit, VisitKind

# Two clerks at once need one retry; a handful covers a crowded morning.
_ATTEMPTS = 8


def today():
    """The town's day (settings.TIME_ZONE: Asia/Tokyo): numbers start again at 1."""
    return timezone.localdate()


def _next_number(day) -> int:
    """One more than the day's largest number (the day's counter)."""
    last = Visit.objects.filter(day=day).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def start_visit(*, kind: str = VisitKind.GENERAL, by, event: str = "") -> Visit:
    """A new visit with the day's next number, arrived now (the resident takes the
    number at the counter's reception)."""
    kind = VisitKind(kind)
    now = timezone.now()
    day = timezone.localdate(now)
    with transaction.atomic():
        for _attempt in range(_ATTEMPTS):
            visit = Visit(
                day=day, number=_next_number(day), kind=kind, event=event,
                created_by=by, arrived_at=now,
            )  # fmt: skip
            try:
                # A savepoint: a clash leaves the caller's transaction usable.
                with transaction.atomic():
                    visit.save()
                break
            except IntegrityError:
                continue  # another clerk took that number: count again
        else:  # pragma: no cover - eight clashes in a row
            raise IntegrityError("受付番号を取れませんでした。もう一度お試しください")
        audit.record(by, "create", "counter.Visit", visit.public_id,
                     number=visit.number, kind=kind.value)  # fmt: skip
    return visit


def call(visit: Visit, *, by, window: str) -> bool:
    """Call ``visit`` to ``window`` (its number appears as 「呼び出し中」 on the
    display). True if this call did it; False if it was called already (by anyone)
    or cancelled: then nothing changes."""
    with transaction.atomic():
        done = _set_once(visit, "called_at", window=window, clerk=by)
        if done:
            audit.record(by, "change", "counter.Visit", visit.public_id,
                         step="called", window=window)  # fmt: skip
    return done


def call_next(*, by, window: str, kind: str = VisitKind.GENERAL) -> Visit | None:
    """Call the oldest waiting visit of ``kind`` today to ``window``; ``None`` when
    nobody waits. Two clerks pressing 「次の方を呼ぶ」 at once call two people: the
    one who loses the first takes the next."""
    while True:
        waiting = (
            Visit.objects.filter(day=today(), kind=kind, called_at=None, cancelled_at=None)
            .order_by("arrived_at", "number")
            .first()
        )
        if waiting is None:
            return None
        if call(waiting, by=by, window=window):
            return waiting


def cancel(visit: Visit, *, by) -> bool:
    """Cancel ``visit`` (the resident left, or the number was taken by mistake).
    A visit already confirmed is done and stays so; a second cancel changes
    nothing. True if this call cancelled it."""
    with transaction.atomic():
        done = _set_once(visit, "cancelled_at", confirmed_at=None)
        if done:
            audit.record(by, "change", "counter.Visit", visit.public_id, step="cancelled")
    return done


def _set_once(visit: Visit, timing: str, **also) -> bool:
    """Set ``timing`` to now (and the fields ``also`` names) if it is still empty
    and the visit is not cancelled; ``visit`` is refreshed either way. Keys of
    ``also`` whose value is ``None`` are conditions (still empty), not changes."""
    conditions = {timing: None, "cancelled_at": None}
    changes = {timing: timezone.now()}
    for name, value in also.items():
        if value is None:
            conditions[name] = None
        else:
            changes[name] = value
    done = bool(Visit.objects.filter(pk=visit.pk, **conditions).update(**changes))
    visit.refresh_from_db()
    return done
