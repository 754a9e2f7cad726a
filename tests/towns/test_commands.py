"""``./dev manage towns add|list|reload`` and ``./dev catalog check`` of every town."""

from __future__ import annotations

import shutil

import pytest
from django.core.management import CommandError, call_command

from madoguchi.towns.models import Town

pytestmark = pytest.mark.django_db


def test_add_checks_the_catalogue_and_registers_the_town(sakura_catalogue, capsys):
    call_command(
        "towns", "add", "sakura", "--catalog", str(sakura_catalogue), "--host", "Sakura.example.jp"
    )
    town = Town.objects.get(slug="sakura")
    assert town.code == "109991" and town.hosts == ["sakura.example.jp"]
    assert "さくら町を登録しました" in capsys.readouterr().out
    call_command("towns", "list")
    assert "/t/sakura/" in capsys.readouterr().out


def test_add_refuses_a_broken_catalogue_and_a_bad_slug(sakura_catalogue, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(sakura_catalogue, broken)
    (broken / "departments.yaml").write_text("- id: [\n", encoding="utf-8")
    with pytest.raises(CommandError, match="departments.yaml"):
        call_command("towns", "add", "broken", "--catalog", str(broken))
    with pytest.raises(CommandError, match="英小文字"):
        call_command("towns", "add", "Sakura Town", "--catalog", str(sakura_catalogue))
    assert not Town.objects.filter(slug__in=["broken", "Sakura Town"]).exists()


def test_reload_and_check_name_the_broken_file_of_one_town(sakura, tmp_path, capsys):
    broken = tmp_path / "sakura"
    shutil.copytree(sakura.catalog_dir, broken)
    sakura.catalog_dir = str(broken)
    sakura.save()
    call_command("towns", "reload", "sakura")
    assert "sakura: 読み込みました" in capsys.readouterr().out
    (broken / "departments.yaml").write_text("- id: [\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("towns", "reload")
    err = capsys.readouterr().err
    assert "sakura: 読み込めません" in err and "departments.yaml" in err
    with pytest.raises(CommandError, match="問題のあるカタログ: 1 件"):
        call_command("catalog", "check")
    out, err = capsys.readouterr()
    assert "municipalities/example: 問題はありません" in out
    assert f"{broken}: departments.yaml" in err
