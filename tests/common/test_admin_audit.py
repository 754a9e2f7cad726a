"""The admin is audited like any other change, in one place (``common/admin_site.py``):
adding, changing and deleting anything there, and opening a record; the cascade of a
deletion too. Nobody adds themselves to a department there; the log stays read-only."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse

from madoguchi.backoffice.models import Membership
from madoguchi.common import audit
from madoguchi.common.models import AuditEvent
from madoguchi.residents.models import Profile, VerifiedIdentity

pytestmark = pytest.mark.django_db


def entries(action, target_type):
    return list(AuditEvent.objects.filter(action=action, target_type=target_type))


def form_data(response) -> dict:
    """What the admin's change form would send back unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or field.disabled:
            continue
        if isinstance(value, datetime):  # the admin's split date and time inputs
            data[f"{name}_0"], data[f"{name}_1"] = f"{value:%Y-%m-%d}", f"{value:%H:%M:%S}"
        else:
            data[name] = value
    return data


@pytest.fixture
def identity(takahashi):
    return VerifiedIdentity.objects.create(
        user=takahashi, provider="demo", subject_hash="x", name="高橋 健太",
        address="東京都港区", birth_date=date(1992, 6, 15),
    )  # fmt: skip


def test_opening_and_changing_a_profile_is_audited(admin_client, admin_user, takahashi):
    profile = Profile.objects.get(user=takahashi)
    url = reverse("admin:residents_profile_change", args=[profile.pk])
    page = admin_client.get(url)
    [viewed] = entries("view", "residents.Profile")
    assert viewed.actor == admin_user and viewed.target_id == str(profile.pk)
    data = form_data(page) | {"phone": "090-1111-2222"}
    assert admin_client.post(url, data).status_code == 302
    [changed] = entries("change", "residents.Profile")
    assert changed.actor == admin_user and "phone" in changed.detail["fields"]
    assert changed.detail["page"] == "admin"
    assert "090" not in str(changed.detail)  # names, never values


def test_deleting_a_verified_identity_is_audited(admin_client, admin_user, identity):
    url = reverse("admin:residents_verifiedidentity_delete", args=[identity.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not VerifiedIdentity.objects.exists()
    [deleted] = entries("delete", "residents.VerifiedIdentity")
    assert deleted.actor == admin_user and deleted.target_id == str(identity.pk)


def test_deleting_a_user_audits_everything_that_goes_with_them(admin_client, takahashi, identity):
    url = reverse("admin:auth_user_delete", args=[takahashi.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert [e.target_id for e in entries("delete", "auth.User")] == [str(takahashi.pk)]
    assert len(entries("delete", "residents.Profile")) == 1
    [gone] = entries("delete", "residents.VerifiedIdentity")
    assert gone.detail["with"] == f"auth.User:{takahashi.pk}"


def test_the_bulk_delete_action_is_audited(admin_client, identity):
    url = reverse("admin:residents_verifiedidentity_changelist")
    data = {"action": "delete_selected", "_selected_action": [identity.pk], "post": "yes"}
    assert admin_client.post(url, data).status_code == 302
    assert len(entries("delete", "residents.VerifiedIdentity")) == 1


def test_changing_a_user_in_the_admin_is_audited(admin_client, admin_user, saito):
    url = reverse("admin:auth_user_change", args=[saito.pk])
    data = form_data(admin_client.get(url)) | {"first_name": "美咲子"}
    data.pop("password", None)
    assert admin_client.post(url, data).status_code == 302
    [changed] = entries("change", "auth.User")
    assert changed.target_id == str(saito.pk) and "first_name" in changed.detail["fields"]


def test_memberships_added_and_removed_in_the_admin_are_audited(admin_client, saito):
    add = reverse("admin:backoffice_membership_add")
    data = {"user": saito.pk, "department_id": "kosodate", "role": "clerk"}
    assert admin_client.post(add, data).status_code == 302
    member = Membership.objects.get(user=saito)
    [created] = entries("create", "backoffice.Membership")
    assert created.target_id == str(member.pk)
    delete = reverse("admin:backoffice_membership_delete", args=[member.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert len(entries("delete", "backoffice.Membership")) == 1


def test_nobody_adds_themselves_to_a_department(admin_client, admin_user):
    add = reverse("admin:backoffice_membership_add")
    data = {"user": admin_user.pk, "department_id": "kosodate", "role": "supervisor"}
    response = admin_client.post(add, data)
    assert response.status_code == 200
    assert "ご自身" in response.content.decode()
    assert not Membership.objects.exists()
    assert not entries("create", "backoffice.Membership")


def test_nobody_changes_their_own_membership_nor_moves_one_to_themselves(
    admin_client, admin_user, saito
):
    own = Membership.objects.create(user=admin_user, department_id="kosodate", role="clerk")
    url = reverse("admin:backoffice_membership_change", args=[own.pk])
    data = {"user": admin_user.pk, "department_id": "kosodate", "role": "supervisor"}
    assert "ご自身" in admin_client.post(url, data).content.decode()
    assert Membership.objects.get(pk=own.pk).role == "clerk"
    theirs = Membership.objects.create(user=saito, department_id="kosodate", role="clerk")
    url = reverse("admin:backoffice_membership_change", args=[theirs.pk])
    data = {"user": admin_user.pk, "department_id": "kosodate", "role": "clerk"}
    assert "ご自身" in admin_client.post(url, data).content.decode()
    assert Membership.objects.get(pk=theirs.pk).user == saito


def test_the_audit_log_in_the_admin_stays_read_only(admin_client):
    event = audit.record(None, "view", "x", "1")
    assert admin_client.get(reverse("admin:common_auditevent_add")).status_code == 403
    change = reverse("admin:common_auditevent_change", args=[event.pk])
    admin_client.post(change, {"action": "delete", "target_id": "2"})
    delete = reverse("admin:common_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    url = reverse("admin:common_auditevent_changelist")
    admin_client.post(
        url, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    kept = AuditEvent.objects.get(pk=event.pk)
    assert (kept.action, kept.target_id) == ("view", "1")
