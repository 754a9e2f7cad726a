"""The audit log page: administrators read who viewed or changed which
application and when; other staff get 404; nothing on it changes anything."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from madoguchi.applications.models import Status
from madoguchi.common.models import AuditEvent
from tests.conftest import CAST_PASSWORD

from .conftest import client_for, sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(kacho):
    kacho.user_permissions.add(Permission.objects.get(codename="view_auditlog"))
    return kacho


def test_staff_without_the_permission_get_404(kosodate, takahashi):
    assert client_for(kosodate).get(reverse("backoffice:audit")).status_code == 404
    assert client_for(takahashi).get(reverse("backoffice:audit")).status_code == 404


def test_a_superuser_reads_it_and_needs_mfa_too(django_user_model, settings):
    from allauth.account.models import EmailAddress

    admin = django_user_model.objects.create_superuser("admin", "admin@example.jp", CAST_PASSWORD)
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    assert client_for(admin).get(reverse("backoffice:audit"))["Location"] == reverse("mfa_index")
    settings.MADOGUCHI_REQUIRE_STAFF_MFA = False
    assert client_for(admin).get(reverse("backoffice:audit")).status_code == 200


def test_views_and_moves_are_listed_and_filtered(takahashi, saito, kosodate, auditor):
    app = sent(takahashi)
    other = sent(saito)
    clerk = client_for(kosodate)
    clerk.get(reverse("backoffice:detail", args=[app.public_id]))
    clerk.post(
        reverse("backoffice:move", args=[app.public_id]),
        {"to": Status.IN_REVIEW, "revision": app.revision},
    )
    clerk.get(reverse("backoffice:detail", args=[other.public_id]))
    client = client_for(auditor)
    url = reverse("backoffice:audit")
    response = client.get(url, {"application": app.receipt_number})
    rows = response.context["rows"]
    assert {(r["event"].action, r["event"].actor_id) for r in rows} == {
        ("submit", takahashi.pk),
        ("view", kosodate.pk),
        ("change", kosodate.pk),
    }
    html = response.content.decode()
    assert "小林 さくら" in html and app.receipt_number in html
    by_id = client.get(url, {"application": str(other.public_id), "action": "view"})
    assert [r["event"].target_id for r in by_id.context["rows"]] == [str(other.public_id)]
    by_user = client.get(url, {"user": "KOSODATE@example.jp", "action": "change"})
    assert [r["event"].action for r in by_user.context["rows"]] == ["change"]
    today = response.context["rows"][0]["event"].at.date().isoformat()
    assert client.get(url, {"day_to": "2000-01-01"}).context["rows"] == []
    assert client.get(url, {"day_from": today}).context["page"].paginator.count >= 5


def test_the_page_is_read_only(auditor):
    count = AuditEvent.objects.count()
    response = client_for(auditor).post(reverse("backoffice:audit"), {"action": "view"})
    assert response.status_code == 405
    assert AuditEvent.objects.count() == count


def test_the_detail_column_is_a_sentence_a_clerk_reads(takahashi, kosodate, kacho, auditor):
    from madoguchi.common import audit

    app = sent(takahashi)
    kacho_client = client_for(kacho)
    kacho_client.post(reverse("backoffice:assign", args=[app.public_id]), {"clerk": kosodate.pk})
    client_for(kosodate).post(
        reverse("backoffice:move", args=[app.public_id]),
        {"to": Status.IN_REVIEW, "revision": app.revision},
    )
    audit.record(kosodate, "change", "application", app.public_id, fields=["phone", "bank_account"])
    response = client_for(auditor).get(
        reverse("backoffice:audit"), {"application": str(app.public_id)}
    )
    details = [r["detail"] for r in response.context["rows"]]
    assert "担当者: 小林 さくら" in details[2] and "前の担当者: なし" in details[2]
    assert "状態: 受付 → 審査中" in details[1]
    assert details[0] == "項目: 日中に連絡がとれる電話番号、児童手当の振込先の口座"
    assert not any("assigned_to" in d or "[" in d or "status_to" in d for d in details)
    english = client_for(auditor)
    english.cookies["django_language"] = "en"
    response = english.get(
        reverse("backoffice:audit"), {"application": str(app.public_id)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    details = [r["detail"] for r in response.context["rows"]]
    assert "Clerk: 小林 さくら" in details[2]
    assert "Status: Received → In review" in details[1]
    # A list is joined the English way, not with 「、」.
    assert details[0] == "Item: Daytime phone number, Bank account for the allowance"
