import pytest
from django.core.exceptions import ImproperlyConfigured
from pydantic import ValidationError

from madoguchi.catalog.situation import Situation
from madoguchi.common.env import env_bool, env_database
from madoguchi.common.errors_ja import describe, one_line


def errors_for(data):
    with pytest.raises(ValidationError) as caught:
        Situation.model_validate(data)
    return caught.value.errors()


def test_errors_name_the_field_in_japanese():
    described = describe(errors_for({"event": "birth", "members": [{"birth_date": "x"}]}))
    assert described == [
        {
            "field": "members.0.birth_date",
            "label": "1人目の生年月日",
            "message": "日付は 2026-11-20 のように「年-月-日」で、引用符で囲んで書いてください",
        }
    ]


def test_choices_are_listed_without_english():
    line = one_line(errors_for({"event": "wedding"}))
    assert line.startswith("出来事: ") and " or " not in line and "death(死亡)" in line


def test_env_bool_fails_loudly(monkeypatch):
    monkeypatch.setenv("X_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True


def test_bad_database_url_fails_loudly(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "nosuchdb://whatever")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL", "sqlite:///x")


def test_postgres_url_is_understood(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://madoguchi@%2Ftmp%2Fpg/db")
    config = env_database("DATABASE_URL", "sqlite:///x")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["HOST"] == "/tmp/pg"
