"""The API's JSON is UTF-8 text: Japanese as characters, not \\uXXXX escapes."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_api_answers_in_readable_japanese(client):
    response = client.post(
        "/api/v1/guide",
        data=json.dumps({"event": "birth", "event_date": "2026-11-20"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "出生届".encode() in response.content
    assert b"\\u" not in response.content
    assert "出生届" in [p["name"] for p in response.json()["procedures"]]


def test_api_errors_too(client):
    response = client.post("/api/v1/guide", data="{}", content_type="application/json")
    assert response.status_code == 422
    assert "出来事".encode() in response.content  # the missing field, by its label
    assert b"\\u" not in response.content
