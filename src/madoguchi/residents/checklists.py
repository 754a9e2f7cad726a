"""Checklists a resident keeps on MyPage (``SavedChecklist``), for other apps:
``situation_for(user, public_id)`` gives the answers a checklist was made from
(the applications app fills a form from them)."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError

from madoguchi.catalog.guide import run_guide
from madoguchi.catalog.registry import current_catalog
from madoguchi.catalog.situation import Situation
from madoguchi.common import audit
from madoguchi.residents.models import SavedChecklist

TARGET = "residents.SavedChecklist"


def keep(owner, situation: Situation, *, actor=None) -> SavedChecklist:
    """Save the checklist for ``situation``; saving the same answers again keeps one.
    ``actor``: who did it for the audit log (the request, or the owner)."""
    data = situation.model_dump(mode="json", exclude_none=True)
    found = SavedChecklist.objects.filter(
        owner=owner, event=situation.event, situation=data
    ).first()
    if found is None:
        found = SavedChecklist.objects.create(owner=owner, event=situation.event, situation=data)
        audit.record(actor or owner, "create", TARGET, found.public_id, event=situation.event)
    else:
        found.save(update_fields=["saved_at"])
    return found


def situation_of(saved: SavedChecklist) -> Situation | None:
    try:
        return Situation.model_validate(saved.situation)
    except ValidationError:  # made by an older version whose facts have changed
        return None


def situation_for(user, public_id) -> Situation | None:
    saved = SavedChecklist.objects.filter(owner=user, public_id=public_id).first()
    return situation_of(saved) if saved is not None else None


def summaries(user, language: str, today: date, limit: int = 3) -> list[dict]:
    """For MyPage: each saved checklist with its nearest deadlines still to come."""
    catalog = current_catalog()
    out = []
    for saved in SavedChecklist.objects.filter(owner=user)[:20]:
        situation = situation_of(saved)
        if situation is None:
            continue
        result = run_guide(catalog, situation, language)
        due = sorted(
            (p for p in result.procedures if p.status == "required" and p.deadline),
            key=lambda p: p.deadline,
        )
        upcoming = [p for p in due if p.deadline >= today][:limit]
        out.append(
            {
                "saved": saved,
                "result": result,
                "upcoming": upcoming,
                "overdue": sum(1 for p in due if p.deadline < today),
                "count": sum(1 for p in result.procedures if p.status == "required"),
            }
        )
    return out
