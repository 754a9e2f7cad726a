"""The visit's ticket: the day's next number, safe when two clerks start visits at
once; a call, the next call and a cancel each set their timing once, audited."""

from __future__ import annotations

import contextvars
import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from madoguchi.common.audit import events_for
from madoguchi.counter import tickets
from madoguchi.counter.models import Visit, VisitKind, VisitStatus

pytestmark = pytest.mark.django_db


def test_numbers_count_up_from_1_each_day_across_both_kinds(madoguchi):
    yesterday = timezone.localdate() - timedelta(days=1)
    Visit.objects.create(day=yesterday, number=41, arrived_at=timezone.now() - timedelta(days=1))
    first = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    second = tickets.start_visit(kind=VisitKind.BEREAVEMENT, by=madoguchi, event="death")
    third = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    assert [first.number, second.number, third.number] == [1, 2, 3]
    assert first.day == timezone.localdate()  # the town's day (Asia/Tokyo)
    assert second.kind == VisitKind.BEREAVEMENT and second.event == "death"
    assert first.status == VisitStatus.WAITING
    assert first.created_by == madoguchi and first.arrived_at is not None


def test_the_day_is_the_local_date_in_tokyo(madoguchi, monkeypatch):
    """At 00:30 in Tokyo it is still the previous day in UTC: the ticket is the
    Tokyo day's."""
    local = timezone.make_aware(datetime.combine(timezone.localdate(), time(0, 30)))
    monkeypatch.setattr(timezone, "now", lambda: local)
    visit = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    assert visit.day == local.date()
    assert local.astimezone(UTC).date() == local.date() - timedelta(days=1)


def test_starting_a_visit_is_audited(madoguchi):
    visit = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    (event,) = events_for("counter.Visit", visit.public_id)
    assert event.action == "create" and event.actor == madoguchi
    assert event.detail == {"number": 1, "kind": "general"}


def test_a_number_taken_meanwhile_by_another_clerk_makes_the_next(madoguchi, monkeypatch):
    """What happens when two clerks count the same number at once: the second
    insert meets the first's row on the unique constraint and counts again."""
    tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    real = tickets._next_number
    stale = iter([1])  # the first count saw the day before visit 1 was made

    def counted(day):
        return next(stale, None) or real(day)

    monkeypatch.setattr(tickets, "_next_number", counted)
    visit = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    assert visit.number == 2
    assert sorted(Visit.objects.values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_two_clerks_starting_visits_at_once_get_different_numbers(madoguchi, madoguchi2):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the threads race on PostgreSQL")
    start = threading.Barrier(6)
    numbers, errors = [], []

    def clerk(user):
        try:
            start.wait()
            numbers.append(tickets.start_visit(kind=VisitKind.GENERAL, by=user).number)
        except Exception as exc:  # pragma: no cover - shown in the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(clerk, user))
        for user in [madoguchi, madoguchi2] * 3
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == [1, 2, 3, 4, 5, 6]


def test_a_call_sets_its_timing_window_and_clerk_once(madoguchi, madoguchi2):
    visit = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    assert tickets.call(visit, by=madoguchi, window="3") is True
    called_at = visit.called_at
    assert visit.status == VisitStatus.CALLED and visit.window == "3"
    assert visit.clerk == madoguchi and called_at is not None
    # Pressed again, or by the clerk at window 5: nothing changes.
    assert tickets.call(visit, by=madoguchi, window="3") is False
    assert tickets.call(Visit.objects.get(pk=visit.pk), by=madoguchi2, window="5") is False
    visit.refresh_from_db()
    assert (visit.called_at, visit.window, visit.clerk) == (called_at, "3", madoguchi)
    steps = [e.detail.get("step") for e in events_for("counter.Visit", visit.public_id)]
    assert steps.count("called") == 1


def test_call_next_calls_the_oldest_waiting_general_visit_of_today(madoguchi, madoguchi2):
    now = timezone.now()
    Visit.objects.create(day=timezone.localdate() - timedelta(days=1), number=9,
                         arrived_at=now - timedelta(days=1))  # fmt: skip
    one = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    two = tickets.start_visit(kind=VisitKind.BEREAVEMENT, by=madoguchi)
    three = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    four = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    tickets.cancel(three, by=madoguchi)
    assert tickets.call_next(by=madoguchi, window="1") == one
    # The second clerk gets the next one, not the one just called nor the cancelled.
    assert tickets.call_next(by=madoguchi2, window="2") == four
    assert tickets.call_next(by=madoguchi, window="1") is None
    two.refresh_from_db()
    assert two.status == VisitStatus.WAITING  # the おくやみコーナー calls its own
    assert tickets.call_next(by=madoguchi, window="お", kind=VisitKind.BEREAVEMENT) == two


def test_call_next_skips_a_visit_another_clerk_called_meanwhile(madoguchi, madoguchi2, monkeypatch):
    """Both clerks found visit 1 waiting; the one who calls second takes visit 2."""
    one = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    two = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    real_call = tickets.call

    def call_after_the_other_clerk(visit, *, by, window):
        if visit == one and one.called_at is None:
            real_call(Visit.objects.get(pk=one.pk), by=madoguchi2, window="2")
        return real_call(visit, by=by, window=window)

    monkeypatch.setattr(tickets, "call", call_after_the_other_clerk)
    assert tickets.call_next(by=madoguchi, window="1") == two
    one.refresh_from_db()
    assert (one.window, one.clerk) == ("2", madoguchi2)


def test_cancel_once_and_never_a_finished_visit(madoguchi):
    visit = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    assert tickets.cancel(visit, by=madoguchi) is True
    cancelled_at = visit.cancelled_at
    assert visit.status == VisitStatus.CANCELLED
    assert tickets.cancel(visit, by=madoguchi) is False
    assert tickets.call(visit, by=madoguchi, window="1") is False  # a cancelled number
    visit.refresh_from_db()
    assert visit.cancelled_at == cancelled_at and visit.called_at is None

    done = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    tickets.call(done, by=madoguchi, window="1")
    Visit.objects.filter(pk=done.pk).update(confirmed_at=timezone.now())
    assert tickets.cancel(done, by=madoguchi) is False
    assert done.status == VisitStatus.DONE
    steps = [e.detail.get("step") for e in events_for("counter.Visit", visit.public_id)]
    assert steps.count("cancelled") == 1
