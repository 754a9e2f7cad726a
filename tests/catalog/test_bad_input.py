"""The guide's first page takes no impossible input silently and never answers 500:
a 20-digit year, a child born in 2999 or in 1000, a row number that is a
superscript digit."""

from __future__ import annotations

import pytest

from .test_views import BIRTH, field_error, start, start_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["9" * 20, "10000"])
def test_a_year_of_many_digits_is_explained(client, year):
    response = start(client, date=("西暦", year, 1, 1))
    assert response.status_code == 200
    assert "年が正しくありません" in field_error(response, "id_event_date")
    response = start(client, members=[("self", ("西暦", year, 1, 1))])
    assert "年が正しくありません" in field_error(response, "id_m-0-birth_date")


@pytest.mark.parametrize(
    ("born", "said"),
    [("2999-01-01", "今日より後"), ("1000-01-01", "1900年1月1日"), ("1899-12-31", "1900年")],
)
def test_a_child_born_in_2999_or_1000_is_refused(client, born, said):
    response = start(client, members=[("self", "1990-04-01"), ("child", born)])
    assert response.status_code == 200
    assert said in field_error(response, "id_m-1-birth_date")


def test_a_changed_birth_date_in_the_future_is_refused(client):
    start(client, **BIRTH)
    response = client.post(
        "/guide/birth/change/birth_date/0/",
        {
            "q-birth-date-0_era": "西暦",
            "q-birth-date-0_year": "2999",
            "q-birth-date-0_month": "1",
            "q-birth-date-0_day": "1",
        },
    )
    assert response.status_code == 200
    assert "今日より後" in field_error(response, "id_q-birth-date-0")


@pytest.mark.parametrize("index", ["²", "١", "9" * 30, "-1", ""])
def test_removing_a_row_with_a_strange_number_changes_nothing(client, index):
    data = start_data(members=[("self", "1990-04-01"), ("child", "2020-01-01")])
    data["remove_member"] = index
    response = client.post("/guide/birth/", data)
    assert response.status_code == 200
    assert 'name="m-1-birth_date_year" value="2020"' in response.content.decode()
