"""Pages with a household's data are never stored by a browser or a proxy."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def start_birth(client):
    """高橋さん's birth answers, kept in the session (as the web guide does)."""
    data = {"m-TOTAL_FORMS": "2", "m-INITIAL_FORMS": "0", "m-0-role": "self", "m-1-role": "newborn"}
    data |= {"event_date_era": "西暦", "event_date_year": "2026"}
    data |= {"event_date_month": "11", "event_date_day": "20"}
    data |= {
        f"m-0-birth_date_{k}": v
        for k, v in zip(("era", "year", "month", "day"), ("西暦", "1990", "4", "1"), strict=True)
    }
    data |= {
        f"m-1-birth_date_{k}": v
        for k, v in zip(("era", "year", "month", "day"), ("西暦", "", "", ""), strict=True)
    }
    return client.post("/guide/birth/", data, follow=True)


def test_every_page_that_shows_the_answers_is_not_stored(client):
    checklist = start_birth(client)
    assert "やることリスト" in checklist.content.decode()
    assert no_store(checklist)
    assert "private" in checklist["Cache-Control"]
    for url in (
        "/guide/birth/checklist/",
        "/guide/birth/checklist.pdf",
        "/guide/birth/change/event_date/",
        "/guide/birth/",
    ):
        assert no_store(client.get(url)), url


def test_the_household_form_is_not_stored_empty_or_filled(client):
    assert no_store(client.get("/guide/birth/"))
    assert no_store(client.post("/guide/birth/", {}))


def test_pages_without_household_data_may_be_cached(client):
    assert not no_store(client.get("/"))
    assert not no_store(client.get("/api/v1/docs"))
