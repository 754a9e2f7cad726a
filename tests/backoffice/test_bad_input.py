"""The back office's filters and buttons take no impossible value with a 500: days
at the ends of the calendar, a clerk id of 20 digits or a superscript digit."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from madoguchi.backoffice.models import Assignment

from .conftest import client_for, sent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("clerk", ["9" * 20, "²", "١", "-1", "1e3"])
def test_a_supervisor_giving_work_to_no_such_clerk_is_told_so(takahashi, kosodate, kacho, clerk):
    app = sent(takahashi)
    client = client_for(kacho)
    response = client.post(
        reverse("backoffice:assign", args=[app.public_id]), {"clerk": clerk}, follow=True
    )
    assert response.status_code == 200
    assert "この課の職員を選んでください" in response.content.decode()
    assert not Assignment.objects.filter(application=app).exists()


@pytest.mark.parametrize(
    "params",
    [
        {"received_from": "0001-01-01"},
        {"received_to": "9999-12-31"},
        {"received_from": "0001-01-01", "received_to": "9999-12-31", "status": "all"},
    ],
)
def test_the_queue_explains_days_at_the_ends_of_the_calendar(takahashi, kosodate, params):
    sent(takahashi)
    response = client_for(kosodate).get(reverse("backoffice:queue"), params)
    assert response.status_code == 200
    assert "1900年1月1日(月)から2199年12月31日(火)までの日付を入れてください" in (
        response.content.decode()
    )


@pytest.mark.parametrize("params", [{"day_from": "0001-01-01"}, {"day_to": "9999-12-31"}])
def test_the_audit_log_explains_days_at_the_ends_of_the_calendar(kacho, params):
    kacho.user_permissions.add(Permission.objects.get(codename="view_auditlog"))
    response = client_for(kacho).get(reverse("backoffice:audit"), params)
    assert response.status_code == 200
    assert "2199年12月31日" in response.content.decode()


def test_a_move_with_a_revision_of_many_digits_is_refused_not_a_500(takahashi, kosodate):
    app = sent(takahashi)
    response = client_for(kosodate).post(
        reverse("backoffice:move", args=[app.public_id]), {"to": "in_review", "revision": "9" * 30}
    )
    assert response.status_code == 409
