"""Settings that follow from the public address when madoguchi runs behind an
HTTPS reverse proxy (nginx, Apache…), which is how docs/operations.md deploys it.

The proxy terminates TLS and talks plain HTTP to gunicorn on 127.0.0.1, so Django
must be told (a) which host and origin residents' browsers use — or every form
POST fails the CSRF origin check — and (b) that a request came in over HTTPS,
from the ``X-Forwarded-Proto`` header the proxy sets.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from madoguchi.common.env import PublicURL

# The key ``./dev run`` uses when nothing is set: anyone can read it in git.
LOCAL_SECRET_KEY = "madoguchi-local-only-not-for-production"

ONE_YEAR = 365 * 24 * 60 * 60


def public_url_settings(
    url: PublicURL,
    *,
    secret_key: str,
    allowed_hosts: list[str],
    hsts_seconds: int = ONE_YEAR,
    hsts_preload: bool = False,
) -> dict[str, object]:
    """Django settings for serving at ``url`` behind the proxy.

    Refuses the built-in secret key: a public site signing sessions and CSRF
    tokens with a key published in the repository is not protected at all."""
    if not secret_key or secret_key == LOCAL_SECRET_KEY:
        raise ImproperlyConfigured(
            "MADOGUCHI_PUBLIC_URL を設定するときは、MADOGUCHI_SECRET_KEY に"
            "長いランダムな文字列を設定してください(作り方は docs/operations.md)"
        )
    settings: dict[str, object] = {
        "ALLOWED_HOSTS": [*allowed_hosts, url.host]
        if url.host not in allowed_hosts
        else allowed_hosts,
        "CSRF_TRUSTED_ORIGINS": [url.origin],
        # Only the proxy can reach gunicorn (it listens on 127.0.0.1), so its
        # headers can be believed; the proxy must overwrite them, never pass on
        # the client's. Django still checks the forwarded host against ALLOWED_HOSTS.
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "USE_X_FORWARDED_HOST": True,
    }
    if url.is_https:
        settings |= {
            "SESSION_COOKIE_SECURE": True,
            "CSRF_COOKIE_SECURE": True,
            # A request the proxy forwarded from plain http (X-Forwarded-Proto: http)
            # is sent to https; one that came over https is not (the header says so).
            "SECURE_SSL_REDIRECT": True,
            "SECURE_HSTS_SECONDS": hsts_seconds,
            # Subdomains of the madoguchi host only (not the city's whole domain).
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": hsts_seconds > 0,
            "SECURE_HSTS_PRELOAD": hsts_preload and hsts_seconds > 0,
        }
    return settings
