"""The applications' part of MyPage: drafts (with what is still missing) and
submitted applications (with their status)."""

from __future__ import annotations

from madoguchi.applications import files
from madoguchi.applications.entry_form import missing_required
from madoguchi.applications.models import Application, Status


def applications_of(user) -> dict[str, list[Application]]:
    apps = list(
        Application.objects.filter(owner=user)
        .prefetch_related("attachments")
        .order_by("-updated_at")
    )
    drafts = [a for a in apps if a.is_draft]
    for draft in drafts:
        spec = draft.spec
        draft.missing = missing_required(spec, draft.data, files.by_field(draft))
    return {"drafts": drafts, "submitted": [a for a in apps if not a.is_draft]}


def waiting_for(user) -> list[Application]:
    """The resident's applications the department is waiting on (補正依頼中): shown
    first on MyPage, so nobody has to scroll to find that something is asked."""
    return list(
        Application.objects.filter(owner=user, status=Status.CORRECTION)
        .only("public_id", "procedure_name", "receipt_number", "updated_at")
        .order_by("updated_at")
    )
