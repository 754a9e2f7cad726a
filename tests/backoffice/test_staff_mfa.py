"""Staff pages and the admin need a session that passed the second factor: having a
TOTP set up is not enough. 小林さん signed in with her password alone (Django's
admin form, ``force_login``, an old session) is sent to the MFA step everywhere."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory
from django.urls import reverse

from madoguchi.backoffice import urls as office_urls
from madoguchi.backoffice.staff_mfa import session_passed_mfa
from tests.conftest import CAST_PASSWORD
from tests.sign_in import sign_in, totp_code

from .conftest import SECRET, client_for, password_only_client, sent

pytestmark = pytest.mark.django_db

ANY = uuid.uuid4()
# Every page of backoffice/urls.py, with the method its view answers.
ARGS = {
    "public_id": ANY,
    "file_id": ANY,
    "procedure_id": "child-allowance-claim",
}
POST_ONLY = {"move", "assign", "send_message", "request_correction"}


def office_pages():
    for pattern in office_urls.urlpatterns:
        names = pattern.pattern.converters.keys()
        kwargs = {name: ARGS[name] for name in names}
        yield pytest.param(pattern.name, kwargs, id=pattern.name)


@pytest.fixture
def everything(kacho):
    """加藤課長, who may open every staff page (supervisor and auditor)."""
    kacho.user_permissions.add(Permission.objects.get(codename="view_auditlog"))
    kacho.is_staff = kacho.is_superuser = True
    kacho.save()
    return kacho


def refused_to_mfa(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("mfa_reauthenticate")
    )


@pytest.mark.parametrize(("name", "kwargs"), list(office_pages()))
def test_a_password_only_session_is_refused_on_every_staff_page(everything, name, kwargs):
    client = password_only_client(everything)
    url = reverse(f"backoffice:{name}", kwargs=kwargs)
    response = client.post(url) if name in POST_ONLY else client.get(url)
    assert refused_to_mfa(response), (response.status_code, response.get("Location"))


def test_a_password_only_session_is_refused_by_the_admin(everything):
    client = password_only_client(everything)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("mfa_reauthenticate"))
    assert "2段階認証を済ませたログイン" in response.content.decode()
    response = client.get(reverse("admin:backoffice_membership_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_every_staff_page_and_the_admin_open_after_the_real_sign_in(everything, takahashi):
    app = sent(takahashi)
    client = client_for(everything)
    for name in ("queue", "load", "audit", "export"):
        assert client.get(reverse(f"backoffice:{name}")).status_code == 200, name
    assert client.get(reverse("backoffice:detail", args=[app.public_id])).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_mfa_step_lets_a_password_only_session_in(kosodate, takahashi):
    app = sent(takahashi)
    client = password_only_client(kosodate)
    detail = reverse("backoffice:detail", args=[app.public_id])
    response = client.get(detail)
    assert refused_to_mfa(response)
    page = client.get(response["Location"]).content.decode()
    assert "2段階認証を済ませたログイン" in page
    response = client.post(response["Location"], {"code": totp_code(SECRET)})
    assert response.status_code == 302 and response["Location"] == detail
    assert client.get(detail).status_code == 200


def test_a_sign_in_left_at_the_password_step_is_not_signed_in(kosodate):
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": kosodate.email, "password": CAST_PASSWORD}
    )
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    response = client.get(reverse("backoffice:queue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_admin_login_is_allauths_and_keeps_next(everything):
    response = Client().get(reverse("admin:login"), {"next": "/admin/backoffice/membership/"})
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("account_login") + "?next=%2Fadmin%2Fbackoffice%2Fmembership%2F"
    )
    # …and a sign-in there (password, then the code) comes back to it.
    client = Client()
    client.get(response["Location"])
    response = client.post(
        response["Location"], {"login": everything.email, "password": CAST_PASSWORD}
    )
    response = client.post(response["Location"], {"code": totp_code(SECRET)})
    assert response["Location"] == "/admin/backoffice/membership/"
    assert client.get(response["Location"]).status_code == 200


def test_the_admin_login_sends_no_one_elsewhere(everything):
    response = Client().get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"


def test_a_resident_in_the_admin_gets_403_not_a_loop(takahashi):
    client = sign_in(Client(), takahashi.email, CAST_PASSWORD)
    assert client.get(reverse("admin:login"), {"next": "/admin/"}).status_code == 403


@pytest.mark.parametrize(
    ("records", "passed"),
    [
        ([{"method": "password"}], False),
        ([{"method": "password"}, {"method": "mfa", "type": "totp"}], True),
        ([{"method": "mfa", "type": "webauthn", "passwordless": True}], True),  # a passkey
        ([{"method": "password"}, {"method": "mfa", "type": "recovery_codes"}], True),
        ([{"method": "socialaccount"}], False),
    ],
)
def test_which_sign_ins_count_as_mfa(kosodate, records, passed):
    from allauth.account.internal.flows.login import record_authentication
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get("/")
    request.session, request.user = SessionStore(), kosodate
    for record in records:
        record_authentication(request, kosodate, **record)
    assert session_passed_mfa(request) is passed
