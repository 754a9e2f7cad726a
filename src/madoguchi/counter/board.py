"""What the waiting display shows: numbers, windows and one figure; nothing else.

- 「呼び出し中」: each window's latest call, while that visit is still only called
  (once the clerk starts serving it, or calls the next, it leaves the board).
- 「お待ちの番号」: every waiting number of the day, in order.
- The expected wait of the 総合窓口 (``waiting.py``).

The kind of a visit is never shown, not even as a separate list: in a small town a
number in an 「おくやみ」 list tells the hall that the family sitting there has just
lost someone. おくやみ numbers come from the same series and wait among the others;
their clerk calls them to the おくやみコーナー's window like any other number.
"""

from __future__ import annotations

from django.utils import timezone

from madoguchi.counter.models import Visit, VisitStatus
from madoguchi.counter.waiting import expected_wait

# A screen shows this many waiting numbers; the rest are counted (「ほか 12人」).
WAITING_SHOWN = 30


def board(now=None) -> dict:
    now = now or timezone.now()
    visits = list(
        Visit.objects.filter(day=timezone.localdate(now), arrived_at__lte=now)
        .only("number", "window", "arrived_at", "called_at", "cancelled_at", "applicant_id",
              "guide_done_at", "printed_at", "confirmed_at")
        .order_by("number")
    )  # fmt: skip
    latest: dict[str, Visit] = {}
    for v in visits:
        if v.called_at is not None and v.window:
            if v.window not in latest or v.called_at > latest[v.window].called_at:
                latest[v.window] = v
    calling = sorted(
        (v for v in latest.values() if v.status == VisitStatus.CALLED),
        key=lambda v: v.called_at,
        reverse=True,  # the newest call first: the number just called is on top
    )
    waiting = [v.number for v in visits if v.status == VisitStatus.WAITING]
    return {
        "calling": [{"number": v.number, "window": v.window} for v in calling],
        "waiting": waiting[:WAITING_SHOWN],
        "waiting_more": max(0, len(waiting) - WAITING_SHOWN),
        "wait": expected_wait(now=now),
        "updated_at": now,
    }
