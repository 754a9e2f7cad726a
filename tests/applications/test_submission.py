"""Submitting is all or nothing, and once: a double tap, a retried POST or two
tabs give one application with one 受付番号; a failure half-way leaves a draft,
no number used, no mail."""

from __future__ import annotations

import contextvars
import threading

import pytest
from django.db import connection, connections

from madoguchi.applications import receipts
from madoguchi.applications.models import Application, ReceiptCounter, Status, StatusChange
from madoguchi.applications.prefill import Known, initial_values
from madoguchi.applications.submission import NotReady, submit
from madoguchi.catalog.registry import current_catalog
from madoguchi.common.models import AuditEvent

from .conftest import CLAIM, claim_post

pytestmark = pytest.mark.django_db


def new_draft(user, procedure_id: str = CLAIM, *, post: dict | None = None) -> Application:
    catalog = current_catalog()
    proc = catalog.procedures[procedure_id]
    return Application.objects.create(
        owner=user,
        municipality_code=catalog.municipality.code,
        procedure_id=proc.id,
        procedure_name=proc.name.ja,
        department_id=proc.department,
        form_version=proc.form.version,
        form_spec=proc.form.model_dump(mode="json", by_alias=True),
        data=initial_values(proc.form, Known()),
        draft_input=post or {},
    )


def send(app, user, **kw):
    return submit(app.pk, user, identity=None, identity_provider="", requires_identity=False, **kw)


def test_submitting_gives_a_receipt_number_history_and_an_audit_entry(takahashi):
    app = new_draft(takahashi, post=claim_post())
    outcome = send(app, takahashi)
    app.refresh_from_db()
    assert outcome.new and app.status == Status.SUBMITTED
    year = app.submitted_at.year
    assert app.receipt_number == f"{year}-000001"
    assert app.data["phone"] == "090-1234-5678"
    assert list(app.history.values_list("status_to", flat=True)) == ["submitted"]
    assert AuditEvent.objects.filter(action="submit", target_id=str(app.public_id)).count() == 1


def test_a_second_submit_returns_the_same_application(takahashi):
    app = new_draft(takahashi, post=claim_post())
    first = send(app, takahashi)
    again = send(app, takahashi)
    assert not again.new
    assert again.application.receipt_number == first.application.receipt_number
    assert Application.objects.filter(status=Status.SUBMITTED).count() == 1
    assert StatusChange.objects.filter(status_to="submitted").count() == 1


def test_receipt_numbers_count_per_municipality_and_year(takahashi, saito):
    from django.db import transaction

    with transaction.atomic():
        assert receipts.next_number("999999", 2026) == "2026-000001"
        assert receipts.next_number("999999", 2026) == "2026-000002"
        assert receipts.next_number("999999", 2027) == "2027-000001"
        assert receipts.next_number("888888", 2026) == "2026-000001"


def test_an_incomplete_form_is_not_submitted(takahashi):
    app = new_draft(takahashi, post=claim_post(phone=""))
    with pytest.raises(NotReady) as exc:
        send(app, takahashi)
    assert "日中に連絡がとれる電話番号" in exc.value.reasons
    app.refresh_from_db()
    assert app.status == Status.DRAFT and not app.receipt_number


def test_a_procedure_needing_identity_is_not_submitted_without_it(takahashi):
    app = new_draft(takahashi, post=claim_post())
    with pytest.raises(NotReady):
        submit(app.pk, takahashi, identity=None, identity_provider="", requires_identity=True)


def test_a_failure_half_way_leaves_the_draft_and_gives_the_number_back(takahashi, monkeypatch):
    app = new_draft(takahashi, post=claim_post())

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(StatusChange.objects, "create", broken)
    with pytest.raises(RuntimeError):
        send(app, takahashi)
    app.refresh_from_db()
    assert app.status == Status.DRAFT and app.receipt_number == ""
    assert not ReceiptCounter.objects.filter(last__gt=0).exists()
    monkeypatch.undo()
    assert send(app, takahashi).application.receipt_number.endswith("-000001")


def test_someone_else_cannot_submit_my_draft(takahashi, saito):
    app = new_draft(takahashi, post=claim_post())
    with pytest.raises(Application.DoesNotExist):
        send(app, saito)


@pytest.mark.django_db(transaction=True)
def test_two_tabs_submitting_at_once_make_one_application(takahashi):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the threads race on PostgreSQL")
    app = new_draft(takahashi, post=claim_post())
    results, errors = [], []
    start = threading.Barrier(4)

    def tab():
        try:
            start.wait()
            results.append(send(app, takahashi))
        except Exception as exc:  # pragma: no cover - shown in the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    # Each tab in the test's town, as the middleware puts each request in its own.
    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(tab,)) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(r.new for r in results) == 1
    assert len({r.application.receipt_number for r in results}) == 1
    assert ReceiptCounter.objects.get().last == 1


def test_the_receipt_mail_goes_through_smtp_after_commit_without_personal_data(
    takahashi, smtp_server, django_capture_on_commit_callbacks
):
    app = new_draft(takahashi, post=claim_post())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(app, takahashi)
    assert smtp_server.messages == []  # nothing before the commit
    for callback in callbacks:
        callback()
    (mail,) = smtp_server.wait_for(1)
    app.refresh_from_db()
    body = mail.get_content() if not mail.is_multipart() else mail.get_body().get_content()
    assert mail["To"] == "takahashi@example.jp"
    assert app.receipt_number in mail["Subject"]
    assert app.receipt_number in body and "児童手当" in body
    for personal in (
        "高橋",
        "たかはし",
        "09012345678",
        "090-1234-5678",
        "千代田",
        "1234567",
        "ﾀｶﾊｼ",
    ):
        assert personal not in body
    assert app.receipt_mailed_at is not None


def test_input_that_passed_the_review_is_sent_as_reviewed_and_anything_else_is_checked(
    takahashi,
):
    app = new_draft(takahashi, post=claim_post())
    app.data = {"bank_name": "reviewed values"}
    app.reviewed_digest = app.input_digest()
    app.save()
    assert app.reviewed
    # Unchanged since the review: its kept values are sent as they are.
    assert send(app, takahashi).application.data == {"bank_name": "reviewed values"}

    other = new_draft(takahashi, "child-medical-subsidy", post={"phone": "でんわ"})
    other.reviewed_digest = app.reviewed_digest  # reviewed, then changed in another tab
    other.save()
    assert not other.reviewed
    with pytest.raises(NotReady):
        send(other, takahashi)


def test_an_application_keeps_the_form_it_was_made_with(takahashi):
    """The catalogue's form changes (a field added, the version raised) while a
    resident's draft is open: the draft is sent with its own form and version."""
    app = new_draft(takahashi, post=claim_post())
    older = dict(app.form_spec)
    older["fields"] = [f for f in older["fields"] if f["id"] != "bank_account"]
    app.form_spec, app.form_version = older, 1
    app.draft_input = {k: v for k, v in claim_post().items() if not k.startswith("bank_account")}
    app.save()
    sent = send(app, takahashi).application
    sent.refresh_from_db()
    assert sent.form_version == 1
    assert "bank_account" not in sent.data
    assert "bank_account" not in {f["id"] for f in sent.form_spec["fields"]}
    assert current_catalog().procedures[CLAIM].form.field("bank_account") is not None
