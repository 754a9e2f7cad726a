"""Behind the HTTPS reverse proxy: MADOGUCHI_PUBLIC_URL and what follows from it.

The city's IT staff set the address residents use; forms must then pass CSRF,
cookies must be secure, http must go to https, and ``check --deploy`` must be
clean with the settings docs/operations.md gives.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from madoguchi.common.deploy import LOCAL_SECRET_KEY, public_url_settings
from madoguchi.common.env import env_int, env_public_url, parse_public_url

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "docs" / "operations.md"
PUBLIC = "https://madoguchi.example.jp"
A_REAL_KEY = secrets.token_urlsafe(50)


# --- reading the setting ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "origin", "host"),
    [
        ("https://madoguchi.example.jp", "https://madoguchi.example.jp", "madoguchi.example.jp"),
        (
            "https://Madoguchi.Example.jp:443/",
            "https://madoguchi.example.jp",
            "madoguchi.example.jp",
        ),
        ("http://10.1.2.3:8080", "http://10.1.2.3:8080", "10.1.2.3"),
        ("https://窓口.example.jp", "https://xn--6or331g.example.jp", "xn--6or331g.example.jp"),
        ("https://[2001:db8::1]", "https://[2001:db8::1]", "[2001:db8::1]"),
    ],
)
def test_public_url_is_read_as_browsers_send_the_origin(monkeypatch, raw, origin, host):
    monkeypatch.setenv("MADOGUCHI_PUBLIC_URL", raw)
    url = env_public_url("MADOGUCHI_PUBLIC_URL")
    assert (url.origin, url.host) == (origin, host)


def test_public_url_unset_means_local(monkeypatch):
    monkeypatch.delenv("MADOGUCHI_PUBLIC_URL", raising=False)
    assert env_public_url("MADOGUCHI_PUBLIC_URL") is None


@pytest.mark.parametrize(
    "raw",
    [
        "madoguchi.example.jp",  # no scheme
        "ftp://madoguchi.example.jp",
        "https://madoguchi.example.jp/guide/",  # a path
        "https://madoguchi.example.jp/?a=1",
        "https://madoguchi.example.jp#top",
        "https://admin:pw@madoguchi.example.jp",
        "https://madoguchi.example.jp:99999",
        "https://madoguchi example.jp",
        "https://",
    ],
)
def test_a_bad_public_url_stops_with_one_japanese_line(monkeypatch, raw):
    monkeypatch.setenv("MADOGUCHI_PUBLIC_URL", raw)
    with pytest.raises(ImproperlyConfigured) as caught:
        env_public_url("MADOGUCHI_PUBLIC_URL")
    message = str(caught.value)
    assert message.startswith("MADOGUCHI_PUBLIC_URL=") and "\n" not in message
    assert (
        "指定してください" in message
        or "付けられません" in message
        or "正しくありません" in message
    )


def test_hsts_seconds_must_be_a_whole_number(monkeypatch):
    monkeypatch.setenv("MADOGUCHI_HSTS_SECONDS", "一年")
    with pytest.raises(ImproperlyConfigured, match="MADOGUCHI_HSTS_SECONDS"):
        env_int("MADOGUCHI_HSTS_SECONDS", 0)
    monkeypatch.setenv("MADOGUCHI_HSTS_SECONDS", "3600")
    assert env_int("MADOGUCHI_HSTS_SECONDS", 0) == 3600


# --- what follows from it ----------------------------------------------------------


def proxy_settings(url: str = PUBLIC, **kwargs) -> dict:
    return public_url_settings(
        parse_public_url(url), secret_key=A_REAL_KEY, allowed_hosts=["127.0.0.1"], **kwargs
    )


def test_https_address_gives_secure_cookies_redirect_and_hsts():
    derived = proxy_settings()
    assert derived["ALLOWED_HOSTS"] == ["127.0.0.1", "madoguchi.example.jp"]
    assert derived["CSRF_TRUSTED_ORIGINS"] == [PUBLIC]
    assert derived["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert derived["SESSION_COOKIE_SECURE"] and derived["CSRF_COOKIE_SECURE"]
    assert derived["SECURE_SSL_REDIRECT"]
    assert derived["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert derived["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and not derived["SECURE_HSTS_PRELOAD"]


def test_hsts_can_be_tuned_or_switched_off():
    assert proxy_settings(hsts_seconds=3600)["SECURE_HSTS_SECONDS"] == 3600
    off = proxy_settings(hsts_seconds=0)
    assert off["SECURE_HSTS_SECONDS"] == 0 and not off["SECURE_HSTS_INCLUDE_SUBDOMAINS"]


def test_plain_http_address_sets_no_secure_only_settings():
    derived = proxy_settings("http://10.1.2.3:8080")
    assert derived["CSRF_TRUSTED_ORIGINS"] == ["http://10.1.2.3:8080"]
    assert "SECURE_SSL_REDIRECT" not in derived and "SESSION_COOKIE_SECURE" not in derived


@pytest.mark.parametrize("key", [LOCAL_SECRET_KEY, ""])
def test_the_built_in_key_is_refused_for_a_public_site(key):
    with pytest.raises(ImproperlyConfigured, match="MADOGUCHI_SECRET_KEY"):
        public_url_settings(parse_public_url(PUBLIC), secret_key=key, allowed_hosts=[])


# --- through Django ----------------------------------------------------------------


@pytest.fixture
def behind_proxy(settings):
    for name, value in proxy_settings().items():
        setattr(settings, name, value)
    return settings


def via_proxy(client: Client, method: str, path: str, proto: str = "https", **kwargs):
    headers = {
        "Host": "madoguchi.example.jp",
        "X-Forwarded-Proto": proto,
        **kwargs.pop("headers", {}),
    }
    return getattr(client, method)(path, headers=headers, **kwargs)


def csrf_token_from(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def switch_language(client: Client, origin: str):
    """The language button's form (on every page): GET the page, POST the form."""
    page = via_proxy(client, "get", "/")
    assert page.status_code == 200
    token = csrf_token_from(page.content.decode())
    return via_proxy(
        client,
        "post",
        "/i18n/setlang/",
        data={"csrfmiddlewaretoken": token, "language": "en", "next": "/"},
        headers={"Origin": origin, "Referer": f"{origin}/"},
    )


@pytest.mark.django_db
def test_a_form_posted_through_the_proxy_passes_csrf(behind_proxy):
    response = switch_language(Client(enforce_csrf_checks=True), PUBLIC)
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


@pytest.mark.django_db
def test_without_the_public_url_the_same_post_fails_csrf(settings):
    # What every form did before MADOGUCHI_PUBLIC_URL: the browser's https origin
    # is not the http request gunicorn sees.
    settings.ALLOWED_HOSTS = ["madoguchi.example.jp"]
    response = switch_language(Client(enforce_csrf_checks=True), PUBLIC)
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_post_from_another_site_is_still_refused(behind_proxy):
    response = switch_language(Client(enforce_csrf_checks=True), "https://evil.example.com")
    assert response.status_code == 403


@pytest.mark.django_db
def test_plain_http_through_the_proxy_goes_to_https(behind_proxy):
    response = via_proxy(Client(), "get", "/guide/birth/", proto="http")
    assert response.status_code == 301
    assert response["Location"] == "https://madoguchi.example.jp/guide/birth/"
    secure = via_proxy(Client(), "get", "/")
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert secure.cookies["csrftoken"]["secure"]


# --- as the server starts ----------------------------------------------------------


def production_environment() -> dict[str, str]:
    """The settings docs/operations.md gives for production, as a shell would set them."""
    block = re.search(r"```sh\n(# 本番の設定.*?)```", OPERATIONS.read_text(), re.S)
    assert block, "docs/operations.md: the 本番の設定 example is missing"
    # A production shell has neither our settings nor the browser tests' async switch
    # (tests/e2e/conftest.py sets it in this process; the order of tests is random).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MADOGUCHI_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    for name, value in re.findall(r"^export (MADOGUCHI_\w+)=(.*)$", block.group(1), re.M):
        env[name] = value.strip("'\"")
    assert "MADOGUCHI_PUBLIC_URL" in env and "MADOGUCHI_SECRET_KEY" in env
    env["MADOGUCHI_SECRET_KEY"] = A_REAL_KEY  # the docs show how to make one
    env["MADOGUCHI_CATALOG_DIR"] = str(ROOT / "municipalities" / "example")
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_environment())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_the_server_refuses_to_start_with_the_built_in_key():
    env = production_environment()
    del env["MADOGUCHI_SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert "MADOGUCHI_SECRET_KEY" in last_line
