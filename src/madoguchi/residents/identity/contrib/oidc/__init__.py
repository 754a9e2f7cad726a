"""A generic OpenID Connect relying party (authorization code + PKCE, state, nonce)."""

from madoguchi.residents.identity.contrib.oidc.plugin import OIDCProvider

__all__ = ["OIDCProvider"]
