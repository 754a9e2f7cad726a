"""The OpenID Connect plugin against a real OpenID Connect provider
(django-oidc-provider, ``oidc_idp/``) running in its own process: the whole
authorization code flow over HTTP, PKCE, state, nonce, issuer, signature."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from django.urls import reverse

from madoguchi.residents.identity import verified_identity_for
from madoguchi.residents.identity.contrib.oidc import discovery
from madoguchi.residents.identity.contrib.oidc.plugin import SESSION_KEY
from madoguchi.residents.models import VerifiedIdentity
from tests.smtp import free_port

pytestmark = pytest.mark.django_db

IDP_DIR = Path(__file__).resolve().parent / "oidc_idp"
REDIRECT_URI = "http://testserver/mypage/identity/oidc/complete/"


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    """The provider's base URL; it is stopped when the module's tests are done."""
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    env = {
        "PATH": "/usr/bin:/bin",
        "IDP_SITE_URL": site,
        "IDP_DB": str(tmp_path_factory.mktemp("idp") / "idp.sqlite3"),
    }
    process = subprocess.Popen(
        [sys.executable, str(IDP_DIR / "serve.py"), str(port), REDIRECT_URI],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"the test IdP did not start: {process.stderr.read()}")
            try:
                httpx.get(f"{site}/openid/.well-known/openid-configuration", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("the test IdP did not answer within 60 s")
        yield site
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def oidc(settings, idp):
    settings.MADOGUCHI_IDENTITY_PROVIDERS = ["oidc"]
    settings.MADOGUCHI_OIDC = {
        "discovery_url": f"{idp}/openid/.well-known/openid-configuration",
        "client_id": "madoguchi",
        "client_secret": "rp-secret",
        "scopes": "openid profile address",
        "name": "テスト用 IdP",
    }
    discovery.clear()
    yield settings.MADOGUCHI_OIDC
    discovery.clear()


def sign_in_at_the_idp(authorize_url: str, username: str = "takahashi") -> str:
    """A browser at the IdP: log in there, and come back with the redirect to us."""
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        response = browser.get(authorize_url)
        assert response.status_code == 302 and "/login/" in response.headers["location"]
        login_url = httpx.URL(authorize_url).join(response.headers["location"])
        form = browser.get(login_url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
        nxt = re.search(r'name="next" value="([^"]*)"', form.text)[1].replace("&amp;", "&")
        response = browser.post(
            login_url,
            data={
                "csrfmiddlewaretoken": token,
                "username": username,
                "password": "idp-pass-2026",
                "next": nxt,
            },
            headers={"Referer": str(login_url)},
        )
        assert response.status_code == 302, response.text
        response = browser.get(login_url.join(response.headers["location"]))
        assert response.status_code == 302, response.text
        back = response.headers["location"]
        assert back.startswith(REDIRECT_URI), back
        return back


def begin(client) -> str:
    response = client.post(reverse("residents:identity_begin", args=["oidc"]))
    assert response.status_code == 302
    url = response["Location"]
    query = dict(httpx.URL(url).params)
    assert query["code_challenge_method"] == "S256" and query["nonce"] and query["state"]
    return url


def come_back(client, back: str):
    parts = urlsplit(back)
    return client.get(f"{parts.path}?{parts.query}")


@pytest.fixture
def resident(client, takahashi):
    client.force_login(takahashi)
    return client


def test_the_full_flow_records_the_four_facts_without_the_my_number(resident, takahashi, oidc):
    back = sign_in_at_the_idp(begin(resident))
    response = come_back(resident, back)
    assert response.status_code == 302
    identity = verified_identity_for(takahashi)
    assert identity is not None, resident.get(reverse("residents:identity")).content.decode()
    assert identity.provider == "oidc"
    assert identity.name == "高橋 健太" and identity.name_kana == "たかはし\u3000けんた"
    assert identity.address == "東京都千代田区千代田1-1"
    assert identity.birth_date == date(1992, 6, 15) and identity.sex == "male"
    stored = " ".join(str(v) for v in VerifiedIdentity.objects.values().get().values())
    assert "123456789018" not in stored
    assert SESSION_KEY not in resident.session  # state, nonce, verifier used once


def test_a_provider_whose_sub_is_twelve_digits_works_and_it_is_not_kept(resident, takahashi, oidc):
    from madoguchi.residents.identity.store import subject_hash

    back = sign_in_at_the_idp(begin(resident), username="numbered")
    response = come_back(resident, back)
    assert response.status_code == 302  # not a 500
    identity = verified_identity_for(takahashi)
    assert identity is not None and identity.name == "高橋 健太"
    stored = " ".join(str(v) for v in VerifiedIdentity.objects.values().get().values())
    assert "246813579024" not in stored and "123456789018" not in stored
    assert identity.subject_hash != subject_hash("oidc", "246813579024")
    assert "246813579024" not in str(dict(resident.session))


def test_a_bad_state_is_refused(resident, takahashi, oidc):
    back = sign_in_at_the_idp(begin(resident))
    come_back(resident, back.replace("state=", "state=forged"))
    assert verified_identity_for(takahashi) is None


def test_a_wrong_nonce_is_refused(resident, takahashi, oidc):
    back = sign_in_at_the_idp(begin(resident))
    session = resident.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "nonce": "not-the-one-sent"}
    session.save()
    response = come_back(resident, back)
    assert verified_identity_for(takahashi) is None
    page = resident.get(response["Location"]).content.decode()
    assert "本人確認を完了できませんでした" in page


def test_a_token_from_another_issuer_is_refused(resident, takahashi, oidc, settings):
    settings.MADOGUCHI_OIDC = {**oidc, "issuer": "https://idp.example.jp/openid"}
    back = sign_in_at_the_idp(begin(resident))
    come_back(resident, back)
    assert verified_identity_for(takahashi) is None


def test_a_discovery_document_for_another_issuer_is_refused(resident, oidc, settings, idp):
    port = urlsplit(idp).port
    settings.MADOGUCHI_OIDC = {
        **oidc,
        "discovery_url": f"http://localhost:{port}/openid/.well-known/openid-configuration",
    }
    response = resident.post(reverse("residents:identity_begin", args=["oidc"]))
    assert response["Location"] == reverse("residents:identity")
    assert "発行者" in resident.get(response["Location"]).content.decode()


def test_an_unreachable_provider_is_said_plainly(resident, oidc, settings):
    settings.MADOGUCHI_OIDC = {
        **oidc,
        "discovery_url": f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration",
    }
    response = resident.post(reverse("residents:identity_begin", args=["oidc"]))
    page = resident.get(response["Location"]).content.decode()
    assert "本人確認サービスに接続できませんでした" in page
