"""``./dev manage demo --password PW``: the demo people and what they have done, the
same however often it runs."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from madoguchi.applications import files
from madoguchi.applications.models import Application, Attachment, Status
from madoguchi.residents.models import SavedChecklist, VerifiedIdentity
from madoguchi.towns.models import Town
from madoguchi.towns.work import in_town

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = StringIO()
    call_command("demo", "--password", "demo-pass-2026", stdout=out)
    return out.getvalue()


def test_demo_refuses_to_run_without_a_password():
    with pytest.raises(CommandError, match="--password"):
        call_command("demo")
    assert not Application.objects.exists()


def test_each_demo_resident_has_a_checklist_a_draft_and_a_sent_application(settings, tmp_path):
    settings.MADOGUCHI_FILES_DIR = tmp_path
    printed = run_demo()
    assert "takahashi@example.jp" in printed and "受付番号" in printed
    for email in ("takahashi@example.jp", "saito@example.jp"):
        apps = Application.objects.filter(owner__email=email)
        assert apps.filter(status=Status.DRAFT).count() == 1
        sent = apps.exclude(status=Status.DRAFT)
        assert sent.exists() and all(a.receipt_number for a in sent)
        assert SavedChecklist.objects.filter(owner__email=email).count() == 1
    # The back office has worked on some: every state a resident can see is there.
    states = set(Application.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "correction_requested", "completed"} <= states
    with_files = Attachment.objects.filter(application__procedure_id="child-medical-subsidy")
    assert with_files.exists() and all(files.verify(a) for a in with_files)
    # The draft started from the checklist knows the baby's birth date.
    draft = Application.objects.get(procedure_id="child-allowance-claim")
    assert (
        draft.data["children"][0]["child_birth_date"]
        == SavedChecklist.objects.get(owner=draft.owner).situation["event_date"]
    )

    before = (
        Application.objects.count(),
        SavedChecklist.objects.count(),
        VerifiedIdentity.objects.count(),
        Attachment.objects.count(),
    )
    run_demo()
    after = (
        Application.objects.count(),
        SavedChecklist.objects.count(),
        VerifiedIdentity.objects.count(),
        Attachment.objects.count(),
    )
    assert after == before


def test_a_newcomer_can_sign_in_as_takahashi_and_see_it_all(settings, tmp_path):
    settings.MADOGUCHI_FILES_DIR = tmp_path
    run_demo()
    client = Client()
    # With さくら町 beside it, みどり市 is at /t/midori/ (/ lists both towns).
    assert "さくら町" in client.get("/").content.decode()
    with in_town(Town.objects.get(slug="midori")):
        response = client.post(
            reverse("account_login"),
            {"login": "takahashi@example.jp", "password": "demo-pass-2026"},
        )
        assert response.status_code == 302
        page = client.get(reverse("residents:mypage")).content.decode()
    for expected in ("保存したやることリスト", "児童手当 認定請求", "子ども医療費助成", "受付"):
        assert expected in page, expected
