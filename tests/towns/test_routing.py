"""A request finds its town: by host name, else by /t/<slug>/, else the only town;
with several towns ``/`` lists them. Each town's catalogue is its own, loaded once,
picked up again after an edit, and a broken one stops only its own town."""

from __future__ import annotations

import logging
import re
import shutil

import pytest
from django.urls import reverse

from madoguchi.applications.tasks import send_receipt
from madoguchi.catalog import registry
from madoguchi.towns.context import _town
from madoguchi.towns.work import in_town
from tests.backoffice.conftest import sent

pytestmark = pytest.mark.django_db


def links(response) -> list[str]:
    return re.findall(r'href="([^"#]+)"', response.content.decode())


def test_one_town_keeps_today_s_urls(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "みどり市" in response.content.decode()
    assert reverse("catalog:search") == "/procedures/"
    assert client.get("/procedures/").status_code == 200


def test_several_towns_are_listed_at_the_root_and_served_by_path(client, sakura):
    listing = client.get("/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "みどり市" in page and "さくら町" in page
    assert {"/t/midori/", "/t/sakura/"} <= set(links(listing))
    home = client.get("/t/sakura/")
    assert home.status_code == 200
    assert "<title>くらしの手続きガイド | さくら町</title>" in home.content.decode()
    pages = [u for u in links(home) if not u.startswith("/static/")]
    assert pages and all(u.startswith("/t/sakura/") for u in pages), pages
    assert all(u.startswith("/static/") for u in set(links(home)) - set(pages))
    assert client.get("/procedures/").status_code == 404  # no town: nothing but the list
    assert client.get("/t/nowhere/").status_code == 404
    api = client.get("/api/v1/procedures")  # the API answers in JSON, naming what is missing
    assert api.status_code == 404 and "/api/v1/guide" in api.json()["detail"][0]["message"]
    assert client.get("/t/sakura/api/v1/procedures").status_code == 200
    moved = client.get("/t/sakura")
    assert moved.status_code == 301 and moved["Location"] == "/t/sakura/"
    # Sign-in redirects keep the town's address.
    office = client.get("/t/sakura/office/")
    assert office["Location"] == "/t/sakura/accounts/login/?next=/t/sakura/office/"


def test_the_list_of_towns_speaks_the_browser_s_language(client, sakura):
    japanese = client.get("/").content.decode()
    assert '<html lang="ja">' in japanese and "お住まいの市区町村を選んでください" in japanese
    assert "群馬県" in japanese
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english
    assert "Choose the municipality you live in" in english
    assert "Midori City" in english and "Sakura Town" in english


def test_each_town_s_catalogue_is_its_own(client, sakura):
    """さくら町 has no 新生児訪問 card (its catalogue's difference from みどり市's)."""
    assert client.get("/t/midori/procedures/newborn-visit-card/").status_code == 200
    assert client.get("/t/sakura/procedures/newborn-visit-card/").status_code == 404


def test_a_town_with_its_own_host_name_is_served_there_without_a_prefix(client, sakura, settings):
    settings.ALLOWED_HOSTS = ["sakura.example.jp", "testserver"]
    sakura.hosts = ["sakura.example.jp"]
    sakura.save()
    home = client.get("/", HTTP_HOST="sakura.example.jp")
    assert "<title>くらしの手続きガイド | さくら町</title>" in home.content.decode()
    assert "/procedures/" in links(home)


def test_a_broken_catalogue_stops_its_own_town_only(client, sakura, tmp_path, caplog):
    broken = tmp_path / "broken"
    shutil.copytree(sakura.catalog_dir, broken)
    (broken / "departments.yaml").write_text("- id: [\n", encoding="utf-8")
    sakura.catalog_dir = str(broken)
    sakura.save()
    with caplog.at_level(logging.ERROR):
        response = client.get("/t/sakura/")
    assert response.status_code == 503
    assert "ただいまこの市区町村のページは利用できません" in response.content.decode()
    assert "departments.yaml" in caplog.text
    assert client.get("/t/midori/").status_code == 200


def test_an_edit_is_picked_up_and_a_broken_edit_keeps_the_last_good_one(
    sakura, tmp_path, monkeypatch, caplog
):
    folder = tmp_path / "live"
    shutil.copytree(sakura.catalog_dir, folder)
    monkeypatch.setattr(registry, "CHECK_SECONDS", 0.0)
    first = registry.catalog_at(folder)
    assert registry.catalog_at(folder) is first  # loaded once
    yaml = folder / "municipality.yaml"
    yaml.write_text(
        yaml.read_text(encoding="utf-8").replace("さくら町", "さくら村"), encoding="utf-8"
    )
    edited = registry.catalog_at(folder)
    assert edited is not first and edited.municipality.name.ja == "さくら村"
    good = yaml.read_text(encoding="utf-8")
    yaml.write_text(good + "mayor: 桜 太郎\n", encoding="utf-8")  # a key the schema lacks
    with caplog.at_level(logging.ERROR):
        assert registry.catalog_at(folder) is edited
    assert "municipality.yaml" in caplog.text and "前の版を使い続けます" in caplog.text


def test_the_receipt_mail_links_to_the_application_s_own_town(sakura, takahashi, smtp_server):
    with in_town(sakura):
        app = sent(takahashi)
    token = _town.set(None)  # as in the database worker: no town active
    try:
        assert send_receipt.call(app.pk) == "sent"
    finally:
        _town.reset(token)
    body = smtp_server.text(smtp_server.wait_for(1)[-1])
    assert f"/t/sakura/mypage/applications/{app.public_id}/" in body
    assert "さくら町" in body
