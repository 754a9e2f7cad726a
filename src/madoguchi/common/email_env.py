"""Where the site's mail goes, read from ``MADOGUCHI_EMAIL_URL`` (one setting, as
``DATABASE_URL`` is one):

    smtp://user:password@mail.example.lg.jp:587   SMTP with STARTTLS (the usual port 587)
    smtps://user:password@mail.example.lg.jp:465  SMTP over TLS from the start
    smtp+plain://127.0.0.1:25                     SMTP without TLS (a relay on this server)
    console:                                      print each mail (the local default)
    file:///var/lib/madoguchi/mail                one .log file per mail, in that folder

A user name or password with ``@`` or ``:`` is written percent-encoded (``%40``).
A wrong value stops start-up with one Japanese line (``common/env.py``'s way)."""

from __future__ import annotations

import os
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
FILE = "django.core.mail.backends.filebased.EmailBackend"
_EXAMPLE = "smtp://利用者:パスワード@メールサーバー:587 のように指定してください"


def env_email(name: str, default: str) -> dict:
    """Django's EMAIL_* settings for the URL in ``name`` (or ``default``)."""
    raw = (os.environ.get(name) or default).strip()
    return parse_email_url(raw, name)


def parse_email_url(raw: str, name: str = "MADOGUCHI_EMAIL_URL") -> dict:
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name}: ポート番号が正しくありません。{_EXAMPLE}") from None
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": CONSOLE}
    if scheme == "file":
        if not parts.path.startswith("/"):
            raise ImproperlyConfigured(
                f"{name}: file:///フォルダ のように絶対パスで指定してください"
            )
        return {"EMAIL_BACKEND": FILE, "EMAIL_FILE_PATH": parts.path}
    if scheme not in ("smtp", "smtps", "smtp+plain") or not parts.hostname:
        # The URL may hold a password: never repeat it.
        raise ImproperlyConfigured(f"{name}: {_EXAMPLE}")
    default_port = {"smtp": 587, "smtps": 465, "smtp+plain": 25}[scheme]
    return {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or default_port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": scheme == "smtp",
        "EMAIL_USE_SSL": scheme == "smtps",
        "EMAIL_TIMEOUT": 30,
    }
