"""Who works on what: a clerk takes an application; only the department's
supervisor gives it to someone else, and sees each clerk's load."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from madoguchi.applications.models import Application, Status
from madoguchi.backoffice import due
from madoguchi.backoffice.models import Assignment
from madoguchi.common.models import AuditEvent

from .conftest import KOKUHO, client_for, local, sent

pytestmark = pytest.mark.django_db


def assign(client, app, clerk):
    return client.post(reverse("backoffice:assign", args=[app.public_id]), {"clerk": clerk})


def test_a_clerk_takes_an_application_and_it_is_in_the_log(takahashi, kosodate):
    app = sent(takahashi)
    assert assign(client_for(kosodate), app, "me").status_code == 302
    assert Assignment.objects.get(application=app).clerk == kosodate
    event = AuditEvent.objects.get(action="change", target_id=str(app.public_id))
    assert event.actor == kosodate and event.detail["assigned_to"] == kosodate.pk


def test_a_clerk_cannot_take_what_another_has_nor_give_work_away(takahashi, kosodate, kacho):
    app = sent(takahashi)
    assign(client_for(kacho), app, "me")
    response = assign(client_for(kosodate), app, "me")
    assert response.status_code == 302
    assert Assignment.objects.get(application=app).clerk == kacho
    assert assign(client_for(kosodate), app, str(kosodate.pk)).status_code == 404
    assert Assignment.objects.get(application=app).clerk == kacho


def test_the_supervisor_reassigns_to_a_member_only(takahashi, kosodate, kacho, hoken):
    app = sent(takahashi)
    client = client_for(kacho)
    page = client.get(reverse("backoffice:detail", args=[app.public_id])).content.decode()
    assert "担当者を割り振る" in page and "小林 さくら" in page
    assign(client, app, str(kosodate.pk))
    assert Assignment.objects.get(application=app).clerk == kosodate
    assign(client, app, str(hoken.pk))  # not in 子育て支援課
    assert Assignment.objects.get(application=app).clerk == kosodate
    assign(client, app, "")
    assert not Assignment.objects.filter(application=app).exists()
    clerk_page = client_for(kosodate).get(reverse("backoffice:detail", args=[app.public_id]))
    assert "担当者を割り振る" not in clerk_page.content.decode()


def test_the_load_page_counts_open_and_overdue_per_clerk(
    takahashi, saito, kosodate, kacho, hoken, processing_days, monkeypatch
):
    processing_days("child-allowance-claim", 2)
    monkeypatch.setattr(due, "today", lambda: date(2026, 12, 9))
    late = sent(takahashi, at=local(2026, 12, 4, 10, 0))
    fresh = sent(saito, at=local(2026, 12, 8, 10, 0))
    done = sent(takahashi, "child-medical-subsidy")
    unassigned = sent(saito, "child-medical-subsidy")
    sent(saito, KOKUHO)  # another department's
    for app in (late, fresh, done):
        Assignment.objects.create(application=app, clerk=kosodate)
    Application.objects.filter(pk=done.pk).update(status=Status.COMPLETED)
    response = client_for(kacho).get(reverse("backoffice:load"))
    assert response.status_code == 200
    tables = response.context["tables"]
    assert len(tables) == 1
    (table,) = tables
    by_name = {line["name"]: line for line in table["lines"]}
    assert by_name["小林 さくら"]["open"] == 2 and by_name["小林 さくら"]["overdue"] == 1
    assert by_name["加藤 誠"]["open"] == 0
    assert table["unassigned_open"] == 1 and unassigned.status == Status.SUBMITTED
    # Clerks have no load page.
    assert client_for(kosodate).get(reverse("backoffice:load")).status_code == 404
    assert client_for(hoken).get(reverse("backoffice:load")).status_code == 404
