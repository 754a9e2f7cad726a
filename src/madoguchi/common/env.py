"""Typed readers for settings from the environment.

They fail loudly at start-up with one clear line (a wrong ``DATABASE_URL`` must stop
the server, not give a 500 later)."""

import ipaddress
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

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
        # WAL lets the web server read while the worker writes. IMMEDIATE takes the
        # write lock when a transaction begins, so two requests that read then write
        # (two taps on 「送信」) queue up instead of one failing with "locked"; the
        # timeout is how long the second waits.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r}: {minimum} 以上の整数を指定してください")
    return value


@dataclass(frozen=True)
class PublicURL:
    """The address residents type, e.g. ``https://madoguchi.city.example.lg.jp``."""

    scheme: str
    host: str  # without the port, as ALLOWED_HOSTS matches it
    netloc: str  # with the port, if any

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.netloc}"

    @property
    def is_https(self) -> bool:
        return self.scheme == "https"


def env_public_url(name: str) -> PublicURL | None:
    """The site's public address (scheme and host only), or ``None`` when unset.

    Only an origin is accepted: a path, query or user name would not do what the
    operator expects (the app is served at the root of its host)."""
    raw = (os.environ.get(name) or "").strip()
    return parse_public_url(raw, name) if raw else None


def parse_public_url(raw: str, name: str = "MADOGUCHI_PUBLIC_URL") -> PublicURL:
    example = (
        "https://madoguchi.city.example.lg.jp のように、https:// とホスト名だけを指定してください"
    )
    try:
        parts = urlsplit(raw)
        port = parts.port  # raises ValueError on a bad port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(f"{name}={raw!r}: {example}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or "?" in raw or "#" in raw:
        raise ImproperlyConfigured(f"{name}={raw!r}: パスや ? # は付けられません。{example}")
    if parts.username is not None or parts.password is not None:
        raise ImproperlyConfigured(
            f"{name}={raw!r}: 利用者名やパスワードは付けられません。{example}"
        )
    host = _ascii_host(parts.hostname)
    if host is None:
        raise ImproperlyConfigured(f"{name}={raw!r}: ホスト名が正しくありません。{example}")
    # Browsers leave the default port out of the Origin header; so must we.
    if port == _DEFAULT_PORTS[parts.scheme]:
        port = None
    netloc = host if port is None else f"{host}:{port}"
    return PublicURL(scheme=parts.scheme, host=host, netloc=netloc)


_DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST_LABELS = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


def _ascii_host(hostname: str) -> str | None:
    """The host as browsers send it: lower case, a Japanese domain in punycode,
    an IPv6 address in brackets; ``None`` if it is not a host name at all."""
    if ":" in hostname:
        try:
            return f"[{ipaddress.IPv6Address(hostname)}]"
        except ValueError:
            return None
    try:
        host = hostname.lower().encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return host if _HOST_LABELS.match(host) else None
