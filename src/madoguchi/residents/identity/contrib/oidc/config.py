"""The OIDC plugin's settings (``settings.MADOGUCHI_OIDC``) and what they lack."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class OIDCConfig:
    discovery_url: str
    client_id: str
    client_secret: str
    scopes: str
    name: str
    issuer: str  # expected issuer; "" = the discovery document's

    @classmethod
    def current(cls) -> OIDCConfig:
        raw = dict(getattr(settings, "MADOGUCHI_OIDC", {}) or {})
        return cls(
            discovery_url=raw.get("discovery_url", "").strip(),
            client_id=raw.get("client_id", "").strip(),
            client_secret=raw.get("client_secret", ""),
            scopes=raw.get("scopes", "openid profile address").strip(),
            name=raw.get("name", "OpenID Connect"),
            issuer=raw.get("issuer", "").strip(),
        )

    def problems(self) -> list[str]:
        found = []
        if not self.discovery_url:
            found.append(
                _(
                    "MADOGUCHI_OIDC_DISCOVERY_URL(IdP の .well-known/openid-configuration の URL)が未設定です"
                )
            )
        else:
            parts = urlsplit(self.discovery_url)
            local = parts.hostname in ("127.0.0.1", "localhost", "::1")
            if parts.scheme != "https" and not (parts.scheme == "http" and local):
                found.append(
                    _("MADOGUCHI_OIDC_DISCOVERY_URL は https:// で始まる URL にしてください")
                )
        if not self.client_id:
            found.append(_("MADOGUCHI_OIDC_CLIENT_ID(IdP に登録したクライアント ID)が未設定です"))
        if not self.client_secret:
            found.append(_("MADOGUCHI_OIDC_CLIENT_SECRET(クライアントシークレット)が未設定です"))
        if "openid" not in self.scopes.split():
            found.append(_("MADOGUCHI_OIDC_SCOPES には openid を含めてください"))
        return found
