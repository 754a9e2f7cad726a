"""The resident's pages, through Django's test client: start, save, resume,
attach, review, submit, receipt; and nobody reaches another resident's things."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from madoguchi.applications.models import Application, Attachment, Status
from madoguchi.catalog import guide_state
from madoguchi.catalog.situation import Situation
from madoguchi.common.models import AuditEvent

from .conftest import CLAIM, claim_post, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "applications"


def verify(user):
    """高橋さん proves who he is (the facts a card would give)."""
    from madoguchi.residents.identity.registry import VerifiedFacts
    from madoguchi.residents.identity.store import store

    facts = VerifiedFacts(
        subject="test-takahashi",
        name="高橋 太郎",
        name_kana="たかはし たろう",
        address="群馬県みどり市笠懸町鹿2952",
        birth_date=date(1988, 6, 15),
        sex="male",
    )
    return store(user, user, "demo", facts)


@pytest.fixture
def as_takahashi(client, takahashi, files_dir):
    client.force_login(takahashi)
    return client


def start(client, event: str = "") -> Application:
    url = reverse("applications:start", args=[CLAIM]) + (f"?event={event}" if event else "")
    response = client.post(url, {"event": event})
    assert response.status_code == 302, response
    return Application.objects.get(public_id=response.url.split("/")[-3])


def test_the_start_page_explains_and_asks_to_log_in(client):
    page = client.get(reverse("applications:start", args=[CLAIM]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "本人確認" in text and "ログインして申請を始める" in text
    response = client.post(reverse("applications:start", args=[CLAIM]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_procedure_without_a_form_has_no_application_page(as_takahashi):
    assert (
        as_takahashi.get(reverse("applications:start", args=["birth-registration"])).status_code
        == 404
    )
    assert as_takahashi.get("/apply/no-such-procedure/").status_code == 404


def test_starting_twice_opens_the_same_draft(as_takahashi):
    assert start(as_takahashi) == start(as_takahashi)
    assert Application.objects.filter(status=Status.DRAFT).count() == 1


def test_the_form_is_prefilled_from_the_guides_answers(as_takahashi):
    session = as_takahashi.session
    situation = Situation.model_validate(
        {
            "event": "birth",
            "event_date": "2026-11-20",
            "members": [{"role": "self", "birth_date": "1988-06-15"}, {"role": "newborn"}],
        }
    )
    session[guide_state.SESSION_KEY] = {
        "birth": situation.model_dump(mode="json", exclude_none=True)
    }
    session.save()
    app = start(as_takahashi, "birth")
    assert app.event == "birth"
    assert app.data["children"] == [{"child_birth_date": "2026-11-20"}]
    page = as_takahashi.get(reverse("applications:edit", args=[app.public_id])).content.decode()
    assert 'name="children-0-child_birth_date_year" value="8"' in page  # 令和8年


def test_save_leave_and_resume_keeps_everything_typed_mistakes_included(as_takahashi):
    app = start(as_takahashi)
    url = reverse("applications:edit", args=[app.public_id])
    typed = claim_post(phone="でんわ", action="save")
    response = as_takahashi.post(url, typed)
    assert response.status_code == 200  # the mistake is shown, and the rest is kept
    assert "電話番号は、0から始まる" in response.content.decode()
    app.refresh_from_db()
    assert app.data["bank_account"]["holder"] == "ﾀｶﾊｼ ﾀﾛｳ" and "phone" not in app.data
    again = as_takahashi.get(url).content.decode()
    assert 'value="でんわ"' in again and 'value="タカハシ タロウ"' in again
    assert "みずほ" in again and "東京営業部" in again  # the codes' names, from the 全銀 data


def test_add_and_remove_a_child_without_javascript(as_takahashi):
    app = start(as_takahashi)
    url = reverse("applications:edit", args=[app.public_id])
    as_takahashi.post(url, claim_post(add_row="children"))
    app.refresh_from_db()
    assert app.draft_input["children-TOTAL_FORMS"] == "2"
    post = dict(app.draft_input, **{"children-1-child_name__name": "高橋 二郎"})
    as_takahashi.post(url, dict(post, remove_row="children:0"))
    app.refresh_from_db()
    assert app.draft_input["children-TOTAL_FORMS"] == "1"
    assert app.draft_input["children-0-child_name__name"] == "高橋 二郎"


def test_the_postal_code_button_fills_the_address(as_takahashi):
    app = start(as_takahashi)
    url = reverse("applications:edit", args=[app.public_id])
    post = claim_post(**{"claimant_address__address": "", "claimant_address__postal": "100-0001"})
    as_takahashi.post(url, dict(post, lookup="claimant_address"))
    app.refresh_from_db()
    assert app.draft_input["claimant_address__address"] == "東京都千代田区千代田"


def test_the_postal_code_button_returns_to_the_address_and_keeps_the_banchi(as_takahashi):
    app = start(as_takahashi)
    url = reverse("applications:edit", args=[app.public_id])
    # Another field is wrong meanwhile: the page still comes back to the address.
    post = claim_post(phone="でんわ", claimant_address__postal="100-0001",
                      claimant_address__address="1-1 千代田ハイツ101")  # fmt: skip
    response = as_takahashi.post(url, dict(post, lookup="claimant_address"))
    assert response.status_code == 302
    assert response.url.endswith("#field-claimant_address")
    app.refresh_from_db()
    # What was typed after the town is kept; the town is put before it.
    assert app.draft_input["claimant_address__address"] == "東京都千代田区千代田1-1 千代田ハイツ101"
    typed = "東京都港区芝公園4-2-8"  # a whole other address: not overwritten
    as_takahashi.post(url, dict(post, claimant_address__address=typed, lookup="claimant_address"))
    app.refresh_from_db()
    assert app.draft_input["claimant_address__address"] == typed
    page = as_takahashi.get(url).content.decode()
    assert 'id="field-claimant_address"' in page


def test_attach_review_submit_receipt_and_pdf(
    as_takahashi, takahashi, smtp_server, django_capture_on_commit_callbacks
):
    app = start(as_takahashi)
    url = reverse("applications:edit", args=[app.public_id])
    photo = io.BytesIO(png_bytes())
    photo.name = "hokensho.png"
    response = as_takahashi.post(url, claim_post(action="review", insurance_document=photo))
    assert response.status_code == 302 and response.url.endswith("/review/"), (
        response.content.decode()[:3000]
    )
    (attachment,) = Attachment.objects.filter(application=app)
    review = as_takahashi.get(response.url).content.decode()
    assert "hokensho.png" in review and "本人確認をする" in review  # requires_identity

    # Without an identity the submission is refused …
    submit_url = reverse("applications:submit", args=[app.public_id])
    assert as_takahashi.post(submit_url, {"agree": "yes"}).status_code == 302
    app.refresh_from_db()
    assert app.status == Status.DRAFT

    # … with one, its four facts replace what was typed, and it goes through once.
    verify(takahashi)
    review = as_takahashi.get(reverse("applications:review", args=[app.public_id]))
    assert "本人確認で確かめた内容" in review.content.decode()
    assert as_takahashi.post(submit_url, {}).url.endswith("/review/")  # declaration not ticked
    with django_capture_on_commit_callbacks(execute=True):
        done = as_takahashi.post(submit_url, {"agree": "yes"})
    again = as_takahashi.post(submit_url, {"agree": "yes"})  # a double tap
    assert done.url == again.url
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED and app.identity_provider == "demo"
    assert app.data["claimant_name"]["name"] == "高橋\u3000太郎"
    assert app.receipt_number in as_takahashi.get(done.url).content.decode()
    (mail,) = smtp_server.wait_for(1)
    assert app.receipt_number in mail["Subject"]

    pdf = as_takahashi.get(reverse("applications:receipt_pdf", args=[app.public_id]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert pdf["X-Content-Type-Options"] == "nosniff"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "receipt.pdf").write_bytes(pdf.content)  # to look at (pdftoppm)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in (app.receipt_number, "児童手当", "高橋", "みずほ", "東京営業部", "1234567",
                     "hokensho.png"):  # fmt: skip
        assert expected in text, expected

    url = reverse("applications:file", args=[app.public_id, attachment.public_id])
    got = as_takahashi.get(url)
    assert b"".join(got.streaming_content) == png_bytes()
    assert got["Content-Disposition"].startswith("attachment;")
    assert got["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in got["Cache-Control"]


def test_another_resident_gets_404_everywhere(as_takahashi, saito, files_dir):
    app = start(as_takahashi)
    url = reverse("applications:edit", args=[app.public_id])
    doc = io.BytesIO(pdf_bytes())
    doc.name = "a.pdf"
    as_takahashi.post(url, claim_post(action="save", insurance_document=doc))
    attachment = Attachment.objects.get()
    other = Client()
    other.force_login(saito)
    pages = [
        reverse("applications:edit", args=[app.public_id]),
        reverse("applications:review", args=[app.public_id]),
        reverse("applications:detail", args=[app.public_id]),
        reverse("applications:done", args=[app.public_id]),
        reverse("applications:receipt_pdf", args=[app.public_id]),
        reverse("applications:file", args=[app.public_id, attachment.public_id]),
    ]
    for page in pages:
        assert other.get(page).status_code == 404, page
    for action in ("edit", "submit", "discard"):
        assert (
            other.post(
                reverse(f"applications:{action}", args=[app.public_id]), claim_post()
            ).status_code
            == 404
        )
    app.refresh_from_db()
    assert app.status == Status.DRAFT and Attachment.objects.count() == 1
    # Saito's own list does not show it.
    assert "児童手当" not in other.get(reverse("applications:list")).content.decode()


def test_forms_need_the_csrf_token(takahashi, files_dir):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(takahashi)
    assert strict.post(reverse("applications:start", args=[CLAIM])).status_code == 403


def test_viewing_a_draft_is_audited(as_takahashi, takahashi):
    app = start(as_takahashi)
    as_takahashi.get(reverse("applications:edit", args=[app.public_id]))
    events = AuditEvent.objects.filter(target_id=str(app.public_id))
    assert {"create", "view"} <= set(events.values_list("action", flat=True))
    assert all(e.actor_id == takahashi.pk for e in events)


def test_no_personal_data_reaches_the_logs(as_takahashi, takahashi, caplog):
    """Everything logged while a resident fills, fails, fixes and sends a form
    (warnings of bad requests included) carries none of what they typed."""
    import logging

    caplog.set_level(logging.DEBUG)
    app = start(as_takahashi)
    url = reverse("applications:edit", args=[app.public_id])
    as_takahashi.post(url, claim_post(phone="でんわ", action="review"))  # a mistake
    as_takahashi.post(url, claim_post(action="review"))
    verify(takahashi)
    as_takahashi.post(reverse("applications:submit", args=[app.public_id]), {"agree": "yes"})
    Client().get(reverse("applications:edit", args=[app.public_id]))  # a stranger: 404 logged
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for personal in (
        "高橋",
        "たかはし",
        "タカハシ",
        "09012345678",
        "090-1234-5678",
        "０９０",
        "千代田",
        "1234567",
    ):
        assert personal not in logged, personal


def test_a_message_is_shown_once(as_takahashi, takahashi):
    """base.html shows the messages; a page that showed them again said 「本人確認が
    できました」 twice, the second time as a red alert on the review."""
    app = start(as_takahashi)
    url = reverse("applications:edit", args=[app.public_id])
    saved = as_takahashi.post(url, claim_post(action="save"), follow=True).content.decode()
    assert saved.count("下書きを保存しました") == 1
    as_takahashi.post(url, claim_post(action="review"))
    verify(takahashi)
    submit_url = reverse("applications:submit", args=[app.public_id])
    review = as_takahashi.post(submit_url, {}, follow=True).content.decode()
    assert review.count("チェックを入れてください") == 1


def test_the_history_says_each_status_in_words(
    as_takahashi, takahashi, django_capture_on_commit_callbacks
):
    """The detail page listed 「draft」「submitted」: the stored values, not 下書き・受付."""
    app = start(as_takahashi)
    as_takahashi.post(reverse("applications:edit", args=[app.public_id]), claim_post())
    verify(takahashi)
    with django_capture_on_commit_callbacks(execute=False):
        as_takahashi.post(reverse("applications:submit", args=[app.public_id]), {"agree": "yes"})
    page = as_takahashi.get(reverse("applications:detail", args=[app.public_id])).content.decode()
    history = page.split('<ol class="history">')[1].split("</ol>")[0]
    assert "下書き" in history and "受付" in history
    assert "draft" not in history and "submitted" not in history


def test_the_form_says_what_is_required_and_shows_the_verified_facts(as_takahashi, takahashi):
    """Each field says 必須 or 任意; fields from 本人確認 show their values (they are not
    inputs, and a page that drew them empty hid what would be sent)."""
    verify(takahashi)
    app = start(as_takahashi)
    page = as_takahashi.get(reverse("applications:edit", args=[app.public_id])).content.decode()
    assert "高橋\u3000太郎" in page and "群馬県みどり市笠懸町鹿2952" in page
    assert 'name="claimant_name__name"' not in page
    assert page.count(">必須<") >= 5 and page.count(">任意<") >= 2
    assert 'value="090-1234-5678"' in page  # the profile's phone, as people read it


def test_the_audit_entry_of_a_save_names_only_the_forms_fields(as_takahashi, takahashi):
    """Input names are the resident's to choose: only the form's field ids go into
    the log (the rest are counted), so nobody can write their own text into it."""
    app = start(as_takahashi)
    url = reverse("applications:edit", args=[app.public_id])
    sent = claim_post() | {"<script>悪意</script>": "1", "管理者へ: 削除して": "x"}
    as_takahashi.post(url, sent)
    event = AuditEvent.objects.filter(action="change", target_id=str(app.public_id)).get()
    known = {f.id for f in app.spec.fields}
    assert set(event.detail["fields"]) <= known
    assert {"claimant_name", "claimant_birth_date", "children"} <= set(event.detail["fields"])
    assert event.detail["unknown_fields"] == 2
    assert "script" not in str(event.detail) and "管理者" not in str(event.detail)
