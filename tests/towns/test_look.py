"""A town's look comes from its catalogue (municipality.yaml ``look:``), checked
like the rest of it."""

from __future__ import annotations

import shutil

import pytest

from madoguchi.catalog.loader import check

pytestmark = pytest.mark.django_db


def test_each_town_is_drawn_in_its_own_colours_and_logo(client, sakura):
    midori = client.get("/t/midori/").content.decode()
    assert "look.css" not in midori and "brand-logo" not in midori
    page = client.get("/t/sakura/").content.decode()
    assert 'href="/t/sakura/look.css"' in page and 'src="/t/sakura/look/logo"' in page
    css = client.get("/t/sakura/look.css")
    assert css["Content-Type"].startswith("text/css")
    assert "--key: #8a1c4a;" in css.content.decode()
    logo = client.get("/t/sakura/look/logo")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/svg+xml"
    assert client.get("/t/midori/look/logo").status_code == 404


def test_a_colour_too_light_for_white_text_and_a_missing_logo_are_catalogue_problems(
    sakura_catalogue, tmp_path
):
    folder = tmp_path / "town"
    shutil.copytree(sakura_catalogue, folder)
    yaml = folder / "municipality.yaml"
    good = yaml.read_text(encoding="utf-8")
    yaml.write_text(good.replace("#8a1c4a", "#ffd43d"), encoding="utf-8")
    messages = [(p.file, p.message) for p in check(folder)]
    assert any(f == "municipality.yaml" and "明るすぎて" in m for f, m in messages), messages
    yaml.write_text(good, encoding="utf-8")
    (folder / "logo.svg").unlink()
    messages = [(p.file, p.line, p.message) for p in check(folder)]
    assert (
        "municipality.yaml",
        messages[0][1],
        "ロゴのファイル「logo.svg」がフォルダにありません",
    ) in messages
    assert messages[0][1] is not None  # with its line
