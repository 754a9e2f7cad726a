"""Typed readers for settings from the environment.

They fail loudly at start-up with one clear line (a wrong ``DATABASE_URL`` must stop
the server, not give a 500 later)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: true か false を指定してください")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_path(name: str, default: Path) -> Path:
    return Path(os.environ.get(name) or default)


def env_database(name: str, default: str) -> dict:
    raw = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(raw, conn_max_age=60)
    except Exception as exc:  # the library raises several kinds; all mean one thing
        raise ImproperlyConfigured(f"{name} を読めません ({raw.split('@')[-1]}): {exc}") from exc
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"{name}: 対応していないデータベースです")
    if config["ENGINE"].endswith("sqlite3"):
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # WAL lets the web server read while the worker writes.
        config["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;"}
    return config
