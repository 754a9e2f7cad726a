"""The expected wait shown on the waiting display (「ただいまの待ち時間 約15分」).

From today's real timings only, for the visits of one kind (the 総合窓口 by
default: the おくやみコーナー has its own clerks and visits of an hour or more,
which would say nothing about the wait at the other windows):

    wait = median service time × visits waiting / windows serving now

- A visit's service time runs from its call to its confirmation, or, when it ended
  without one (a question answered, nothing filed), to the same clerk's next call.
  A visit still being served, or cancelled, gives none.
- The **median**, not the mean: one long visit (a family moving in with ten
  procedures) would raise a mean for everyone for the rest of the day, while most
  visits take the usual time; the median follows the usual visit and still moves
  when the usual visit gets longer.
- Windows serving now: those that called someone of that kind in the last hour
  (at least one: a queue at lunchtime still moves once a window reopens).
- Before anyone has been served today, ``settings.MADOGUCHI_COUNTER_SERVICE_MINUTES``
  stands in for the median, and ``from_today`` is False: the display says the
  figure is a rough estimate.

The figure is rounded up to 5 minutes: a wait shown shorter than it turns out is
worse than one shown longer, and 「約12分」 claims a precision it does not have.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from django.conf import settings
from django.utils import timezone

from madoguchi.counter.models import Visit, VisitKind

SERVING_WINDOW = timedelta(hours=1)
ROUND_TO_MINUTES = 5


@dataclass(frozen=True)
class ExpectedWait:
    minutes: int  # rounded up to 5; 0 when nobody waits
    waiting: int  # visits waiting now (not called, not cancelled)
    windows: int  # windows counted as serving (at least 1)
    service_minutes: float  # the median service time used (or the default)
    from_today: bool  # False: no visit served yet today, the default was used


def expected_wait(*, kind: str = VisitKind.GENERAL, now: datetime | None = None) -> ExpectedWait:
    now = now or timezone.now()
    visits = list(
        Visit.objects.filter(day=timezone.localdate(now), arrived_at__lte=now).values(
            "kind", "clerk_id", "window", "called_at", "confirmed_at", "cancelled_at"
        )
    )
    ours = [v for v in visits if v["kind"] == kind]
    waiting = sum(1 for v in ours if v["called_at"] is None and v["cancelled_at"] is None)
    windows = {
        v["window"]
        for v in ours
        if v["called_at"] is not None and v["called_at"] >= now - SERVING_WINDOW
    }
    samples = service_seconds(ours, visits, now)
    if samples:
        median = Fraction(statistics.median(samples))
    else:
        median = Fraction(settings.MADOGUCHI_COUNTER_SERVICE_MINUTES * 60)
    serving = max(1, len(windows))
    seconds = median * waiting / serving
    return ExpectedWait(
        minutes=math.ceil(seconds / (ROUND_TO_MINUTES * 60)) * ROUND_TO_MINUTES,
        waiting=waiting,
        windows=serving,
        service_minutes=float(median / 60),
        from_today=bool(samples),
    )


def service_seconds(served: list[dict], calls: list[dict], now: datetime) -> list[float]:
    """The service time (seconds) of each visit of ``served`` that is over: call →
    confirmation, else call → its clerk's next call among ``calls`` (any kind; a
    no-show that was called and cancelled still marks the end of the visit before)."""
    next_calls: dict[int, list[datetime]] = {}
    for v in calls:
        if v["called_at"] is not None and v["clerk_id"] is not None:
            next_calls.setdefault(v["clerk_id"], []).append(v["called_at"])
    out = []
    for v in served:
        start = v["called_at"]
        if start is None or v["cancelled_at"] is not None:
            continue
        end = v["confirmed_at"]
        if end is None:
            later = [t for t in next_calls.get(v["clerk_id"], ()) if t > start]
            end = min(later) if later else None
        if end is not None and start <= end <= now:
            out.append((end - start).total_seconds())
    return out
