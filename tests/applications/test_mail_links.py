"""Mail links go where the resident is: MADOGUCHI_PUBLIC_URL when set, else the
address their request came to (host and port), never a localhost default. And
allauth's mail is signed by the town (みどり市), not by the server's host name.
Through the real SMTP server (``smtp_server``)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from madoguchi.common.env import parse_public_url

from .conftest import claim_post
from .test_views import verify

pytestmark = pytest.mark.django_db

HOST = "madoguchi.city.example.jp:8443"


@pytest.fixture
def on_host(client, settings, takahashi, files_dir):
    settings.ALLOWED_HOSTS = ["madoguchi.city.example.jp"]
    settings.MADOGUCHI_LOCAL_URL = "http://127.0.0.1:8000"
    settings.PUBLIC_URL = None
    client.defaults["HTTP_HOST"] = HOST
    client.force_login(takahashi)
    return client


def submit_through_the_site(client, user, capture) -> str:
    response = client.post(reverse("applications:start", args=["child-allowance-claim"]))
    public_id = response.url.split("/")[-3]
    client.post(reverse("applications:edit", args=[public_id]), claim_post(action="review"))
    verify(user)
    with capture(execute=True):
        client.post(reverse("applications:submit", args=[public_id]), {"agree": "yes"})
    return public_id


def links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def test_the_receipt_links_to_the_host_and_port_the_resident_used(
    on_host, takahashi, smtp_server, django_capture_on_commit_callbacks
):
    public_id = submit_through_the_site(on_host, takahashi, django_capture_on_commit_callbacks)
    (mail,) = smtp_server.wait_for(1)
    assert links(smtp_server.text(mail)) == [f"http://{HOST}/mypage/applications/{public_id}/"]


def test_a_notice_links_to_the_public_url_when_it_is_set(
    on_host, takahashi, smtp_server, django_capture_on_commit_callbacks, settings
):
    public_id = submit_through_the_site(on_host, takahashi, django_capture_on_commit_callbacks)
    smtp_server.wait_for(1)
    settings.PUBLIC_URL = parse_public_url("https://madoguchi.city.example.lg.jp")
    with django_capture_on_commit_callbacks(execute=True):
        on_host.post(
            reverse("applications:reply", args=[public_id]), {"body": "よろしくお願いします"}
        )
    mail = smtp_server.wait_for(2)[-1]
    assert links(smtp_server.text(mail)) == [
        f"https://madoguchi.city.example.lg.jp/mypage/applications/{public_id}/"
    ]


def test_allauth_mail_is_signed_by_the_town_with_its_links_on_the_site(
    client, settings, smtp_server
):
    settings.ALLOWED_HOSTS = ["madoguchi.city.example.jp"]
    client.defaults["HTTP_HOST"] = HOST
    client.post(
        reverse("account_signup"),
        {"email": "yamada@example.jp", "password1": "kouen-no-sakura-2026",
         "password2": "kouen-no-sakura-2026"},
    )  # fmt: skip
    (mail,) = smtp_server.wait_for(1)
    text = smtp_server.text(mail)
    assert str(mail["Subject"]).strip().startswith("【みどり市】")
    assert "みどり市" in text and "madoguchi.city.example.jp:8443" not in text.split("\n")[0]
    assert "127.0.0.1" not in text and "localhost" not in text and "testserver" not in text

    # A reset asked for an address without an account: the sign-up link is on the
    # public site.
    settings.PUBLIC_URL = parse_public_url("https://madoguchi.city.example.lg.jp")
    settings.ALLOWED_HOSTS = ["madoguchi.city.example.jp", "madoguchi.city.example.lg.jp"]
    client.post(reverse("account_reset_password"), {"email": "nobody@example.jp"})
    mail = smtp_server.wait_for(2)[-1]
    text = smtp_server.text(mail)
    assert str(mail["Subject"]).strip().startswith("【みどり市】")
    assert links(text) and all(
        u.startswith("https://madoguchi.city.example.lg.jp/") for u in links(text)
    ), text
