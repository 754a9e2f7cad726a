"""The OpenID Connect provider: authorization code flow with PKCE (S256), state
and nonce, the ID token's signature and claims checked with Authlib/joserfc.

The session keeps state, nonce and the PKCE verifier between ``begin`` and
``complete`` (and nothing else); they are used once and removed."""

from __future__ import annotations

import httpx
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from joserfc import jwt
from joserfc.errors import JoseError

from madoguchi.residents.identity.contrib.oidc import discovery
from madoguchi.residents.identity.contrib.oidc.claims import facts_from_claims
from madoguchi.residents.identity.contrib.oidc.config import OIDCConfig
from madoguchi.residents.identity.registry import (
    IdentityError,
    IdentityProvider,
    VerifiedFacts,
    register,
)

SESSION_KEY = "identity_oidc"
LEEWAY_SECONDS = 60
FAILED = gettext_lazy("本人確認を完了できませんでした。もう一度はじめからお試しください")


@register("oidc")
class OIDCProvider(IdentityProvider):
    name = {"ja": "OpenID Connect", "en": "OpenID Connect"}

    def __init__(self) -> None:
        self.config = OIDCConfig.current()
        self.name = {"ja": self.config.name, "en": self.config.name}

    def check_config(self) -> list[str]:
        return self.config.problems()

    def redirect_uri(self, request: HttpRequest) -> str:
        path = reverse("residents:identity_complete", args=[self.id])
        return request.build_absolute_uri(path)

    def begin(self, request: HttpRequest) -> HttpResponse:
        meta = discovery.metadata(self.config.discovery_url)
        state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
        request.session[SESSION_KEY] = {"state": state, "nonce": nonce, "verifier": verifier}
        url = add_params_to_uri(
            meta["authorization_endpoint"],
            [
                ("response_type", "code"),
                ("client_id", self.config.client_id),
                ("redirect_uri", self.redirect_uri(request)),
                ("scope", self.config.scopes),
                ("state", state),
                ("nonce", nonce),
                ("code_challenge", create_s256_code_challenge(verifier)),
                ("code_challenge_method", "S256"),
            ],
        )
        return HttpResponseRedirect(url)

    def complete(self, request: HttpRequest) -> VerifiedFacts:
        pending = request.session.pop(SESSION_KEY, None)
        if not pending or request.GET.get("state") != pending.get("state"):
            raise IdentityError(FAILED)  # no flow started here, or a forged return
        if request.GET.get("error") or not request.GET.get("code"):
            raise IdentityError(_("本人確認が取り消されたか、うまくいきませんでした"))
        meta = discovery.metadata(self.config.discovery_url)
        tokens = self._tokens(meta, request, pending)
        claims = self._id_token_claims(meta, tokens, pending["nonce"])
        claims.update(self._userinfo(meta, tokens, claims["sub"]))
        return facts_from_claims(claims)

    def _tokens(self, meta: dict, request: HttpRequest, pending: dict) -> dict:
        try:
            response = httpx.post(
                meta["token_endpoint"],
                data={
                    "grant_type": "authorization_code",
                    "code": request.GET["code"],
                    "redirect_uri": self.redirect_uri(request),
                    "code_verifier": pending["verifier"],
                },
                auth=(self.config.client_id, self.config.client_secret),
                timeout=discovery.TIMEOUT,
            )
            tokens = response.json()
        except (httpx.HTTPError, ValueError):
            raise IdentityError(discovery.UNREACHABLE) from None
        if response.status_code != 200 or not tokens.get("id_token"):
            raise IdentityError(FAILED)
        return tokens

    def _id_token_claims(self, meta: dict, tokens: dict, nonce: str) -> dict:
        issuer = self.config.issuer or meta["issuer"]
        algorithms = meta.get("id_token_signing_alg_values_supported") or ["RS256"]
        algorithms = [a for a in algorithms if a != "none"]
        try:
            try:
                keys = discovery.key_set(meta["jwks_uri"])
                token = jwt.decode(tokens["id_token"], keys, algorithms=algorithms)
            except JoseError:  # the IdP may have rotated its keys
                keys = discovery.key_set(meta["jwks_uri"], refresh=True)
                token = jwt.decode(tokens["id_token"], keys, algorithms=algorithms)
            claims = CodeIDToken(
                token.claims,
                token.header,
                options={
                    "iss": {"essential": True, "value": issuer},
                    "aud": {"essential": True, "value": self.config.client_id},
                    "nonce": {"essential": True},
                },
                params={
                    "nonce": nonce,
                    "client_id": self.config.client_id,
                    "access_token": tokens.get("access_token"),
                },
            )
            claims.validate(leeway=LEEWAY_SECONDS)
        except (JoseError, ValueError, KeyError):
            raise IdentityError(FAILED) from None
        return dict(claims)

    def _userinfo(self, meta: dict, tokens: dict, subject: str) -> dict:
        endpoint = meta.get("userinfo_endpoint")
        if not endpoint or not tokens.get("access_token"):
            return {}
        try:
            response = httpx.get(
                endpoint,
                headers={"Authorization": f"Bearer {tokens['access_token']}"},
                timeout=discovery.TIMEOUT,
            )
            info = response.json() if response.status_code == 200 else {}
        except (httpx.HTTPError, ValueError):
            return {}
        if not isinstance(info, dict) or info.get("sub") != subject:
            return {}  # OIDC Core §5.3.2: another person's answer must not be used
        return info
