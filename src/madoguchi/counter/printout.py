"""The visit's print: every prefilled form for its signature, then the resident's
checklist (what else to do, where, by when), in one PDF."""

from __future__ import annotations

from madoguchi.applications.models import Status
from madoguchi.counter import filing
from madoguchi.counter.models import Visit


def visit_pdf(visit: Visit, request=None) -> bytes:
    from madoguchi.applications.printing import forms_pdf

    apps = [
        a for a in filing.applications_of(visit) if a.status in (Status.DRAFT, Status.SUBMITTED)
    ]
    return forms_pdf(
        apps,
        checklist=_checklist(visit, apps),
        visit_label=f"{visit.day:%Y-%m-%d} {visit.number}番",
    )


def _checklist(visit: Visit, filed: list) -> dict | None:
    """The guide's checklist for the visit's situation (the resident's checklist
    PDF), or None before the guide. What was filed at the counter today is listed
    first in one line each (its form is in the same print): the pages explain only
    what is still to do."""
    from django.utils import translation

    from madoguchi.catalog.guide import run_guide
    from madoguchi.catalog.registry import current_catalog
    from madoguchi.catalog.views import checklist_context

    situation = filing.situation_of(visit)
    catalog = current_catalog()
    life_event = catalog.life_events.get(visit.event)
    if situation is None or life_event is None:
        return None
    with translation.override("ja"):
        result = run_guide(catalog, situation, "ja")
        done = {a.procedure_id for a in filed}
        rest = result.model_copy(
            update={"procedures": [p for p in result.procedures if p.id not in done]}
        )
        context = checklist_context(life_event, situation, rest, "ja")
        context["filed_today"] = filed
        return context
