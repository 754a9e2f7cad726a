"""The department's queue: open work by default, tabs with counts, filters, the
due day from 標準処理期間 counted in open days, and 期限超過."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from madoguchi.applications.models import Application, Channel, Status
from madoguchi.backoffice import due
from madoguchi.backoffice.models import Assignment
from madoguchi.backoffice.queue import build

from .conftest import client_for, local, sent

pytestmark = pytest.mark.django_db

CLAIM = "child-allowance-claim"
MEDICAL = "child-medical-subsidy"


def numbers(user, **params) -> list[str]:
    return [a.receipt_number for a in build(user, params).rows]


def test_due_day_counts_open_days_after_the_day_it_arrived():
    # Fri 2026-12-04 + 2 open days: Mon 7, Tue 8.
    assert due.due_date(date(2026, 12, 4), 2) == date(2026, 12, 8)
    # The new-year closure and 元日 are skipped: Mon 2026-12-28 + 1 → Mon 2027-01-04.
    assert due.due_date(date(2026, 12, 28), 1) == date(2027, 1, 4)


def test_overdue_is_marked_and_filtered(takahashi, saito, kosodate, processing_days, monkeypatch):
    processing_days(CLAIM, 2)
    late = sent(takahashi, at=local(2026, 12, 4, 16, 0))  # due Tue 8th
    on_time = sent(saito, at=local(2026, 12, 7, 9, 0))  # due Wed 9th
    monkeypatch.setattr(due, "today", lambda: date(2026, 12, 9))
    assert numbers(kosodate, overdue="on") == [late.receipt_number]
    html = client_for(kosodate).get(reverse("backoffice:queue")).content.decode()
    assert html.count("期限超過</strong>") == 1
    assert "2026年12月8日" in html and "2026年12月9日" in html
    # While a 補正 is asked for, the clock is the resident's.
    Application.objects.filter(pk=late.pk).update(status=Status.CORRECTION)
    assert numbers(kosodate, overdue="on") == []
    # A day later, the other is overdue too.
    monkeypatch.setattr(due, "today", lambda: date(2026, 12, 10))
    assert numbers(kosodate, overdue="on") == [on_time.receipt_number]


def test_open_work_by_default_oldest_first_with_counts_per_status(takahashi, saito, kosodate):
    first = sent(takahashi, at=local(2026, 12, 1, 10, 0))
    second = sent(saito, at=local(2026, 12, 2, 10, 0))
    third = sent(takahashi, MEDICAL, at=local(2026, 12, 3, 10, 0))
    Application.objects.filter(pk=third.pk).update(status=Status.COMPLETED)
    found = build(kosodate, {})
    assert [a.pk for a in found.rows] == [first.pk, second.pk]
    assert found.counts["open"] == 2 and found.counts["completed"] == 1
    assert found.counts["all"] == 3 and found.counts["submitted"] == 2
    assert numbers(kosodate, status="completed") == [third.receipt_number]
    assert numbers(kosodate, status="all") == [
        third.receipt_number,
        second.receipt_number,
        first.receipt_number,
    ]


def test_filters_by_procedure_channel_dates_and_mine(takahashi, saito, kosodate):
    claim = sent(takahashi, at=local(2026, 12, 1, 23, 30))  # the 1st in Japan
    medical = sent(saito, MEDICAL, at=local(2026, 12, 2, 0, 30))  # the 2nd
    Application.objects.filter(pk=medical.pk).update(channel=Channel.COUNTER)
    assert numbers(kosodate, procedure=MEDICAL) == [medical.receipt_number]
    assert numbers(kosodate, channel="counter") == [medical.receipt_number]
    assert numbers(kosodate, received_to="2026-12-01") == [claim.receipt_number]
    assert numbers(kosodate, received_from="2026-12-02") == [medical.receipt_number]
    assert numbers(kosodate, mine="on") == []
    Assignment.objects.create(application=claim, clerk=kosodate)
    assert numbers(kosodate, mine="on") == [claim.receipt_number]
    html = client_for(kosodate).get(reverse("backoffice:queue")).content.decode()
    assert "小林 さくら" in html and "未割り当て" in html


def test_a_bad_filter_is_said_and_the_default_shown(takahashi, kosodate):
    app = sent(takahashi)
    response = client_for(kosodate).get(reverse("backoffice:queue"), {"received_from": "昨日"})
    html = response.content.decode()
    assert response.status_code == 200 and app.receipt_number in html
    assert "絞り込みの条件を確かめてください" in html


def test_the_page_costs_the_same_few_queries_for_one_row_or_many(takahashi, saito, kosodate):
    sent(takahashi)
    client = client_for(kosodate)
    client.get(reverse("backoffice:queue"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("backoffice:queue"))
    for i, who in enumerate([saito, takahashi, saito]):
        app = sent(who, MEDICAL if i % 2 else CLAIM)
        Assignment.objects.create(application=app, clerk=kosodate)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("backoffice:queue"))
    # One row each (高橋さん's two claims for the same children also link each other).
    assert response.content.decode().count('<th scope="row"><a href="/office/applications/') == 4
    # The session, the user, the memberships with the menu's audit permission, MFA,
    # the counts, one page of rows (with their duplicates), the session's save.
    assert len(many) == len(one) <= 6


def test_the_office_menu_reads_memberships_and_the_audit_permission_once(kosodate):
    client = client_for(kosodate)
    client.get(reverse("backoffice:queue"))
    with CaptureQueriesContext(connection) as page:
        html = client.get(reverse("backoffice:queue")).content.decode()
    sqls = [q["sql"] for q in page.captured_queries]
    assert sum('FROM "backoffice_membership"' in sql for sql in sqls) == 1
    # A member's audit permission comes with the memberships: no statement of its own.
    assert [sql for sql in sqls if '"auth_permission"' in sql] == [
        sql for sql in sqls if 'FROM "backoffice_membership"' in sql
    ]
    assert "子育て支援課" in html and "操作記録" not in html


def test_an_administrator_in_no_department_may_still_read_the_audit_log(db):
    """The permission is asked on its own when there are no memberships to ask it with."""
    from django.contrib.auth.models import Permission

    from madoguchi.backoffice.access import can_read_audit, departments_of
    from madoguchi.residents.cast import TAKAHASHI, ensure_resident

    data = dict(TAKAHASHI)
    admin = ensure_resident(data.pop("email"), "pw", **data)
    assert not can_read_audit(admin)
    admin = type(admin).objects.get(pk=admin.pk)  # a new request's user
    admin.user_permissions.add(Permission.objects.get(codename="view_auditlog"))
    assert departments_of(admin) == set() and can_read_audit(admin)
    admin = type(admin).objects.get(pk=admin.pk)
    admin.is_active = False
    assert not can_read_audit(admin)


def test_the_audit_permission_given_through_a_group_shows_the_menu(kosodate):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="情報政策課")
    group.permissions.add(Permission.objects.get(codename="view_auditlog"))
    kosodate.groups.add(group)
    html = client_for(kosodate).get(reverse("backoffice:queue")).content.decode()
    assert reverse("backoffice:audit") in html


def test_pages_of_fifty(takahashi, kosodate, monkeypatch):
    from madoguchi.backoffice import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    a, b = sent(takahashi), sent(takahashi, MEDICAL)
    client = client_for(kosodate)
    first = client.get(reverse("backoffice:queue")).content.decode()
    assert a.receipt_number in first and b.receipt_number not in first
    assert "page=2" in first
    second = client.get(reverse("backoffice:queue"), {"page": 2}).content.decode()
    assert b.receipt_number in second
