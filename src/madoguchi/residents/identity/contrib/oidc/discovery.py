"""The IdP's metadata and signing keys, fetched over HTTPS and kept a few minutes."""

from __future__ import annotations

import time

import httpx
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from joserfc.jwk import KeySet

from madoguchi.residents.identity.registry import IdentityError

TIMEOUT = 10.0
KEEP_SECONDS = 300
_cache: dict[str, tuple[float, object]] = {}

UNREACHABLE = gettext_lazy(
    "本人確認サービスに接続できませんでした。時間をおいてもう一度お試しください"
)


def _get_json(url: str) -> dict:
    try:
        response = httpx.get(url, timeout=TIMEOUT, follow_redirects=False)
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError):
        raise IdentityError(UNREACHABLE) from None


def _kept(key: str, load):
    now = time.monotonic()
    found = _cache.get(key)
    if found and now - found[0] < KEEP_SECONDS:
        return found[1]
    value = load()
    _cache[key] = (now, value)
    return value


def clear() -> None:
    _cache.clear()


def metadata(discovery_url: str) -> dict:
    """The discovery document; its issuer must be where we found it (OIDC Discovery §4.3)."""

    def load() -> dict:
        meta = _get_json(discovery_url)
        needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if not all(isinstance(meta.get(k), str) for k in needed):
            raise IdentityError(_("本人確認サービスの設定を読み取れませんでした"))
        expected = discovery_url.split("/.well-known/")[0].rstrip("/")
        if meta["issuer"].rstrip("/") != expected:
            raise IdentityError(_("本人確認サービスの発行者(issuer)が設定と一致しません"))
        return meta

    return _kept(f"meta:{discovery_url}", load)


def key_set(jwks_uri: str, *, refresh: bool = False) -> KeySet:
    if refresh:
        _cache.pop(f"jwks:{jwks_uri}", None)
    return _kept(f"jwks:{jwks_uri}", lambda: KeySet.import_key_set(_get_json(jwks_uri)))
