"""The resident is told what they already sent: 高橋さん, who sent a 児童手当 claim,
sees 「申請済み」 (with its 受付番号, status and a link to MyPage) on the procedure's
page and on the guide's checklist, and starting a second claim asks first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.applications.models import Application, Status
from tests.catalog.test_views import BIRTH
from tests.catalog.test_views import start as guide_start

from .conftest import CLAIM, claim_post
from .test_duplicates import claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_takahashi(client, takahashi):
    client.force_login(takahashi)
    return client


def test_the_procedure_page_says_it_was_sent(as_takahashi, takahashi, client):
    before = as_takahashi.get(reverse("catalog:procedure", args=[CLAIM])).content.decode()
    assert "オンラインで申請" in before and "申請済み" not in before
    sent = claim(takahashi)
    page = as_takahashi.get(reverse("catalog:procedure", args=[CLAIM])).content.decode()
    assert "申請済み" in page and sent.receipt_number in page and "受付" in page
    assert reverse("applications:detail", args=[sent.public_id]) in page
    assert "別の対象でもう一度申請する" in page


def test_the_checklist_says_it_was_sent(as_takahashi, takahashi):
    sent = claim(takahashi)
    guide_start(as_takahashi, follow=False, **BIRTH)
    page = as_takahashi.get("/guide/birth/checklist/").content.decode()
    assert "申請済み" in page and sent.receipt_number in page
    assert reverse("applications:detail", args=[sent.public_id]) in page


def test_a_rejected_claim_is_not_in_the_way(as_takahashi, takahashi):
    sent = claim(takahashi)
    Application.objects.filter(pk=sent.pk).update(status=Status.REJECTED)
    page = as_takahashi.get(reverse("catalog:procedure", args=[CLAIM])).content.decode()
    assert "申請済み" not in page


def test_starting_a_second_claim_asks_for_confirmation(as_takahashi, takahashi):
    sent = claim(takahashi)
    url = reverse("applications:start", args=[CLAIM])
    page = as_takahashi.get(url).content.decode()
    assert "この手続きは、もう申請しています" in page and sent.receipt_number in page
    refused = as_takahashi.post(url)
    assert refused.status_code == 400 and "チェックを入れてください" in refused.content.decode()
    assert not Application.objects.filter(owner=takahashi, status=Status.DRAFT).exists()
    confirmed = as_takahashi.post(url, {"again": "yes"})
    assert confirmed.status_code == 302
    draft = Application.objects.get(owner=takahashi, status=Status.DRAFT)
    # Resuming that draft asks nothing more.
    assert "もう申請しています" not in as_takahashi.get(url).content.decode()
    assert as_takahashi.post(url)["Location"].endswith(f"{draft.public_id}/edit/")


def test_the_review_page_says_when_the_same_child_was_already_claimed(as_takahashi, takahashi):
    from .test_submission import new_draft

    sent = claim(takahashi)
    draft = new_draft(takahashi, post=claim_post())
    review = reverse("applications:review", args=[draft.public_id])
    page = as_takahashi.get(review).content.decode()
    assert "同じ申請を、もう送っています" in page and sent.receipt_number in page
    # Another child: nothing to say.
    draft.draft_input = claim_post(**{"children-0-child_name__name": "高橋 結菜"})
    draft.save(update_fields=["draft_input"])
    assert "もう送っています" not in as_takahashi.get(review).content.decode()
