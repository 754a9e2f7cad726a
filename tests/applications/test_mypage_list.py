"""MyPage's list of applications a page at a time: the 補正依頼 waiting for the
resident first, then the newest; the same SQL whatever the number of applications,
and none of the applications' JSON read for the submitted ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from madoguchi.applications.models import Application, Status
from madoguchi.applications.mypage import PER_PAGE, applications_of
from madoguchi.catalog.registry import current_catalog

from .conftest import CLAIM

pytestmark = pytest.mark.django_db


def sent(owner, count: int, status: str = Status.SUBMITTED, first: int = 0) -> list[Application]:
    """``count`` submitted applications, made one minute apart (the last the newest)."""
    proc = current_catalog().procedures[CLAIM]
    now = timezone.now()
    apps = Application.objects.bulk_create(
        Application(
            owner=owner,
            municipality_code="000000",
            procedure_id=CLAIM,
            procedure_name=proc.name.ja,
            department_id=proc.department,
            form_version=proc.form.version,
            form_spec=proc.form.model_dump(mode="json", by_alias=True),
            data={"note": "x" * 200},
            status=status,
            receipt_year=2026,
            receipt_number=f"2026-{first + i + 1:06d}",
            submitted_at=now,
        )
        for i in range(count)
    )
    for i, app in enumerate(apps):  # auto_now: set the order of saving explicitly
        Application.objects.filter(pk=app.pk).update(updated_at=now + timedelta(minutes=i))
    return apps


def numbers(page) -> list[str]:
    return [a.receipt_number for a in page]


@pytest.fixture
def signed_in(client, takahashi):
    client.force_login(takahashi)
    return client


def test_the_list_is_paged_newest_first(takahashi):
    sent(takahashi, PER_PAGE + 5)
    first = applications_of(takahashi)["submitted"]
    assert first.paginator.count == PER_PAGE + 5 and first.paginator.num_pages == 2
    assert numbers(first)[0] == f"2026-{PER_PAGE + 5:06d}"  # the newest
    second = applications_of(takahashi, 2)["submitted"]
    assert len(second) == 5 and numbers(second)[-1] == "2026-000001"
    assert set(numbers(first)).isdisjoint(numbers(second))
    # A page number out of range or not a number gives a page, not an error.
    assert numbers(applications_of(takahashi, 99)["submitted"]) == numbers(second)
    assert numbers(applications_of(takahashi, "x")["submitted"]) == numbers(first)


def test_a_correction_waiting_for_the_resident_comes_first_even_when_old(takahashi):
    (old,) = sent(takahashi, 1, Status.CORRECTION, first=900)
    Application.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=400))
    sent(takahashi, PER_PAGE + 3)
    page = applications_of(takahashi)["submitted"]
    assert numbers(page)[0] == old.receipt_number


def test_submitted_applications_are_listed_without_their_json(takahashi):
    sent(takahashi, 3)
    for app in applications_of(takahashi)["submitted"]:
        assert {"data", "form_spec", "draft_input"} <= app.get_deferred_fields()


def test_the_page_makes_the_same_statements_at_3_or_60_applications(signed_in, takahashi, saito):
    def statements(client) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("residents:mypage")).status_code == 200
        return len(captured.captured_queries)

    sent(takahashi, 3)
    few = statements(signed_in)
    sent(takahashi, 57, first=100)
    sent(takahashi, 30, Status.CORRECTION, first=500)
    assert statements(signed_in) == few


def test_mypage_links_the_next_and_previous_pages(signed_in, takahashi):
    sent(takahashi, PER_PAGE + 1)
    page = signed_in.get(reverse("residents:mypage")).content.decode()
    assert "2026-000001" not in page  # the oldest is on page 2
    assert 'href="?page=2#sent"' in page and "1 / 2 ページ" in page
    second = signed_in.get(reverse("residents:mypage") + "?page=2").content.decode()
    assert "2026-000001" in second and 'href="?page=1#sent"' in second
    listing = signed_in.get(reverse("applications:list") + "?page=2").content.decode()
    assert "2026-000001" in listing and "2 / 2 ページ" in listing


def test_many_corrections_are_all_reachable(signed_in, takahashi):
    """The notice lists a page of them and says there are more; the list below has
    every one of them first."""
    sent(takahashi, PER_PAGE + 2, Status.CORRECTION)
    page = signed_in.get(reverse("residents:mypage")).content.decode()
    notice = page[page.index("修正のお願いが届いています") : page.index('id="sent"')]
    assert notice.count("受付番号") == PER_PAGE and "ほかにもあります" in notice
    assert applications_of(takahashi)["counts"]["waiting"] == PER_PAGE + 2
