"""The household profile page: kana, postal code → address, phone, members, audit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.common.models import AuditEvent
from madoguchi.residents.models import Profile
from madoguchi.residents.profile import profile_for

pytestmark = pytest.mark.django_db

URL = reverse("residents:profile")


def form_data(**changes) -> dict:
    data = {
        "family_name": "高橋",
        "given_name": "健太",
        "family_name_kana": "タカハシ",
        "given_name_kana": "ｹﾝﾀ",
        "birth_date_era": "平成",
        "birth_date_year": "4",
        "birth_date_month": "6",
        "birth_date_day": "15",
        "sex": "male",
        "postal_code": "１００－０００１",
        "address": "東京都千代田区千代田1-1",
        "phone": "０９０－１２３４－５６７８",
        "m-TOTAL_FORMS": "1",
        "m-INITIAL_FORMS": "1",
        "m-0-role": "spouse",
        "m-0-birth_date_era": "西暦",
        "m-0-birth_date_year": "1993",
        "m-0-birth_date_month": "1",
        "m-0-birth_date_day": "8",
        "m-0-sex": "female",
        "save": "1",
    }
    data.update(changes)
    return data


@pytest.fixture
def signed_in(client, takahashi):
    client.force_login(takahashi)
    return client


def test_mypage_needs_sign_in(client):
    response = client.get(reverse("residents:mypage"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_saving_tidies_kana_postal_code_and_phone(signed_in, takahashi):
    response = signed_in.post(URL, form_data())
    assert response.status_code == 302, response.content.decode()
    profile = Profile.objects.get(user=takahashi)
    assert (profile.family_name_kana, profile.given_name_kana) == ("たかはし", "けんた")
    assert profile.postal_code == "1000001" and profile.phone == "09012345678"
    assert str(profile.birth_date) == "1992-06-15"
    assert profile.members == [{"role": "spouse", "birth_date": "1993-01-08", "sex": "female"}]


def test_kana_that_is_not_kana_is_refused_in_japanese(signed_in):
    response = signed_in.post(URL, form_data(family_name_kana="高橋"))
    assert response.status_code == 200
    assert "ふりがなは、ひらがなかカタカナで入れてください" in response.content.decode()


def test_a_bad_phone_number_is_refused(signed_in):
    response = signed_in.post(URL, form_data(phone="12345"))
    assert "電話番号は、0から始まる" in response.content.decode()


def test_the_address_button_fills_the_address_without_saving(signed_in, takahashi):
    before = Profile.objects.get(user=takahashi).address
    response = signed_in.post(
        URL, form_data(postal_code="0600000", address="", fill_address="1", save="")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="北海道札幌市中央区"' in page and 'value="0600000"' in page
    assert Profile.objects.get(user=takahashi).address == before


def test_an_unknown_postal_code_says_so(signed_in):
    response = signed_in.post(URL, form_data(postal_code="999-9999", fill_address="1"))
    assert "この郵便番号は見つかりません" in response.content.decode()


def test_members_can_be_added_and_removed_without_javascript(signed_in):
    added = signed_in.post(URL, form_data(add_member="1"))
    assert 'name="m-1-role"' in added.content.decode()
    assert "続柄を選んでください" not in added.content.decode()  # no errors while filling
    removed = signed_in.post(URL, form_data(remove_member="0"))
    assert 'name="m-0-role"' not in removed.content.decode()


def test_looking_and_changing_are_audited_with_field_names_only(signed_in, takahashi):
    signed_in.get(reverse("residents:mypage"))
    signed_in.post(URL, form_data(phone="03-1111-2222"))
    profile = Profile.objects.get(user=takahashi)
    events = AuditEvent.objects.filter(target_type="residents.Profile", target_id=str(profile.pk))
    actions = [e.action for e in events.order_by("id")]
    assert actions == ["view", "change"]
    change = events.get(action="change")
    assert change.actor == takahashi and "phone" in change.detail["fields"]
    assert "03-1111-2222" not in str(change.detail) and change.ip_hash


def test_profile_for(takahashi, saito):
    assert profile_for(takahashi).family_name == "高橋"
    assert profile_for(saito).family_name == "齊藤"
    assert profile_for(None) is None
    profile_for(saito, audit_as=saito, purpose="application_prefill")
    event = AuditEvent.objects.get()
    assert event.detail == {"purpose": "application_prefill"}


def test_saito_cannot_see_takahashis_profile(client, takahashi, saito):
    client.force_login(saito)
    page = client.get(reverse("residents:mypage")).content.decode()
    assert "齊藤" in page and "高橋" not in page
