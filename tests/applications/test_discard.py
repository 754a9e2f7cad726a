"""Deleting a draft: the button is far from 下書きを保存 and only leads to a page
that says what goes; only that page's button deletes (no JavaScript needed)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from madoguchi.applications.models import Application, Attachment

from .conftest import claim_post, png_bytes
from .test_views import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_takahashi(client, takahashi, files_dir):
    client.force_login(takahashi)
    return client


def test_the_edit_page_links_to_a_confirmation_away_from_the_save_button(as_takahashi):
    app = start(as_takahashi)
    html = as_takahashi.get(reverse("applications:edit", args=[app.public_id])).content.decode()
    discard = reverse("applications:discard", args=[app.public_id])
    # Not a button of a form: a link, after the form's end.
    assert f'action="{discard}"' not in html
    assert html.index(f'href="{discard}"') > html.index("</form>")


def test_a_draft_goes_only_after_the_confirmation_page(as_takahashi):
    app = start(as_takahashi)
    upload = SimpleUploadedFile("保険証.png", png_bytes(), content_type="image/png")
    as_takahashi.post(
        reverse("applications:edit", args=[app.public_id]),
        {**claim_post(), "insurance_document": upload, "action": "save"},
    )
    url = reverse("applications:discard", args=[app.public_id])
    page = as_takahashi.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "下書きを消しますか" in html and "児童手当" in html
    assert "付けたファイル(1個)も消えます" in html
    assert "消さずに下書きにもどる" in html
    # A POST without the page's confirmation (an old page, a stray tap) only asks.
    response = as_takahashi.post(url)
    assert response.status_code == 200 and "下書きを消しますか" in response.content.decode()
    assert Application.objects.filter(pk=app.pk).exists()
    response = as_takahashi.post(url, {"confirm": "yes"})
    assert response.status_code == 302 and response.url == reverse("applications:list")
    assert not Application.objects.filter(pk=app.pk).exists()
    assert Attachment.objects.count() == 0


def test_another_resident_cannot_open_the_page(as_takahashi, saito, client):
    from django.test import Client

    app = start(as_takahashi)
    other = Client()
    other.force_login(saito)
    url = reverse("applications:discard", args=[app.public_id])
    assert other.get(url).status_code == 404
    assert other.post(url, {"confirm": "yes"}).status_code == 404
    assert Application.objects.filter(pk=app.pk).exists()
