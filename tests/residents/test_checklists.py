"""Checklists kept on MyPage: saved from the guide, shown with their deadlines,
a starting point for online applications, and nobody else's to see."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from madoguchi.applications.models import Application
from madoguchi.catalog import guide_state
from madoguchi.common.models import AuditEvent
from madoguchi.residents.models import SavedChecklist

pytestmark = pytest.mark.django_db


def with_guide_answers(client, situation) -> None:
    session = client.session
    session[guide_state.SESSION_KEY] = {
        situation.event: situation.model_dump(mode="json", exclude_none=True)
    }
    session.save()


def test_saving_needs_a_login_and_comes_back_to_a_confirmation(client, takahashi, takahashi_birth):
    with_guide_answers(client, takahashi_birth)
    url = reverse("residents:save_checklist", args=["birth"])
    assert "/accounts/login/" in client.get(url).url
    client.force_login(takahashi)
    with_guide_answers(client, takahashi_birth)  # login keeps the session's answers
    assert "マイページに保存する" in client.get(url).content.decode()


def test_a_saved_checklist_shows_on_mypage_with_its_deadlines(client, takahashi, takahashi_birth):
    client.force_login(takahashi)
    with_guide_answers(client, takahashi_birth)
    url = reverse("residents:save_checklist", args=["birth"])
    response = client.post(url)
    saved = SavedChecklist.objects.get(owner=takahashi)
    assert response.url == reverse("residents:checklist", args=[saved.public_id])
    client.post(url)  # the same answers again: still one
    assert SavedChecklist.objects.filter(owner=takahashi).count() == 1
    assert "name" not in str(saved.situation)  # the answers only, never a name

    page = client.get(reverse("residents:checklist", args=[saved.public_id])).content.decode()
    assert "出生届" in page and "児童手当 認定請求" in page
    apply_link = reverse("applications:start", args=["child-allowance-claim"])
    assert f"{apply_link}?checklist={saved.public_id}" in page

    mypage = client.get(reverse("residents:mypage")).content.decode()
    assert "保存したやることリスト" in mypage and "出生" in mypage
    assert "まで: " in mypage  # the nearest deadlines
    assert AuditEvent.objects.filter(target_id=str(saved.public_id), action="view").exists()


def test_the_saved_message_is_shown_once(client, takahashi, takahashi_birth):
    client.force_login(takahashi)
    with_guide_answers(client, takahashi_birth)
    url = reverse("residents:save_checklist", args=["birth"])
    page = client.post(url, follow=True).content.decode()
    assert page.count("やることリストをマイページに保存しました") == 1  # base.html shows it


def test_an_application_started_from_a_saved_checklist_is_prefilled(
    client, takahashi, takahashi_birth, tmp_path, settings
):
    settings.MADOGUCHI_FILES_DIR = tmp_path
    client.force_login(takahashi)
    with_guide_answers(client, takahashi_birth)
    client.post(reverse("residents:save_checklist", args=["birth"]))
    saved = SavedChecklist.objects.get()
    client.session.flush()  # days later, in another session
    client.force_login(takahashi)
    start = reverse("applications:start", args=["child-allowance-claim"])
    client.post(f"{start}?checklist={saved.public_id}")
    app = Application.objects.get()
    assert app.event == "birth"
    assert app.data["children"] == [{"child_birth_date": "2026-11-20"}]


def test_another_resident_cannot_see_or_use_it(
    client, takahashi, saito, takahashi_birth, tmp_path, settings
):
    settings.MADOGUCHI_FILES_DIR = tmp_path
    client.force_login(takahashi)
    with_guide_answers(client, takahashi_birth)
    client.post(reverse("residents:save_checklist", args=["birth"]))
    saved = SavedChecklist.objects.get()
    other = Client()
    other.force_login(saito)
    assert other.get(reverse("residents:checklist", args=[saved.public_id])).status_code == 404
    assert (
        other.post(reverse("residents:delete_checklist", args=[saved.public_id])).status_code == 404
    )
    start = reverse("applications:start", args=["child-allowance-claim"])
    other.post(f"{start}?checklist={saved.public_id}")
    # Nothing of 高橋's (his newborn); 齊藤さん's own children come from her profile.
    rows = Application.objects.get(owner=saito).data.get("children", [])
    assert "2026-11-20" not in {r.get("child_birth_date") for r in rows}
    assert "出生" not in other.get(reverse("residents:mypage")).content.decode()
    assert SavedChecklist.objects.filter(pk=saved.pk).exists()
