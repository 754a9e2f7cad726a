"""The application's moves after it is sent: only the table's, once each, and the
resident is told (without personal data) when the department has decided."""

from __future__ import annotations

import pytest

from madoguchi.applications.models import Status
from madoguchi.applications.workflow import TRANSITIONS, MoveRefused, allowed, move

from .conftest import claim_post
from .test_submission import new_draft, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_claim(takahashi):
    app = new_draft(takahashi, post=claim_post())
    return send(app, takahashi).application


def test_only_the_tables_moves_exist():
    assert allowed(Status.SUBMITTED, "staff") == [Status.IN_REVIEW]
    assert set(allowed(Status.IN_REVIEW, "staff")) == {
        Status.CORRECTION, Status.COMPLETED, Status.REJECTED,
    }  # fmt: skip
    assert allowed(Status.CORRECTION, "resident") == [Status.IN_REVIEW]
    assert allowed(Status.COMPLETED, "staff") == [] and allowed(Status.DRAFT, "staff") == []
    assert len(TRANSITIONS) == 5


def test_a_move_not_in_the_table_is_refused_and_changes_nothing(sent_claim, takahashi):
    with pytest.raises(MoveRefused, match="できません"):
        move(sent_claim, Status.COMPLETED, actor=takahashi, by="staff",
             expected_revision=sent_claim.revision)  # fmt: skip
    with pytest.raises(MoveRefused):  # the resident cannot start the review
        move(sent_claim, Status.IN_REVIEW, actor=takahashi, by="resident",
             expected_revision=sent_claim.revision)  # fmt: skip
    sent_claim.refresh_from_db()
    assert sent_claim.status == Status.SUBMITTED


def test_the_second_of_two_clerks_is_told_and_the_first_stands(sent_claim, takahashi):
    seen = sent_claim.revision
    move(sent_claim, Status.IN_REVIEW, actor=takahashi, by="staff", expected_revision=seen)
    with pytest.raises(MoveRefused) as exc:
        move(sent_claim, Status.IN_REVIEW, actor=takahashi, by="staff", expected_revision=seen)
    assert exc.value.stale
    sent_claim.refresh_from_db()
    assert sent_claim.status == Status.IN_REVIEW and sent_claim.revision == seen + 1


def test_a_rejection_needs_a_reason(sent_claim, takahashi):
    moved = move(sent_claim, Status.IN_REVIEW, actor=takahashi, by="staff",
                 expected_revision=sent_claim.revision).application  # fmt: skip
    with pytest.raises(MoveRefused, match="理由"):
        move(moved, Status.REJECTED, actor=takahashi, by="staff",
             expected_revision=moved.revision, note="  ")  # fmt: skip


def test_the_resident_is_told_when_the_department_has_decided(
    sent_claim, takahashi, smtp_server, django_capture_on_commit_callbacks
):
    moved = move(sent_claim, Status.IN_REVIEW, actor=takahashi, by="staff",
                 expected_revision=sent_claim.revision).application  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        move(moved, Status.COMPLETED, actor=takahashi, by="staff",
             expected_revision=moved.revision)  # fmt: skip
    (mail,) = smtp_server.wait_for(1)
    body = smtp_server.text(mail)
    assert sent_claim.receipt_number in mail["Subject"] and "審査が終わりました" in body
    for personal in ("高橋", "たかはし", "09012345678", "090-1234-5678", "1234567", "完了"):
        assert personal not in body, personal
