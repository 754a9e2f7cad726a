"""What the clerk sees of each application in the queue and on its page: who
applied, 「重複の可能性」 with a link to the other one, 「補正後」, and what a 補正
changed, old → new."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.applications import correspondence, workflow
from madoguchi.applications.models import Status
from tests.applications.conftest import claim_post
from tests.applications.test_correspondence import ask, in_review

from .conftest import client_for, sent

pytestmark = pytest.mark.django_db

OTHER_CHILD = {"children-0-child_name__name": "高橋 結菜"}


def detail_url(app) -> str:
    return reverse("backoffice:detail", args=[app.public_id])


def test_the_queue_names_the_applicant(takahashi, saito, kosodate):
    sent(takahashi)
    sent(saito)
    html = client_for(kosodate).get(reverse("backoffice:queue")).content.decode()
    assert '<th scope="col">申請者</th>' in html
    assert "高橋\u3000太郎" in html


def test_the_same_claim_twice_is_marked_with_a_link_to_the_other(takahashi, kosodate):
    first, second = sent(takahashi), sent(takahashi)
    app = sent(takahashi)
    other_child = in_review_claim_for_other_child(takahashi, kosodate)
    client = client_for(kosodate)
    html = client.get(reverse("backoffice:queue")).content.decode()
    assert html.count("重複の可能性") == 3  # first, second and app; not the other child's
    # Each links to its oldest other: the first to the second, the others to the first.
    assert (
        html.count(
            f'class="tag duplicate" href="{detail_url(second)}">重複の可能性: {second.receipt_number}'
        )
        == 1
    )
    assert (
        html.count(
            f'class="tag duplicate" href="{detail_url(first)}">重複の可能性: {first.receipt_number}'
        )
        == 2
    )
    page = client.get(detail_url(app)).content.decode()
    assert "重複の可能性" in page
    assert detail_url(first) in page and detail_url(second) in page
    assert "重複の可能性" not in client.get(detail_url(other_child)).content.decode()


def in_review_claim_for_other_child(user, clerk):
    from tests.applications.test_submission import new_draft, send

    app = new_draft(user, post=claim_post(**OTHER_CHILD))
    send(app, user)
    app.refresh_from_db()
    return app


def test_a_corrected_application_is_marked_and_shows_old_and_new(takahashi, kosodate):
    app = in_review(takahashi, kosodate)
    ask(app, kosodate, fields=["phone", "bank_account"])
    app.refresh_from_db()
    correspondence.submit_correction(
        app, user=takahashi, post=claim_post(phone="0277-76-1234"), expected_revision=app.revision
    )
    client = client_for(kosodate)
    html = client.get(reverse("backoffice:queue")).content.decode()
    assert "補正後" in html
    page = client.get(detail_url(app)).content.decode()
    assert "補正後" in page and "直した内容(前 → 後)" in page
    # Only the field that changed (the bank was asked for but sent unchanged), old → new.
    table = page[
        page.index('<table class="changes">') : page.index(
            "</table>", page.index('<table class="changes">')
        )
    ]
    assert "日中に連絡がとれる電話番号" in table and "振込先" not in table
    assert table.index("090-1234-5678") < table.index("0277-76-1234")


def test_a_rejected_duplicate_is_no_longer_marked(takahashi, kosodate):
    first, second = sent(takahashi), sent(takahashi)
    for to in (Status.IN_REVIEW, Status.REJECTED):
        second.refresh_from_db()
        workflow.move(second, to, actor=kosodate, by="staff", expected_revision=second.revision,
                      note="二重の申請のため")  # fmt: skip
    html = client_for(kosodate).get(reverse("backoffice:queue")).content.decode()
    assert "重複の可能性" not in html
    assert "重複の可能性" not in client_for(kosodate).get(detail_url(first)).content.decode()


def test_the_built_rows_escape_what_residents_typed(takahashi, kosodate):
    from madoguchi.applications.models import Application

    app = sent(takahashi)
    Application.objects.filter(pk=app.pk).update(applicant_name="<b>高橋</b>")
    html = client_for(kosodate).get(reverse("backoffice:queue")).content.decode()
    assert "&lt;b&gt;高橋&lt;/b&gt;" in html and "<b>高橋</b>" not in html
