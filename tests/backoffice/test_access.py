"""Who sees what: 保険年金課's clerk cannot see 子育て支援課's applications (404,
never 403), residents and strangers are kept out, and MFA is required."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.backoffice.access import applications_for

from .conftest import KOKUHO, client_for, sent

pytestmark = pytest.mark.django_db


def test_hoken_gets_404_on_kosodates_application_and_its_file(takahashi, kosodate, hoken):
    app = sent(takahashi, image=True)
    attachment = app.attachments.get()
    detail = reverse("backoffice:detail", args=[app.public_id])
    file_url = reverse("backoffice:file", args=[app.public_id, attachment.public_id])
    client = client_for(hoken)
    assert client.get(detail).status_code == 404
    assert client.get(file_url).status_code == 404
    move = reverse("backoffice:move", args=[app.public_id])
    assert client.post(move, {"to": "in_review", "revision": app.revision}).status_code == 404
    assign = reverse("backoffice:assign", args=[app.public_id])
    assert client.post(assign, {"clerk": "me"}).status_code == 404
    # 子育て支援課's own clerk sees both.
    mine = client_for(kosodate)
    assert mine.get(detail).status_code == 200
    assert mine.get(file_url).status_code == 200


def test_hoken_does_not_see_it_in_the_queue(takahashi, saito, kosodate, hoken):
    claim = sent(takahashi)
    kokuho = sent(saito, KOKUHO)
    page = client_for(hoken).get(reverse("backoffice:queue")).content.decode()
    assert claim.receipt_number not in page and kokuho.receipt_number in page
    page = client_for(kosodate).get(reverse("backoffice:queue")).content.decode()
    assert claim.receipt_number in page and kokuho.receipt_number not in page
    assert list(applications_for(hoken)) == [kokuho]


def test_a_draft_is_never_in_the_back_office(takahashi, kosodate):
    from tests.applications.test_submission import new_draft

    draft = new_draft(takahashi)
    response = client_for(kosodate).get(reverse("backoffice:detail", args=[draft.public_id]))
    assert response.status_code == 404


def test_a_resident_gets_404_and_a_stranger_is_sent_to_log_in(client, takahashi):
    app = sent(takahashi)
    assert client_for(takahashi).get(reverse("backoffice:queue")).status_code == 404
    detail = reverse("backoffice:detail", args=[app.public_id])
    assert client_for(takahashi).get(detail).status_code == 404
    response = client.get(detail)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_without_mfa_are_sent_to_set_it_up(kosodate, takahashi):
    from allauth.mfa.models import Authenticator

    app = sent(takahashi)
    Authenticator.objects.filter(user=kosodate).delete()
    client = client_for(kosodate)
    for url in (reverse("backoffice:queue"), reverse("backoffice:detail", args=[app.public_id])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_index")


def test_without_the_mfa_requirement_staff_get_in_without_it(kosodate, settings):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=kosodate).delete()
    settings.MADOGUCHI_REQUIRE_STAFF_MFA = False
    assert client_for(kosodate).get(reverse("backoffice:queue")).status_code == 200


def test_the_header_links_to_the_back_office_for_staff_only(kosodate, takahashi):
    office = reverse("backoffice:queue")
    assert f'href="{office}"' in client_for(kosodate).get("/").content.decode()
    assert f'href="{office}"' not in client_for(takahashi).get("/").content.decode()


def test_the_administrator_puts_staff_into_the_catalogues_departments(admin_client, hoken):
    from madoguchi.backoffice.models import Membership
    from madoguchi.common.models import AuditEvent

    page = admin_client.get("/admin/backoffice/membership/add/").content.decode()
    assert "子育て支援課" in page  # the choices are the catalogue's departments
    response = admin_client.post(
        "/admin/backoffice/membership/add/",
        {"user": hoken.pk, "department_id": "kosodate", "role": "clerk"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=hoken, department_id="kosodate").exists()
    assert AuditEvent.objects.filter(target_type="backoffice.Membership", action="create").exists()
    refused = admin_client.post(
        "/admin/backoffice/membership/add/",
        {"user": hoken.pk, "department_id": "no-such-department", "role": "clerk"},
    )
    assert refused.status_code == 200  # not a department of the catalogue
