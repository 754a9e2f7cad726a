"""The sign-in ends while the resident types (the idle limit passes): the POST
arrives signed out. What was typed is kept in the new anonymous session, and
after signing in again it is saved into the draft, and the page says so."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madoguchi.applications.models import Application
from tests.conftest import CAST_PASSWORD

from .conftest import claim_post
from .test_views import start

pytestmark = pytest.mark.django_db


def sign_in(client: Client, email: str) -> None:
    page = client.get(reverse("account_login")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post(
        reverse("account_login"),
        {"login": email, "password": CAST_PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def expire(client: Client) -> None:
    """As the idle limit does: the server no longer knows the session."""
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )


def test_typed_input_survives_an_expired_sign_in(takahashi, files_dir):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "takahashi@example.jp")
    start_url = reverse("applications:start", args=["child-allowance-claim"])
    start_page = client.get(start_url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', start_page)[1]
    made = client.post(start_url, {"csrfmiddlewaretoken": token})
    app = Application.objects.get(public_id=made.url.split("/")[-3])
    url = reverse("applications:edit", args=[app.public_id])
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]

    expire(client)
    typed = claim_post(
        action="save",
        claimant_address__address="東京都千代田区千代田2-2",
        csrfmiddlewaretoken=token,
    )
    response = client.post(url, typed)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login")) and "next=" in response.url
    app.refresh_from_db()
    assert "千代田2-2" not in str(app.data)  # not saved signed out
    login_page = client.get(response.url).content.decode()
    assert "入力中の内容は、ログインのあとで下書きに戻します" in login_page

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page)[1]
    signed_in = client.post(
        response.url,
        {"login": "takahashi@example.jp", "password": CAST_PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert signed_in.status_code == 302 and signed_in.url == url
    page = client.get(url).content.decode()
    assert "入力していた内容を、下書きに保存しました" in page
    assert "千代田2-2" in page
    app.refresh_from_db()
    assert app.data["claimant_address"]["address"] == "東京都千代田区千代田2-2"
    # Once only: the next visit shows the draft without the message.
    assert "下書きに保存しました" not in client.get(url).content.decode()


def test_someone_else_signing_in_does_not_get_the_input(takahashi, saito, files_dir):
    client = Client()
    client.force_login(takahashi)
    app = start_draft(client)
    url = reverse("applications:edit", args=[app.public_id])
    client.logout()
    client.post(url, claim_post(action="save", claimant_address__address="東京都千代田区千代田3-3"))
    sign_in(client, "saito@example.jp")
    assert client.get(url).status_code == 404
    app.refresh_from_db()
    assert "千代田3-3" not in str(app.data)


def start_draft(client) -> Application:
    return start(client)


# -- the 補正 (correction) form ---------------------------------------------------------


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def test_a_correction_typed_before_the_sign_in_ended_comes_back_unsent(takahashi, files_dir):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from madoguchi.applications.models import Status

    from .conftest import png_bytes
    from .test_correspondence import ask, in_review, make_clerk

    app = in_review(takahashi, make_clerk())
    ask(app, make_clerk("clerk-2"), fields=["phone", "insurance_document"])
    app.refresh_from_db()
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "takahashi@example.jp")
    url = reverse("applications:correct", args=[app.public_id])
    token = _token(client.get(url).content.decode())

    expire(client)
    photo = SimpleUploadedFile("hokensho.png", png_bytes(), "image/png")
    response = client.post(
        url,
        {
            "phone": "0277-76-4321",
            "insurance_document": photo,
            "revision": app.revision,
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    login_page = client.get(response.url).content.decode()
    assert "ログインのあとで修正の画面に戻します" in login_page
    assert "下書きに戻します" not in login_page
    signed_in = client.post(
        response.url,
        {
            "login": "takahashi@example.jp",
            "password": CAST_PASSWORD,
            "csrfmiddlewaretoken": _token(login_page),
        },
    )
    assert signed_in.status_code == 302 and signed_in.url == url

    page = client.get(url).content.decode()
    assert 'value="0277-76-4321"' in page  # what was typed, not the sent 090-…
    assert "入力していた内容を戻しました。まだ送っていません" in page
    assert "選んでいたファイルは" in page and "もう一度ファイルを選んでください" in page
    assert f'name="revision" value="{app.revision}"' in page
    app.refresh_from_db()
    assert app.status == Status.CORRECTION and app.data["phone"] == "090-1234-5678"
    assert not app.attachments.filter(field_id="insurance_document").exists()
    # Once only.
    again = client.get(url).content.decode()
    assert "入力していた内容を戻しました" not in again and "0277-76-4321" not in again


def test_input_kept_from_one_page_is_not_handed_to_another(takahashi, files_dir):
    """The draft's kept input never fills the 補正 form of the same application
    (nor the reverse): each page takes only its own."""
    from .test_correspondence import ask, in_review, make_clerk

    app = in_review(takahashi, make_clerk())
    ask(app, make_clerk("clerk-2"), fields=["phone"])
    client = Client()
    client.post(
        reverse("applications:edit", args=[app.public_id]), {"phone": "0277-76-9999"}
    )  # signed out: kept for the draft page
    sign_in(client, "takahashi@example.jp")
    page = client.get(reverse("applications:correct", args=[app.public_id])).content.decode()
    assert "0277-76-9999" not in page and "入力していた内容を戻しました" not in page
