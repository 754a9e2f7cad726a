"""Pages with a household's data are never stored by a browser or a proxy."""

from __future__ import annotations

import pytest

from madoguchi.catalog.situation import Situation

pytestmark = pytest.mark.django_db

HOUSEHOLD = Situation.model_validate(
    {
        "event": "birth",
        "event_date": "2026-11-20",
        "members": [{"role": "self", "birth_date": "1990-04-01"}, {"role": "newborn"}],
    }
).model_dump_json(exclude_none=True)


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_the_checklist_after_answers_is_not_stored(client):
    response = client.post("/guide/birth/answers/", {"situation": HOUSEHOLD})
    assert response.status_code == 200 and "やることリスト" in response.content.decode()
    assert no_store(response)
    assert "private" in response["Cache-Control"]


def test_the_pdf_is_not_stored(client):
    response = client.post("/guide/birth/checklist.pdf", {"situation": HOUSEHOLD})
    assert response["Content-Type"] == "application/pdf"
    assert no_store(response)


def test_the_household_form_is_not_stored_empty_or_filled(client):
    assert no_store(client.get("/guide/birth/"))
    assert no_store(client.post("/guide/birth/", {}))


def test_pages_without_household_data_may_be_cached(client):
    assert not no_store(client.get("/"))
    assert not no_store(client.get("/api/v1/docs"))
