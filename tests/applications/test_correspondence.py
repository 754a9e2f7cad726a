"""The correspondence between the department and the resident (the services):
messages both ways, the 補正依頼 naming fields, the correction of exactly those
fields kept as a new version beside the original, the moves, the stale case, the
mails (no personal data, only after the commit) and the audit log."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from madoguchi.applications import correspondence, workflow
from madoguchi.applications.models import (
    MESSAGE_FILES,
    Application,
    ApplicationVersion,
    Attachment,
    Message,
    MessageKind,
    Status,
)
from madoguchi.common.models import AuditEvent

from .conftest import claim_post, png_bytes
from .test_submission import new_draft, send

pytestmark = pytest.mark.django_db


def make_clerk(username: str = "clerk-kosodate", department: str = "kosodate"):
    """A 子育て支援課 clerk (the claim's department)."""
    from madoguchi.backoffice.models import Membership

    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@city.example.jp", password="x-pass-2026-clerk"
    )
    Membership.objects.create(user=user, department_id=department)
    return user


@pytest.fixture
def clerk(db):
    return make_clerk()


def in_review(resident, clerk) -> Application:
    """高橋さん's 児童手当 claim, sent and taken up by the clerk."""
    app = new_draft(resident, post=claim_post())
    send(app, resident)
    app.refresh_from_db()
    workflow.move(app, Status.IN_REVIEW, actor=clerk, by="staff", expected_revision=app.revision)
    app.refresh_from_db()
    return app


def ask(
    app, clerk, fields=("phone", "bank_account"), note="電話番号と金融機関名を確かめてください"
):
    return correspondence.request_correction(
        app, actor=clerk, field_ids=list(fields), note=note, expected_revision=app.revision
    )


def test_a_correction_changes_only_the_named_fields_and_keeps_the_original(takahashi, clerk):
    app = in_review(takahashi, clerk)
    original = dict(app.data)
    request = ask(app, clerk)
    app.refresh_from_db()
    assert app.status == Status.CORRECTION
    assert request.field_ids == ["phone", "bank_account"]

    # The page sends everything; only phone and bank_account may change.
    post = claim_post(
        phone="0277-76-1234",
        bank_account_bank="1204",  # 桐生信金 本町
        bank_account_branch="002",
        email="other@example.jp",  # not requested: ignored
        claimant_address__address="群馬県みどり市笠懸町1",  # not requested: ignored
    )
    version = correspondence.submit_correction(
        app, user=takahashi, post=post, files={}, expected_revision=app.revision
    )
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW
    assert version.number == 2 and version.reason == "corrected"
    assert app.data["phone"] == "0277-76-1234"
    assert (app.data["bank_account"]["bank_code"], app.data["bank_account"]["branch_code"]) == (
        "1204",
        "002",
    )
    assert app.data["bank_account"]["number"] == original["bank_account"]["number"] == "1234567"
    assert app.data["email"] == original["email"]
    assert app.data["claimant_address"] == original["claimant_address"]
    first, second = ApplicationVersion.objects.filter(application=app)
    assert first.number == 1 and first.reason == "submitted" and first.data == original
    assert second.data == app.data
    request.refresh_from_db()
    assert request.answered_at is not None
    assert list(app.history.values_list("status_to", flat=True)) == [
        "submitted", "in_review", "correction_requested", "in_review",
    ]  # fmt: skip
    kinds = list(app.messages.values_list("kind", flat=True))
    assert kinds == [MessageKind.CORRECTION_REQUEST, MessageKind.CORRECTED]

    # A second correction adds version 3; versions 1 and 2 stay as they were.
    ask(app, clerk, fields=["bank_account"], note="口座番号が違います")
    app.refresh_from_db()
    correspondence.submit_correction(
        app,
        user=takahashi,
        post=claim_post(bank_account_number="1111111", phone="000"),
        expected_revision=app.revision,
    )
    app.refresh_from_db()
    assert app.data["bank_account"]["number"] == "1111111" and app.data["phone"] == "0277-76-1234"
    numbers = list(app.versions.values_list("number", flat=True))
    assert numbers == [1, 2, 3]
    assert app.versions.get(number=1).data == original


def test_a_wrong_correction_keeps_nothing(takahashi, clerk):
    app = in_review(takahashi, clerk)
    ask(app, clerk, fields=["phone"])
    app.refresh_from_db()
    with pytest.raises(correspondence.CorrectionInvalid) as exc:
        correspondence.submit_correction(
            app, user=takahashi, post=claim_post(phone=""), expected_revision=app.revision
        )
    problems = exc.value.form.problems()
    assert [p.label for p in problems] == ["日中に連絡がとれる電話番号"]
    app.refresh_from_db()
    assert app.status == Status.CORRECTION and app.versions.count() == 1


@pytest.mark.parametrize(
    "typed",
    [
        {"bank_account_holder": "Yamada Hanako"},
        {"bank_account_number": "abc"},
        {"bank_account_number": "12345678"},
        {"bank_account_branch": "998"},
    ],
)
def test_a_corrected_bank_account_is_checked_as_in_the_form(takahashi, clerk, typed):
    app = in_review(takahashi, clerk)
    original = dict(app.data)
    ask(app, clerk, fields=["bank_account"], note="口座を確かめてください")
    app.refresh_from_db()
    with pytest.raises(correspondence.CorrectionInvalid) as exc:
        correspondence.submit_correction(
            app, user=takahashi, post=claim_post(**typed), expected_revision=app.revision
        )
    (problem,) = exc.value.form.problems()
    assert problem.label == "児童手当の振込先の口座"
    app.refresh_from_db()
    assert app.status == Status.CORRECTION and app.data == original


def test_only_the_form_s_fields_can_be_requested_and_a_note_is_needed(takahashi, clerk):
    app = in_review(takahashi, clerk)
    with pytest.raises(correspondence.Refused):
        ask(app, clerk, fields=[])
    with pytest.raises(correspondence.Refused):
        ask(app, clerk, fields=["phone", "password"])
    with pytest.raises(workflow.MoveRefused):
        ask(app, clerk, note="  ")
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW and not app.correction_requests.exists()


def test_a_stale_page_is_told_and_changes_nothing(takahashi, clerk):
    app = in_review(takahashi, clerk)
    seen = app.revision
    other = make_clerk("clerk-2")
    ask(app, other)  # the other clerk was first
    with pytest.raises(workflow.MoveRefused) as exc:
        correspondence.request_correction(
            app, actor=clerk, field_ids=["phone"], note="別の依頼", expected_revision=seen
        )
    assert exc.value.stale
    assert app.correction_requests.count() == 1
    app.refresh_from_db()
    with pytest.raises(workflow.MoveRefused) as exc:
        correspondence.submit_correction(
            app, user=takahashi, post=claim_post(), expected_revision=app.revision - 1
        )
    assert exc.value.stale
    app.refresh_from_db()
    assert app.status == Status.CORRECTION and app.versions.count() == 1


def test_a_requested_file_is_replaced_in_the_new_version_only(takahashi, clerk, files_dir):
    app = in_review(takahashi, clerk)
    ask(app, clerk, fields=["insurance_document"], note="保険証の写しを付けてください")
    app.refresh_from_db()
    photo = SimpleUploadedFile("hokensho.png", png_bytes(), "image/png")
    correspondence.submit_correction(
        app,
        user=takahashi,
        post=claim_post(),
        files={"insurance_document": [photo]},
        expected_revision=app.revision,
    )
    app.refresh_from_db()
    (attachment,) = Attachment.objects.filter(application=app, field_id="insurance_document")
    assert app.data["insurance_document"] == [str(attachment.public_id)]
    assert app.versions.get(number=1).data.get("insurance_document") in (None, [])


def test_messages_both_ways_with_a_file(takahashi, clerk, files_dir):
    app = in_review(takahashi, clerk)
    correspondence.post_message(
        app, author=clerk, from_staff=True, body="所得証明書を送ってください"
    )
    scan = SimpleUploadedFile("shotoku.png", png_bytes(), "image/png")
    reply = correspondence.post_message(
        app, author=takahashi, from_staff=False, body="送ります", uploads=[scan]
    )
    (attachment,) = reply.attachments.all()
    assert attachment.field_id == MESSAGE_FILES and attachment.application == app
    assert [m.body for m in correspondence.thread(app)] == [
        "所得証明書を送ってください",
        "送ります",
    ]
    with pytest.raises(correspondence.Refused):
        correspondence.post_message(app, author=takahashi, from_staff=False, body="  ")
    bad = SimpleUploadedFile("virus.png", b"MZ" + b"\0" * 100, "image/png")
    with pytest.raises(correspondence.files.FileRefused):
        correspondence.post_message(
            app, author=takahashi, from_staff=False, body="もう1枚", uploads=[bad]
        )
    assert Message.objects.filter(application=app).count() == 2  # the refused one is not kept


def test_mails_say_only_that_something_waits_and_go_after_the_commit(
    takahashi, clerk, smtp_server, django_capture_on_commit_callbacks
):
    app = in_review(takahashi, clerk)
    secret = "口座番号 1234567 が通帳と違います"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        correspondence.post_message(app, author=clerk, from_staff=True, body=secret)
    assert len(callbacks) == 1 and smtp_server.messages == []  # nothing before the commit
    callbacks[0]()
    with django_capture_on_commit_callbacks(execute=True):
        ask(app, clerk, fields=["bank_account"], note=secret)
    mails = smtp_server.wait_for(2)
    assert all(m["To"] == "takahashi@example.jp" for m in mails)
    assert "メッセージが届いています" in mails[0]["Subject"]
    assert "補正" in mails[1]["Subject"]
    for mail in mails:
        text = mail["Subject"] + smtp_server.text(mail)
        assert app.receipt_number in text and str(app.public_id) in text
        for personal in (
            "高橋",
            "1234567",
            "通帳",
            "タカハシ",
            "09012345678",
            "090-1234-5678",
            "口座番号",
            "電話",
        ):
            if personal == "電話":
                continue  # the town's own phone line is in the footer
            assert personal not in text, personal


def test_audit_entries_name_the_actor_and_never_the_text(takahashi, clerk):
    app = in_review(takahashi, clerk)
    correspondence.post_message(app, author=clerk, from_staff=True, body="ひみつの本文")
    ask(app, clerk, fields=["phone"], note="ひみつの理由")
    app.refresh_from_db()
    correspondence.submit_correction(
        app, user=takahashi, post=claim_post(phone="0277-76-1234"), expected_revision=app.revision
    )
    events = AuditEvent.objects.filter(target_id=str(app.public_id)).order_by("pk")
    details = [(e.actor, e.action, e.detail) for e in events]
    assert any(a == clerk and "message" in d for a, _, d in details)
    assert any(a == clerk and d.get("fields") == ["phone"] for a, _, d in details)
    assert any(a == takahashi and d.get("version") == 2 for a, _, d in details)
    assert any(d.get("status_to") == "correction_requested" for _, _, d in details)
    assert "ひみつ" not in str(details) and "0277" not in str(details)


def test_the_original_version_is_made_from_the_submitted_values(takahashi, clerk):
    app = in_review(takahashi, clerk)
    assert not app.versions.exists()
    ask(app, clerk)
    (v1,) = app.versions.all()
    assert v1.made_by == takahashi and v1.made_at == app.submitted_at


# -- the resident's pages ------------------------------------------------------------


@pytest.fixture
def as_takahashi(client, takahashi, files_dir):
    client.force_login(takahashi)
    return client


def _url(name, app):
    from django.urls import reverse

    return reverse(f"applications:{name}", args=[app.public_id])


def test_the_resident_corrects_exactly_the_requested_fields_on_mypage(
    as_takahashi, takahashi, clerk
):
    app = in_review(takahashi, clerk)
    ask(app, clerk, fields=["phone"], note="つながりませんでした。番号を確かめてください")
    page = as_takahashi.get(_url("detail", app)).content.decode()
    assert "申請の修正(補正)をお願いします" in page and "つながりませんでした" in page
    assert "日中に連絡がとれる電話番号" in page and _url("correct", app) in page

    form = as_takahashi.get(_url("correct", app)).content.decode()
    assert 'name="phone"' in form
    assert 'name="bank_account_number"' not in form and 'name="claimant_name__name"' not in form
    assert "1234567" in form  # the rest is shown, read-only
    app.refresh_from_db()
    response = as_takahashi.post(
        _url("correct", app),
        {"phone": "0277-76-1234", "bank_account_number": "9999999", "revision": app.revision},
    )
    # Checked, then shown for review (correction_review tests the page itself).
    assert response.status_code == 302 and response.url == _url("correct_review", app)
    response = as_takahashi.post(_url("correct_review", app))
    assert response.status_code == 302 and response.url == _url("detail", app)
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW
    assert app.data["phone"] == "0277-76-1234"
    assert app.data["bank_account"]["number"] == "1234567"
    page = as_takahashi.get(response.url).content.decode()
    assert "修正を送りました" in page
    # Nothing to correct any more: back to the detail page.
    assert as_takahashi.get(_url("correct", app)).status_code == 302


def test_a_wrong_or_stale_correction_shows_the_page_again_with_the_input(
    as_takahashi, takahashi, clerk
):
    app = in_review(takahashi, clerk)
    ask(app, clerk, fields=["phone"])
    app.refresh_from_db()
    wrong = as_takahashi.post(_url("correct", app), {"phone": "", "revision": app.revision})
    assert wrong.status_code == 200 and "入力内容を確認してください" in wrong.content.decode()
    stale = as_takahashi.post(
        _url("correct", app), {"phone": "0277-76-1234", "revision": app.revision - 1}
    )
    page = stale.content.decode()
    assert stale.status_code == 200 and "0277-76-1234" in page and "先に更新されました" in page
    app.refresh_from_db()
    assert app.status == Status.CORRECTION


def test_the_resident_replies_with_a_file_and_both_see_the_thread(as_takahashi, takahashi, clerk):
    app = in_review(takahashi, clerk)
    correspondence.post_message(app, author=clerk, from_staff=True, body="所得証明書をください")
    scan = SimpleUploadedFile("shotoku.png", png_bytes(), "image/png")
    response = as_takahashi.post(_url("reply", app), {"body": "付けて送ります", "attachment": scan})
    assert response.status_code == 302
    page = as_takahashi.get(_url("detail", app)).content.decode()
    assert "所得証明書をください" in page and "付けて送ります" in page and "shotoku.png" in page
    (attachment,) = Attachment.objects.filter(field_id=MESSAGE_FILES)
    download = as_takahashi.get(
        reverse_file := f"{_url('detail', app)}files/{attachment.public_id}/"
    )
    assert download.status_code == 200, reverse_file
    # An empty reply is refused, and what was typed (nothing here) comes back.
    refused = as_takahashi.post(_url("reply", app), {"body": " "})
    assert refused.status_code == 302
    assert "メッセージを書いてください" in as_takahashi.get(_url("detail", app)).content.decode()
    assert Message.objects.filter(application=app).count() == 2


def test_another_resident_reaches_none_of_it(client, takahashi, saito, clerk, files_dir):
    app = in_review(takahashi, clerk)
    ask(app, clerk, fields=["phone"])
    client.force_login(saito)
    assert client.get(_url("correct", app)).status_code == 404
    assert client.post(_url("correct", app), {"phone": "1"}).status_code == 404
    assert client.post(_url("reply", app), {"body": "やあ"}).status_code == 404
    assert not Message.objects.filter(author=saito).exists()


def test_mypage_says_first_that_a_correction_is_asked(as_takahashi, takahashi, clerk, saito):
    """A 補正依頼 waits for the resident: MyPage says so before anything else, and
    says nothing once it is answered (or to anyone else)."""
    from django.test import Client

    app = in_review(takahashi, clerk)
    mypage = reverse("residents:mypage")
    assert "修正のお願い" not in as_takahashi.get(mypage).content.decode()
    ask(app, clerk)
    page = as_takahashi.get(mypage).content.decode()
    notice = page.index("修正のお願いが届いています")
    assert notice < page.index("保存したやることリスト")  # before every other section
    assert reverse("applications:detail", args=[app.public_id]) in page[notice:]
    other = Client()
    other.force_login(saito)
    assert "修正のお願い" not in other.get(mypage).content.decode()


def test_the_audit_entry_of_a_correction_names_only_the_requested_fields(
    as_takahashi, takahashi, clerk
):
    """Whatever names the resident's request holds, the entry lists form field ids."""
    app = in_review(takahashi, clerk)
    ask(app, clerk, fields=["phone"], note="番号を確かめてください")
    app.refresh_from_db()
    before = AuditEvent.objects.count()
    as_takahashi.post(
        _url("correct", app),
        {"phone": "0277-76-1234", "<b>勝手な文</b>": "1", "revision": app.revision},
    )
    as_takahashi.post(_url("correct_review", app))  # 「この内容で送る」
    details = [e.detail for e in AuditEvent.objects.order_by("pk")[before:]]
    assert {"correction_request", "version"} <= set().union(*details)
    known = {f.id for f in app.spec.fields}
    for detail in details:
        assert set(detail.get("fields", [])) <= known
    assert "勝手" not in str(details)
