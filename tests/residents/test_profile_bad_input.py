"""The profile takes no impossible input silently and never answers 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.residents.models import Profile

from .test_profile import URL, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, takahashi):
    client.force_login(takahashi)
    return client


def errors_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_a_year_of_20_digits_is_explained(signed_in):
    page = errors_of(
        signed_in.post(URL, form_data(birth_date_era="西暦", birth_date_year="9" * 20))
    )
    assert "年が正しくありません" in page
    page = errors_of(signed_in.post(URL, form_data(**{"m-0-birth_date_year": "9" * 20})))
    assert "年が正しくありません" in page


@pytest.mark.parametrize(("year", "said"), [("2999", "今日より後"), ("1000", "1900年1月1日")])
def test_a_birth_date_in_2999_or_1000_is_refused(signed_in, takahashi, year, said):
    before = Profile.objects.get(user=takahashi).birth_date
    page = errors_of(signed_in.post(URL, form_data(birth_date_era="西暦", birth_date_year=year)))
    assert said in page
    page = errors_of(signed_in.post(URL, form_data(**{"m-0-birth_date_year": year})))
    assert said in page
    assert Profile.objects.get(user=takahashi).birth_date == before


@pytest.mark.parametrize("name", ["健\x1b[2J太", "健太\u202e", "健太😀", "健\x7f太"])
def test_a_name_with_control_characters_or_emoji_is_refused(signed_in, takahashi, name):
    page = errors_of(signed_in.post(URL, form_data(given_name=name)))
    assert "氏名に使えない文字" in page
    assert Profile.objects.get(user=takahashi).given_name != name


def test_an_address_with_a_bidi_override_is_refused(signed_in, takahashi):
    page = errors_of(signed_in.post(URL, form_data(address="東京都\u202e1-1")))
    assert "使えない文字" in page


@pytest.mark.parametrize("index", ["²", "9" * 30, "-1"])
def test_removing_a_member_with_a_strange_number_is_no_500(signed_in, index):
    assert signed_in.post(URL, form_data(remove_member=index)).status_code == 200


def test_the_page_itself_is_fine(signed_in):
    assert signed_in.get(reverse("residents:profile")).status_code == 200
