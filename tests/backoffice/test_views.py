"""One application in the back office: every field, the files in the browser,
the history, and the moves of the workflow table — only those, with the revision
the page showed (two clerks at once: the second is told, nothing is lost)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.applications import workflow
from madoguchi.applications.models import Status
from madoguchi.common.models import AuditEvent

from .conftest import client_for, sent

pytestmark = pytest.mark.django_db

ALL = [s.value for s in Status if s != Status.DRAFT]


def post_move(client, app, to, revision=None, note="", confirm="yes"):
    data = {"to": to, "revision": app.revision if revision is None else revision, "note": note}
    if confirm:
        data["confirm"] = confirm
    return client.post(reverse("backoffice:move", args=[app.public_id]), data)


def test_the_page_shows_every_field_the_file_the_history_and_the_identity_source(
    takahashi, kosodate
):
    app = sent(takahashi, image=True)
    page = client_for(kosodate).get(reverse("backoffice:detail", args=[app.public_id]))
    html = page.content.decode()
    for text in (
        "高橋\u3000太郎",
        "たかはし\u3000たろう",
        "090-1234-5678",
        "保険証.png",
        app.receipt_number,
    ):
        assert text in html
    assert "本人確認なし" in html and "第" in html  # no identity provider; the form's version
    assert "受付" in html and 'name="revision" value="1"' in html
    assert (
        AuditEvent.objects.filter(
            action="view", target_type="application", target_id=str(app.public_id), actor=kosodate
        ).count()
        == 1
    )


def test_the_file_opens_in_the_browser_sandboxed_uncached_and_checked(takahashi, kosodate):
    from madoguchi.applications import files

    app = sent(takahashi, image=True)
    attachment = app.attachments.get()
    url = reverse("backoffice:file", args=[app.public_id, attachment.public_id])
    client = client_for(kosodate)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:4] == b"\x89PNG"
    event = AuditEvent.objects.filter(action="view", target_type="attachment").get()
    assert event.target_id == str(attachment.public_id)
    assert event.detail == {"application": str(app.public_id)}
    # A changed file on disk is not handed out.
    files.path_of(attachment).write_bytes(b"other bytes")
    assert client.get(url).status_code == 404


def test_a_file_of_another_type_is_only_a_download(takahashi, kosodate):
    from madoguchi.applications.models import Attachment

    app = sent(takahashi, image=True)
    Attachment.objects.filter(application=app).update(content_type="text/html")
    a = app.attachments.get()
    response = client_for(kosodate).get(
        reverse("backoffice:file", args=[app.public_id, a.public_id])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"


def test_a_clerk_takes_it_through_review_to_completion(takahashi, kosodate):
    app = sent(takahashi)
    client = client_for(kosodate)
    page = client.get(reverse("backoffice:detail", args=[app.public_id])).content.decode()
    assert "審査を始める" in page and "完了にする" not in page
    response = post_move(client, app, Status.IN_REVIEW)
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW and app.revision == 2
    page = client.get(reverse("backoffice:detail", args=[app.public_id])).content.decode()
    assert "完了にする" in page and "却下する" in page and "審査を始める" not in page
    assert post_move(client, app, Status.COMPLETED).status_code == 302
    app.refresh_from_db()
    assert app.status == Status.COMPLETED
    history = list(app.history.values_list("status_to", "actor"))
    assert history == [
        ("submitted", takahashi.pk),
        ("in_review", kosodate.pk),
        ("completed", kosodate.pk),
    ]
    changes = AuditEvent.objects.filter(action="change", target_id=str(app.public_id))
    assert {(e.actor_id, e.detail["status_to"]) for e in changes} == {
        (kosodate.pk, "in_review"),
        (kosodate.pk, "completed"),
    }


@pytest.mark.parametrize("to", [Status.COMPLETED, Status.REJECTED])
def test_completing_or_rejecting_needs_the_confirmation_box_ticked(takahashi, kosodate, to):
    app = sent(takahashi)
    client = client_for(kosodate)
    post_move(client, app, Status.IN_REVIEW)
    app.refresh_from_db()
    page = client.get(reverse("backoffice:detail", args=[app.public_id])).content.decode()
    assert f'id="confirm-{to}" required' in page  # the browser asks too, without JS
    response = post_move(client, app, to, note="書類が不足しています", confirm="")
    assert response.status_code == 400
    assert "確認のチェックを入れてから" in response.content.decode()
    assert "書類が不足しています" in response.content.decode() or to == Status.COMPLETED
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW and app.revision == 2
    assert post_move(client, app, to, note="書類が不足しています").status_code == 302
    app.refresh_from_db()
    assert app.status == to


def test_rejecting_needs_a_reason_and_keeps_what_was_typed(takahashi, kosodate):
    app = sent(takahashi)
    client = client_for(kosodate)
    post_move(client, app, Status.IN_REVIEW)
    app.refresh_from_db()
    response = post_move(client, app, Status.REJECTED, note="   ")
    assert response.status_code == 400
    assert "理由を書いてください" in response.content.decode()
    response = post_move(client, app, Status.REJECTED, note="所得が基準を超えています")
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.REJECTED
    assert app.history.last().note == "所得が基準を超えています"


@pytest.mark.parametrize("start", ALL)
@pytest.mark.parametrize("to", ALL)
def test_only_the_tables_moves_exist(takahashi, kosodate, start, to):
    """Every (from, to) pair: the staff moves of the table (less 補正依頼, which has
    its own form) go through; everything else is refused and changes nothing."""
    from madoguchi.applications.models import Application

    app = sent(takahashi)
    Application.objects.filter(pk=app.pk).update(status=start)
    app.refresh_from_db()
    response = post_move(client_for(kosodate), app, to, note="理由")
    app.refresh_from_db()
    ok = workflow.TRANSITIONS.get((start, to)) == "staff" and to != Status.CORRECTION
    if ok:
        assert response.status_code == 302 and app.status == to
    else:
        assert response.status_code == 400 and app.status == start and app.revision == 1


def test_two_clerks_at_once_the_second_is_told_and_the_first_stands(takahashi, kosodate, kacho):
    app = sent(takahashi)
    first, second = client_for(kosodate), client_for(kacho)
    post_move(first, app, Status.IN_REVIEW)  # both pages showed revision 1
    shown = app.revision
    assert post_move(first, app, Status.COMPLETED, revision=2).status_code == 302
    response = post_move(second, app, Status.IN_REVIEW, revision=shown)
    assert response.status_code == 409
    html = response.content.decode()
    assert "ほかの方がこの申請を先に更新しました" in html
    assert "完了" in html  # the page shows the state as it is now
    app.refresh_from_db()
    assert app.status == Status.COMPLETED and app.revision == 3


def test_a_stale_rejection_keeps_the_reason_typed(takahashi, kosodate, kacho):
    app = sent(takahashi)
    post_move(client_for(kosodate), app, Status.IN_REVIEW)
    response = post_move(client_for(kacho), app, Status.REJECTED, revision=1, note="書類が不足")
    assert response.status_code == 409
    assert "書類が不足</textarea>" in response.content.decode()


@pytest.mark.parametrize(
    "to, revision, status", [("frobnicate", None, 400), (Status.IN_REVIEW, 0, 409)]
)
def test_a_refused_move_still_records_that_the_page_was_seen(
    takahashi, kosodate, to, revision, status
):
    """A refusal shows the application's page again (the resident's data): audited as a
    view, with what was tried and why it was refused; no change is recorded."""
    app = sent(takahashi)
    before = AuditEvent.objects.count()
    response = post_move(client_for(kosodate), app, to, revision=revision)
    assert response.status_code == status
    [seen] = AuditEvent.objects.order_by("id")[before:]
    assert (seen.action, seen.actor, seen.target_id) == ("view", kosodate, str(app.public_id))
    assert seen.detail["refused"] == ("stale" if status == 409 else "not_allowed")
    assert seen.detail["by"] == "staff"
