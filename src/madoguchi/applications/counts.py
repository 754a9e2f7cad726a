"""Exact counts of sent applications per status, read from ``StatusCount`` (kept by
database triggers in the transaction of every change, see models.StatusCount): a
few rows per department instead of a count over every application."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Sum

from madoguchi.applications.models import StatusCount


def by_status(
    department_ids: Iterable[str], *, procedure_id: str | None = None, channel: str | None = None
) -> dict[str, int]:
    """{status: how many} of these departments' sent applications (drafts never)."""
    qs = StatusCount.objects.filter(department_id__in=list(department_ids), n__gt=0)
    if procedure_id:
        qs = qs.filter(procedure_id=procedure_id)
    if channel:
        qs = qs.filter(channel=channel)
    return dict(qs.order_by().values_list("status").annotate(total=Sum("n")))
