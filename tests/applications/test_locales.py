"""The procedure in the resident's language everywhere it is named (MyPage, the
form, the review, the receipt, the PDF, the mail); in English the PDF has Western
dates only and an English file name; lists are joined the language's way."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from madoguchi.applications import correspondence, workflow
from madoguchi.applications.models import Application, Status
from madoguchi.catalog.registry import current_catalog
from madoguchi.common.japanese import join_list

from .conftest import CLAIM, claim_post
from .test_views import verify

pytestmark = pytest.mark.django_db

NAMES = {"ja": current_catalog().procedures[CLAIM].name.ja}
NAMES["en"] = current_catalog().procedures[CLAIM].name.en


@pytest.fixture(params=["ja", "en"])
def lang(request, client, settings, takahashi, files_dir):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = request.param
    client.force_login(takahashi)
    return request.param


def test_the_catalogue_has_both_names():
    assert NAMES["en"] and NAMES["en"] != NAMES["ja"]


def test_the_procedure_is_named_in_the_residents_language_everywhere(
    client, lang, takahashi, smtp_server, django_capture_on_commit_callbacks
):
    other = "en" if lang == "ja" else "ja"
    start = client.post(reverse("applications:start", args=[CLAIM]))
    app = Application.objects.get(public_id=start.url.split("/")[-3])
    pages = {"form": client.get(start.url)}
    response = client.post(start.url, claim_post(action="review"))
    verify(takahashi)
    pages["review"] = client.get(response.url)
    pages["mypage list"] = client.get(reverse("applications:list"))
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("applications:submit", args=[app.public_id]), {"agree": "yes"})
    pages["receipt"] = client.get(done.url)
    pages["detail"] = client.get(reverse("applications:detail", args=[app.public_id]))
    pages["mypage"] = client.get(reverse("residents:mypage"))
    for where, page in pages.items():
        html = page.content.decode()
        assert NAMES[lang] in html, where
        assert NAMES[other] not in html, where
    (mail,) = smtp_server.wait_for(1)
    assert NAMES[lang] in smtp_server.text(mail)

    pdf = client.get(reverse("applications:receipt_pdf", args=[app.public_id]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert NAMES[lang].replace(" ", "") in text.replace(" ", "").replace("\n", "")
    disposition = pdf["Content-Disposition"]
    app.refresh_from_db()
    if lang == "en":
        assert "令和" not in text and "昭和" not in text
        assert "2026" in text  # the child's birth date, Western
        assert "%E7%94%B3" not in disposition  # 申 percent-encoded: no Japanese name
        assert f"receipt_{app.receipt_number}.pdf" in disposition
    else:
        assert "令和" in text
        assert "%E7%94%B3%E8%AB%8B%E6%9B%B8%E6%8E%A7%E3%81%88" in disposition  # 申請書控え


def test_the_fields_of_a_correction_are_listed_the_languages_way(client, lang, takahashi):
    from .test_correspondence import make_clerk
    from .test_submission import new_draft, send

    clerk = make_clerk()
    app = new_draft(takahashi, post=claim_post())
    send(app, takahashi)
    app.refresh_from_db()
    workflow.move(app, Status.IN_REVIEW, actor=clerk, by="staff", expected_revision=app.revision)
    app.refresh_from_db()
    correspondence.request_correction(
        app, actor=clerk, field_ids=["phone", "bank_account"], note="確かめてください",
        expected_revision=app.revision,
    )  # fmt: skip
    spec = app.spec
    labels = [spec.field("phone").label.get(lang), spec.field("bank_account").label.get(lang)]
    html = client.get(reverse("applications:detail", args=[app.public_id])).content.decode()
    assert join_list(labels, lang) in html
    if lang == "en":
        assert "、".join(labels) not in html


def test_join_list():
    assert join_list(["a", "b"], "ja") == "a、b"
    assert join_list(["a", "b"], "en") == "a, b"
