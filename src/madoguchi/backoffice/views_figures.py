"""The prefecture's page: how many applications each town has per status, from the
status counts (StatusCount), never a row of an application: figures across towns,
no personal data (towns/scoping.py's ``all_towns`` for this page alone)."""

from __future__ import annotations

from django.db.models import Sum
from django.shortcuts import render

from madoguchi.applications.models import Status, StatusCount
from madoguchi.backoffice import access
from madoguchi.catalog.registry import CatalogUnavailable, catalog_of
from madoguchi.common import audit
from madoguchi.common.templatetags.japanese import tr
from madoguchi.towns.directory import active_towns


def _name(town) -> str:
    try:
        return tr(catalog_of(town).municipality.name)
    except CatalogUnavailable:
        return town.slug


@access.figures_required
def town_figures(request):
    totals = (
        StatusCount.objects.all_towns()
        .filter(n__gt=0)
        .values_list("town", "status")
        .annotate(total=Sum("n"))
        .order_by()
    )
    by_town: dict[int, dict[str, int]] = {}
    for town_id, status, total in totals:
        by_town.setdefault(town_id, {})[status] = total
    statuses = [s for s in Status if s != Status.DRAFT]
    rows = [
        {
            "name": _name(town),
            "code": town.code,
            "counts": [by_town.get(town.pk, {}).get(s, 0) for s in statuses],
            "total": sum(by_town.get(town.pk, {}).values()),
        }
        for town in active_towns()
    ]
    audit.record(request, "view", "town_figures", "all")
    return render(request, "backoffice/figures.html", {"rows": rows, "statuses": statuses})
