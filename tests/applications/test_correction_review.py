"""A 補正 answer is not sent in one tap: 「確認へ進む」 checks it and shows what
will be sent (each requested field, now → new, and the new files), with
「修正する」 (back, with what was typed) and 「この内容で送る」."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from madoguchi.applications.models import Attachment, Message, Status

from .conftest import claim_post, png_bytes
from .test_correspondence import _url, ask, in_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(db):
    from .test_correspondence import make_clerk

    return make_clerk()


# The account as the application has it (asked for, sent back unchanged).
BANK = {k: v for k, v in claim_post().items() if k.startswith("bank_account_")}


@pytest.fixture
def as_takahashi(client, takahashi, files_dir):
    client.force_login(takahashi)
    return client


def test_the_answer_is_reviewed_old_to_new_before_it_is_sent(as_takahashi, takahashi, clerk):
    app = in_review(takahashi, clerk)
    ask(app, clerk, fields=["phone", "bank_account"])
    app.refresh_from_db()
    form = as_takahashi.get(_url("correct", app)).content.decode()
    assert "確認へ進む" in form and "修正を送る" not in form
    response = as_takahashi.post(
        _url("correct", app),
        {"phone": "0277-76-1234", **BANK, "revision": app.revision},
    )
    assert response.status_code == 302 and response.url == _url("correct_review", app)
    app.refresh_from_db()
    assert app.status == Status.CORRECTION and app.data["phone"] == "090-1234-5678"
    page = as_takahashi.get(response.url).content.decode()
    assert "修正内容の確認" in page and "まだ送っていません" in page
    assert "090-1234-5678" in page and "0277-76-1234" in page  # now → new
    assert "変更なし" in page  # the account was asked for but not changed
    assert "この内容で送る" in page and f'href="{_url("correct", app)}"' in page

    # 「修正する」: back to the form with what was typed, not the old value.
    back = as_takahashi.get(_url("correct", app)).content.decode()
    assert 'value="0277-76-1234"' in back or 'value="0277761234"' in back
    app.refresh_from_db()
    assert app.status == Status.CORRECTION

    sent = as_takahashi.post(_url("correct_review", app))
    assert sent.status_code == 302 and sent.url == _url("detail", app)
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW and app.data["phone"] == "0277-76-1234"
    assert Message.objects.filter(application=app, kind="corrected").count() == 1
    # Sent once: the review page is gone, a second tap sends nothing more.
    again = as_takahashi.post(_url("correct_review", app))
    assert again.status_code == 302 and again.url == _url("detail", app)
    assert app.versions.count() == 2


def test_the_review_page_needs_a_checked_answer(as_takahashi, takahashi, clerk):
    app = in_review(takahashi, clerk)
    ask(app, clerk, fields=["phone"])
    app.refresh_from_db()
    review = as_takahashi.get(_url("correct_review", app))
    assert review.status_code == 302 and review.url == _url("correct", app)
    assert as_takahashi.post(_url("correct_review", app)).url == _url("correct", app)
    wrong = as_takahashi.post(_url("correct", app), {"phone": "", "revision": app.revision})
    assert wrong.status_code == 200 and "入力内容を確認してください" in wrong.content.decode()
    app.refresh_from_db()
    assert app.status == Status.CORRECTION


def test_a_new_file_is_named_on_the_review_and_sent_only_after(as_takahashi, takahashi, clerk):
    app = in_review(takahashi, clerk)
    ask(app, clerk, fields=["insurance_document"], note="保険証の写しを付けてください")
    app.refresh_from_db()
    first = SimpleUploadedFile("hokensho-1.png", png_bytes(), "image/png")
    as_takahashi.post(_url("correct", app), {"insurance_document": first, "revision": app.revision})
    page = as_takahashi.get(_url("correct_review", app)).content.decode()
    assert "新しいファイル" in page and "hokensho-1.png" in page
    app.refresh_from_db()
    assert app.status == Status.CORRECTION and not app.data.get("insurance_document")

    # Back, the chosen file is said; another file replaces it (the first is removed).
    back = as_takahashi.get(_url("correct", app)).content.decode()
    assert "前の画面で選んだファイル" in back and "hokensho-1.png" in back
    second = SimpleUploadedFile("hokensho-2.png", png_bytes((50, 50)), "image/png")
    as_takahashi.post(
        _url("correct", app), {"insurance_document": second, "revision": app.revision}
    )
    names = set(
        Attachment.objects.filter(application=app, field_id="insurance_document").values_list(
            "original_name", flat=True
        )
    )
    assert "hokensho-1.png" not in names and "hokensho-2.png" in names
    as_takahashi.post(_url("correct_review", app))
    app.refresh_from_db()
    (attachment,) = Attachment.objects.filter(application=app, original_name="hokensho-2.png")
    assert app.status == Status.IN_REVIEW
    assert app.data["insurance_document"] == [str(attachment.public_id)]


def test_another_resident_cannot_see_or_send_the_review(client, takahashi, saito, clerk):
    app = in_review(takahashi, clerk)
    ask(app, clerk, fields=["phone"])
    client.force_login(saito)
    assert client.get(_url("correct_review", app)).status_code == 404
    assert client.post(_url("correct_review", app)).status_code == 404
