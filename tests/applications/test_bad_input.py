"""The application form takes nothing impossible silently and never answers 500:
odd row numbers, names with control characters, births in 2999, PDFs that are web
pages, long file names, requests far too large, a file removed after the review."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from madoguchi.applications import files
from madoguchi.applications.models import Application, Status
from madoguchi.applications.submission import NotReady

from .conftest import claim_post, pdf_bytes, png_bytes
from .test_submission import new_draft, send
from .test_views import start

pytestmark = pytest.mark.django_db
LIMITS = files.Limits(("pdf", "jpeg", "png"), 1024 * 1024, 10)


@pytest.fixture
def as_takahashi(client, takahashi, files_dir):
    client.force_login(takahashi)
    return client


def edit_url(app) -> str:
    return reverse("applications:edit", args=[app.public_id])


@pytest.mark.parametrize(
    "value", ["children:²", "children:١", "children:" + "9" * 30, "children:-1", "nosuch:0", ":"]
)
def test_removing_a_row_with_a_strange_number_changes_nothing(as_takahashi, value):
    app = start(as_takahashi)
    response = as_takahashi.post(edit_url(app), claim_post(remove_row=value))
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.draft_input["children-TOTAL_FORMS"] == "1"
    assert app.draft_input["children-0-child_name__name"] == "高橋 陽翔"


def test_a_row_count_of_many_digits_is_no_row(as_takahashi):
    app = start(as_takahashi)
    post = claim_post(**{"children-TOTAL_FORMS": "9" * 30}, add_row="children")
    assert as_takahashi.post(edit_url(app), post).status_code == 302


def problems(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("name", ["高橋\x1b[31m太郎", "高橋\u202e太郎", "高橋😀", "高橋\x7f"])
def test_a_name_with_control_characters_or_emoji_is_refused(as_takahashi, name):
    app = start(as_takahashi)
    page = problems(as_takahashi.post(edit_url(app), claim_post(claimant_name__name=name)))
    assert "氏名に使えない文字" in page
    app.refresh_from_db()
    assert app.data.get("claimant_name", {}).get("name") != name


def test_free_text_with_a_bidi_override_is_refused(as_takahashi):
    app = start(as_takahashi)
    page = problems(
        as_takahashi.post(
            edit_url(app), claim_post(claimant_address__address="東京都千代田区\u202e千代田1-1")
        )
    )
    assert "使えない文字" in page


@pytest.mark.parametrize(("year", "said"), [("2999", "今日より後"), ("1000", "1900年1月1日")])
def test_a_child_born_in_2999_or_1000_is_refused(as_takahashi, year, said):
    app = start(as_takahashi)
    post = claim_post(**{"children-0-child_birth_date_year": year})
    assert said in problems(as_takahashi.post(edit_url(app), post))


def test_a_year_of_20_digits_is_explained(as_takahashi):
    app = start(as_takahashi)
    post = claim_post(**{"claimant_birth_date_era": "西暦", "claimant_birth_date_year": "9" * 20})
    assert "年が正しくありません" in problems(as_takahashi.post(edit_url(app), post))


# Files


def keep(app, name: str, content: bytes):
    with files.atomic_with_files():
        return files.store(app, "insurance_document", SimpleUploadedFile(name, content), LIMITS)


POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"


@pytest.mark.parametrize(
    "content",
    [
        POLYGLOT,
        pdf_bytes() + b"<html><script>alert(1)</script></html>",
        pdf_bytes()[: len(pdf_bytes()) // 2],  # cut short
        b"%PDF-1.4\n%%EOF\n",
    ],
)
def test_a_pdf_that_is_not_a_whole_pdf_or_holds_a_web_page_is_refused(
    takahashi, files_dir, content
):
    app = new_draft(takahashi)
    with pytest.raises(files.FileRefused, match="PDFとして開けません"):
        keep(app, "poly.html", content)
    assert not app.attachments.exists()


def test_a_real_pdf_sent_under_another_name_is_kept_with_the_pdf_extension(takahashi, files_dir):
    app = new_draft(takahashi)
    assert keep(app, "poly.html", pdf_bytes()).original_name == "poly.pdf"
    assert keep(app, "スキャン", pdf_bytes(2)).original_name == "スキャン.pdf"
    assert keep(app, "写真.JPG.png", png_bytes()).original_name == "写真.JPG.png"
    assert keep(app, "写真.jpg", png_bytes()).original_name == "写真.png"


def test_a_long_name_is_cut_in_its_stem_and_keeps_its_extension(takahashi, files_dir):
    app = new_draft(takahashi)
    kept = keep(app, "長" * 300 + ".pdf", pdf_bytes())
    assert kept.original_name.endswith(".pdf") and len(kept.original_name) == files.NAME_MAX
    assert keep(app, "x" * 300 + ".PNG", png_bytes()).original_name.endswith("x.PNG")


def test_files_are_always_downloads_never_shown_as_pages(as_takahashi, takahashi):
    app = start(as_takahashi)
    found = keep(app, "書類.pdf", pdf_bytes())
    response = as_takahashi.get(reverse("applications:file", args=[app.public_id, found.public_id]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


# The size of a whole request


def test_a_request_over_the_limit_is_refused_before_it_is_read(as_takahashi, settings):
    settings.MADOGUCHI_MAX_REQUEST_BYTES = 1024 * 1024
    app = start(as_takahashi)
    as_takahashi.post(edit_url(app), claim_post())  # what was saved before
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024))
    response = as_takahashi.post(
        edit_url(app), dict(claim_post(phone="03-1111-2222"), insurance_document=big)
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "送る内容が大きすぎます" in page and "1MB" in page
    assert "下書きは、そのまま残っています" in page
    app.refresh_from_db()
    assert app.data["phone"] == "090-1234-5678"  # the draft is intact
    assert not app.attachments.exists()


def test_a_body_without_a_length_is_counted_as_it_is_read(as_takahashi, settings):
    """A chunked body (no Content-Length, or a false one) is stopped at the limit
    by the upload handler, with the same page."""
    settings.MADOGUCHI_MAX_REQUEST_BYTES = 1024 * 1024
    app = start(as_takahashi)
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024))
    body = encode_multipart(BOUNDARY, dict(claim_post(), insurance_document=big))
    response = as_takahashi.generic(
        "POST", edit_url(app), body, content_type=MULTIPART_CONTENT, CONTENT_LENGTH=str(len(body))
    )
    assert response.status_code == 413  # announced: the middleware
    from madoguchi.common.request_size import RequestTooLarge, SizeLimitUploadHandler

    handler = SizeLimitUploadHandler()
    handler.handle_raw_input(None, {}, None, BOUNDARY)  # chunked: no length known
    handler.receive_data_chunk(b"0" * 1024 * 1024, 0)
    with pytest.raises(RequestTooLarge):
        handler.receive_data_chunk(b"0", 1024 * 1024)


def test_the_api_says_too_large_in_json(client, settings):
    settings.MADOGUCHI_MAX_REQUEST_BYTES = 1024
    response = client.post(
        "/api/v1/guide", b"{" + b" " * 4096 + b"}", content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["detail"][0]["message"]


# The review's shortcut covers the files


def test_a_required_file_removed_after_the_review_stops_the_submission(takahashi, files_dir):
    app = new_draft(takahashi, post=claim_post())
    spec = app.form_spec
    for field in spec["fields"]:
        if field["id"] == "insurance_document":
            field["required"] = True
    app.form_spec = spec
    app.form_version = 999  # a form of its own (parsed specs are cached by version)
    app.save()
    found = keep(app, "保険証.pdf", pdf_bytes())
    app.reviewed_digest = app.input_digest()
    app.save(update_fields=["reviewed_digest"])
    assert app.reviewed

    with files.atomic_with_files():
        files.remove(found)
    app.refresh_from_db()
    assert not app.reviewed
    with pytest.raises(NotReady) as refused:
        send(app, takahashi)
    assert any("健康保険の資格確認書" in reason for reason in refused.value.reasons), (
        refused.value.reasons
    )
    assert Application.objects.get(pk=app.pk).status == Status.DRAFT


def test_a_file_replaced_after_the_review_is_a_change(takahashi, files_dir):
    app = new_draft(takahashi, post=claim_post())
    first = keep(app, "a.png", png_bytes())
    digest = app.input_digest()
    with files.atomic_with_files():
        files.remove(first)
        keep(app, "a.png", png_bytes((41, 30)))
    assert app.input_digest() != digest
