"""The department's side of the correspondence: the clerk's message and 補正依頼
forms (``backoffice/_correspondence.html``), the stale page, the department scope.
Everyone signs in through the real forms (the clerks with their second factor)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from madoguchi.applications import correspondence
from madoguchi.applications.models import MESSAGE_FILES, Attachment, Message, Status
from madoguchi.common.models import AuditEvent
from tests.applications.conftest import png_bytes
from tests.applications.test_correspondence import in_review, make_clerk

from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(kosodate):
    """子育て支援課 (kosodate)'s clerk 小林さん, with her TOTP authenticator."""
    return kosodate


@pytest.fixture
def as_clerk(clerk):
    return client_for(clerk)


def url(name, app):
    return reverse(f"backoffice:{name}", args=[app.public_id])


def panel(client, app) -> str:
    """The correspondence part of the detail page, as the clerk's browser gets it."""
    request = RequestFactory().get("/office/")
    request.user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    request.session = client.session
    app.refresh_from_db()
    html = render_to_string(
        "backoffice/_correspondence.html", {"app": app, "request": request}, request=request
    )
    request.session.save()
    return html


def test_the_clerk_writes_and_the_resident_reads(as_clerk, clerk, takahashi):
    app = in_review(takahashi, clerk)
    note = SimpleUploadedFile("annai.png", png_bytes(), "image/png")
    response = as_clerk.post(
        url("send_message", app), {"body": "所得証明書を送ってください", "attachment": note}
    )
    assert response.status_code == 302 and response.url.endswith("#correspondence")
    html = panel(as_clerk, app)
    assert "所得証明書を送ってください" in html and "annai.png" in html
    assert "補正を依頼する" in html and f'value="{app.revision}"' in html
    (attachment,) = Attachment.objects.filter(field_id=MESSAGE_FILES)
    download = as_clerk.get(
        reverse("backoffice:message_file", args=[app.public_id, attachment.public_id])
    )
    assert download.status_code == 200
    assert AuditEvent.objects.filter(actor=clerk, action="download").exists()

    page = (
        client_for(takahashi)
        .get(reverse("applications:detail", args=[app.public_id]))
        .content.decode()
    )
    assert "所得証明書を送ってください" in page and "annai.png" in page


def test_the_clerk_asks_for_a_correction_of_named_fields(as_clerk, clerk, takahashi):
    app = in_review(takahashi, clerk)
    html = panel(as_clerk, app)
    assert 'name="fields" value="phone"' in html and "日中に連絡がとれる電話番号" in html
    response = as_clerk.post(
        url("request_correction", app),
        {"fields": ["phone", "bank_account"], "note": "確かめてください", "revision": app.revision},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.CORRECTION
    assert app.correction_requests.get().field_ids == ["phone", "bank_account"]
    html = panel(as_clerk, app)
    assert "補正を依頼中です" in html and "補正を依頼する</button>" not in html


def test_the_thread_names_the_clerk_family_name_first(as_clerk, clerk, takahashi):
    """As everywhere else in the back office (``staff_name``): 小林 さくら, not
    Django's ``get_full_name`` order (さくら 小林)."""
    clerk.last_name, clerk.first_name = "小林", "さくら"
    clerk.save(update_fields=["last_name", "first_name"])
    app = in_review(takahashi, clerk)
    as_clerk.post(
        url("request_correction", app),
        {"fields": ["phone"], "note": "確かめてください", "revision": app.revision},
    )
    html = panel(as_clerk, app)
    assert "小林 さくら(担当課)" in html
    assert "さくら 小林" not in html


def test_a_stale_page_tells_the_clerk_and_keeps_the_note(as_clerk, clerk, takahashi):
    app = in_review(takahashi, clerk)
    seen = app.revision
    correspondence.post_message(app, author=clerk, from_staff=True, body="先に一言")
    other = make_clerk("clerk-2")
    correspondence.request_correction(
        app, actor=other, field_ids=["phone"], note="先の依頼", expected_revision=seen
    )
    response = as_clerk.post(
        url("request_correction", app),
        {"fields": ["bank_account"], "note": "金融機関名を確かめてください", "revision": seen},
    )
    assert response.status_code == 302
    assert app.correction_requests.count() == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("ほかの方がこの申請を先に更新しました" in m for m in messages)
    # Back in 審査中 (the resident corrected), the form shows the clerk's note again.
    app.refresh_from_db()
    correspondence.submit_correction(
        app,
        user=takahashi,
        post={"phone": "0277-76-1234"},
        expected_revision=app.revision,
    )
    html = panel(as_clerk, app)
    assert "金融機関名を確かめてください" in html
    assert 'value="bank_account" id="id_fields_' in html and "checked" in html


def test_other_departments_and_residents_get_404(clerk, hoken, takahashi):
    app = in_review(takahashi, clerk)
    client = client_for(hoken)  # 保険年金課's clerk, fully signed in
    assert client.post(url("send_message", app), {"body": "やあ"}).status_code == 404
    assert (
        client.post(
            url("request_correction", app),
            {"fields": ["phone"], "note": "x", "revision": app.revision},
        ).status_code
        == 404
    )
    client = client_for(takahashi)  # a resident, not staff
    assert client.post(url("send_message", app), {"body": "やあ"}).status_code == 404
    assert not Message.objects.exists()
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW
