"""The kept counts per status (``StatusCount``, kept by database triggers) always
equal a count of the rows, whatever changed them: a submission, a clerk's move, a
bulk insert, an ``update()``, a deletion. Drafts are never counted."""

from __future__ import annotations

import pytest
from django.db.models import Count

from madoguchi.applications import counts, workflow
from madoguchi.applications.models import Application, Status, StatusCount

from .conftest import CLAIM, claim_post
from .test_correspondence import make_clerk
from .test_submission import new_draft, send

pytestmark = pytest.mark.django_db(transaction=False)


def counted_rows(**where) -> dict[str, int]:
    rows = Application.objects.exclude(status=Status.DRAFT).filter(**where).order_by()
    return dict(rows.values_list("status").annotate(n=Count("*")))


def assert_exact():
    key = ("department_id", "procedure_id", "channel", "status")
    kept = {tuple(r[:4]): r[4] for r in StatusCount.objects.filter(n__gt=0).values_list(*key, "n")}
    rows = Application.objects.exclude(status=Status.DRAFT).order_by()
    real = {tuple(r[:4]): r[4] for r in rows.values_list(*key).annotate(n=Count("*"))}
    assert kept == real
    assert counts.by_status(["kosodate"]) == counted_rows(department_id="kosodate")


def test_counts_follow_every_change(takahashi, saito):
    clerk = make_clerk()
    draft = new_draft(takahashi, post=claim_post())
    assert_exact()
    assert counts.by_status(["kosodate"]) == {}  # a draft is not counted
    send(draft, takahashi)
    other = new_draft(saito, post=claim_post())
    send(other, saito)
    assert counts.by_status(["kosodate"]) == {Status.SUBMITTED: 2}
    draft.refresh_from_db()
    workflow.move(draft, Status.IN_REVIEW, actor=clerk, by="staff",
                  expected_revision=draft.revision)  # fmt: skip
    assert_exact()
    # Outside the model's code paths too: update(), bulk_create(), delete().
    Application.objects.filter(pk=other.pk).update(channel="paper")
    other.refresh_from_db()
    assert counts.by_status(["kosodate"], channel="paper") == {Status.SUBMITTED: 1}
    copies = [Application(**{f.attname: getattr(other, f.attname)
                             for f in Application._meta.concrete_fields
                             if f.attname not in ("id", "public_id", "receipt_number")})
              for _ in range(3)]  # fmt: skip
    Application.objects.bulk_create(copies)
    assert_exact()
    Application.objects.filter(pk__in=[c.pk for c in copies]).update(status=Status.COMPLETED)
    assert counts.by_status(["kosodate"], procedure_id=CLAIM)[Status.COMPLETED] == 3
    Application.objects.filter(pk=copies[0].pk).delete()
    Application.objects.filter(pk=copies[1].pk).update(department_id="shimin")
    assert_exact()
    assert counts.by_status(["shimin"]) == {Status.COMPLETED: 1}
