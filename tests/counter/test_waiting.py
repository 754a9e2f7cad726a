"""The expected wait on the display, from today's real timings: checked against a
hand computation, and at its edges."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from madoguchi.counter.models import Visit, VisitKind
from madoguchi.counter.waiting import expected_wait
from tests.counter.conftest import counter_clerk

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NOW = timezone.make_aware(datetime.combine(TODAY, time(11, 0)))


def at(hh_mm: str | None, day=TODAY):
    if hh_mm is None:
        return None
    h, m = map(int, hh_mm.split(":"))
    return timezone.make_aware(datetime.combine(day, time(h, m)))


_numbers: dict = {}


def visit(arrived, called=None, confirmed=None, *, clerk=None, window="", cancelled=None,
          kind=VisitKind.GENERAL, day=TODAY) -> Visit:  # fmt: skip
    number = _numbers[day] = _numbers.get(day, 0) + 1
    return Visit.objects.create(
        day=day, number=number, kind=kind, clerk=clerk, window=window,
        arrived_at=at(arrived, day), called_at=at(called, day),
        confirmed_at=at(confirmed, day), cancelled_at=at(cancelled, day),
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_numbers():
    _numbers.clear()


def test_a_day_of_visits_against_a_hand_computation(madoguchi, madoguchi2):
    """Today at 11:00. Window 1 (森さん) and window 2 (中村さん) serve the 総合窓口;
    the おくやみコーナー (林さん) has its own window.

    ==  =======  ======  ===========  ======  ======================================
    #   arrived  called  confirmed    window  service time
    ==  =======  ======  ===========  ======  ======================================
    1   9:00     9:05    9:17         1       12 min
    2   9:02     9:06    9:26         2       20 min
    3   9:10     9:17    —            1        8 min (to 森さん's next call, 9:25)
    4   9:20     9:25    9:55         1       30 min
    5   9:21     9:26    9:40         2       14 min
    6   9:35     —       (cancelled 9:50)     — (cancelled: ignored)
    7   9:15     9:20    10:50        お      — (おくやみ: another kind, 90 min)
    8   10:00    10:20   —            1       — (still being served)
    9   10:01    10:10   10:19        2        9 min
    10  10:30    —                            waiting
    11  10:40    —                            waiting
    12  10:45    — (おくやみ)                  — (waits for the おくやみコーナー)
    13  10:50    —                            waiting
    ==  =======  ======  ===========  ======  ======================================

    Yesterday's visits (served in 5 minutes, one never called) count for nothing.

    Service times: 8, 9, 12, 14, 20, 30 → median (12 + 14) / 2 = 13 min
    (the mean would be 93 / 6 = 15.5: pulled up by the one 30-minute visit).
    Waiting: visits 10, 11 and 13 = 3.
    Windows serving now (a call since 10:00): window 1 (10:20), window 2 (10:10) = 2.
    Wait: 13 × 3 / 2 = 19.5 min → rounded up to 5: 20 min.
    """
    mori, nakamura = madoguchi, madoguchi2
    hayashi = counter_clerk(("hayashi@example.jp", "林", "真理"))
    yesterday = TODAY - timedelta(days=1)
    visit("9:00", "9:05", "9:10", clerk=mori, window="1", day=yesterday)
    visit("9:30", day=yesterday)

    visit("9:00", "9:05", "9:17", clerk=mori, window="1")
    visit("9:02", "9:06", "9:26", clerk=nakamura, window="2")
    visit("9:10", "9:17", None, clerk=mori, window="1")
    visit("9:20", "9:25", "9:55", clerk=mori, window="1")
    visit("9:21", "9:26", "9:40", clerk=nakamura, window="2")
    visit("9:35", cancelled="9:50")
    visit("9:15", "9:20", "10:50", clerk=hayashi, window="お", kind=VisitKind.BEREAVEMENT)
    visit("10:00", "10:20", None, clerk=mori, window="1")
    visit("10:01", "10:10", "10:19", clerk=nakamura, window="2")
    visit("10:30")
    visit("10:40")
    visit("10:45", kind=VisitKind.BEREAVEMENT)
    visit("10:50")

    wait = expected_wait(now=NOW)
    assert wait.service_minutes == 13
    assert (wait.waiting, wait.windows) == (3, 2)
    assert wait.minutes == 20
    assert wait.from_today is True


def test_nobody_waiting_is_no_wait(madoguchi):
    visit("9:00", "9:05", "9:20", clerk=madoguchi, window="1")
    wait = expected_wait(now=NOW)
    assert (wait.minutes, wait.waiting) == (0, 0)


def test_before_anyone_is_served_the_setting_stands_in_and_says_so(madoguchi, settings):
    """No service time today yet (one visit called, not finished): 10 min (the
    setting) × 2 waiting / 1 window (window 1 called at 10:30) = 20 min."""
    settings.MADOGUCHI_COUNTER_SERVICE_MINUTES = 10
    visit("10:20", "10:30", clerk=madoguchi, window="1")
    visit("10:25")
    visit("10:40")
    wait = expected_wait(now=NOW)
    assert wait.from_today is False
    assert (wait.service_minutes, wait.waiting, wait.windows) == (10, 2, 1)
    assert wait.minutes == 20


def test_cancelled_visits_are_ignored(madoguchi):
    """A visit called and then cancelled (the resident had gone) gives no service
    time; a waiting number cancelled does not wait. Left: visit 1's 10 min, 1
    waiting → 10 min."""
    visit("9:00", "9:10", "9:20", clerk=madoguchi, window="1")
    visit("9:05", "10:20", None, clerk=madoguchi, window="1", cancelled="10:50")
    visit("10:30", cancelled="10:35")
    visit("10:40")
    wait = expected_wait(now=NOW)
    assert (wait.service_minutes, wait.waiting, wait.minutes) == (10, 1, 10)


def test_yesterday_s_visits_are_ignored(madoguchi, settings):
    """Yesterday's 40-minute visits and yesterday's waiting numbers count for
    nothing: today has no service time yet (the default, 15 min) and one waiting."""
    settings.MADOGUCHI_COUNTER_SERVICE_MINUTES = 15
    yesterday = TODAY - timedelta(days=1)
    for _ in range(3):
        visit("9:00", "9:10", "9:50", clerk=madoguchi, window="1", day=yesterday)
    visit("16:00", day=yesterday)
    visit("10:55")
    wait = expected_wait(now=NOW)
    assert wait.from_today is False
    assert (wait.waiting, wait.minutes) == (1, 15)


def test_several_windows_share_the_queue(madoguchi, madoguchi2):
    """Service 10 min (median of 10, 10); 4 waiting. Windows 1, 2 and 3 called
    someone since 10:00; window 4 last called at 9:30 (closed since): 3 windows.
    10 × 4 / 3 = 13.3 min → 15 min."""
    third = counter_clerk(("kimura@example.jp", "木村", "陽"))
    fourth = counter_clerk(("ueda@example.jp", "上田", "守"))
    visit("9:00", "9:10", "9:20", clerk=madoguchi, window="1")
    visit("9:00", "9:20", "9:30", clerk=fourth, window="4")
    visit("10:00", "10:30", clerk=madoguchi, window="1")
    visit("10:00", "10:35", clerk=madoguchi2, window="2")
    visit("10:00", "10:40", clerk=third, window="3")
    for arrived in ("10:41", "10:42", "10:43", "10:44"):
        visit(arrived)
    wait = expected_wait(now=NOW)
    assert (wait.service_minutes, wait.waiting, wait.windows) == (10, 4, 3)
    assert wait.minutes == 15


def test_a_malformed_default_stops_the_server_with_one_line():
    env = {**os.environ, "MADOGUCHI_COUNTER_SERVICE_MINUTES": "15分"}
    result = subprocess.run(
        [sys.executable, "-c", "import madoguchi.settings"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "MADOGUCHI_COUNTER_SERVICE_MINUTES='15分': 1 以上の整数を指定してください" in (
        result.stderr
    )
