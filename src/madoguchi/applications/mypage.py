"""The applications' part of MyPage: drafts (with what is still missing) and
submitted applications (with their status), a page at a time.

A resident may have hundreds of applications over the years: the page reads only
the columns the list shows (never the forms and values as JSON) and one page of
them, so it takes the same time at 10 applications or 1,000. Drafts are at most
one per procedure (a constraint), so they are listed whole, with their values:
「あと3項目」 needs them.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When

from madoguchi.applications import files
from madoguchi.applications.entry_form import missing_required
from madoguchi.applications.models import Application, Status

PER_PAGE = 20
# What a line of 送信した申請 shows (the link, the name, the number, the status, when).
LISTED = ("public_id", "procedure_name", "receipt_number", "status", "submitted_at", "updated_at")
# A 補正依頼 waiting for the resident comes first, then the newest.
WAITING_FIRST = (
    Case(
        When(status=Status.CORRECTION, then=Value(0)), default=Value(1), output_field=IntegerField()
    ),
    "-updated_at",
    "-pk",
)


def applications_of(user, page: int | str | None = 1) -> dict:
    """``drafts`` (a list), ``submitted`` (a Django ``Page`` of ``PER_PAGE``; iterate
    it, ``submitted.paginator.count`` is their number) and ``counts``."""
    mine = Application.objects.filter(owner=user)
    counts = mine.aggregate(
        drafts=Count("pk", filter=Q(status=Status.DRAFT)),
        submitted=Count("pk", filter=~Q(status=Status.DRAFT)),
        waiting=Count("pk", filter=Q(status=Status.CORRECTION)),
    )
    drafts: list[Application] = []
    if counts["drafts"]:
        drafts = list(
            mine.filter(status=Status.DRAFT)
            .defer("draft_input")
            .prefetch_related("attachments")
            .order_by("-updated_at")
        )
        for draft in drafts:
            draft.missing = missing_required(draft.spec, draft.data, files.by_field(draft))
    return {"drafts": drafts, "submitted": _page(mine, counts["submitted"], page), "counts": counts}


def _page(mine, count: int, number) -> Page:
    # The page's ids first, in order, from the (owner, status, updated_at) index
    # alone; then only those rows. Sorting the rows themselves would read every one
    # of them (SQLite reads past the JSON to reach updated_at).
    order = mine.exclude(status=Status.DRAFT).order_by(*WAITING_FIRST).values_list("pk", flat=True)
    paginator = Paginator(order, PER_PAGE)
    paginator.count = count  # counted above with the others: no second COUNT(*)
    page = paginator.get_page(number)
    ids = list(page.object_list)
    rows = Application.objects.only(*LISTED).in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


def waiting_for(user, limit: int | None = None) -> list[Application]:
    """The resident's applications the department is waiting on (補正依頼中): shown
    first on MyPage, so nobody has to scroll to find that something is asked.
    ``limit``: at most that many (the oldest request first)."""
    return list(
        Application.objects.filter(owner=user, status=Status.CORRECTION)
        .only("public_id", "procedure_name", "receipt_number", "updated_at")
        .order_by("updated_at")[:limit]
    )
