"""Submitting an application: all of it or nothing, once.

``submit`` locks the draft's row, checks it is still a draft (a double tap, a
retried POST or a second tab finds it submitted and gets the same receipt), checks
the form in review mode, takes a 受付番号 and records the history and the audit
entry, all in one transaction. The receipt mail is queued with that transaction
(``tasks.queue_with``), so a failure half-way sends nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from madoguchi.applications import applicant, duplicates, files, receipts
from madoguchi.applications.entry_form import ApplicationForm
from madoguchi.applications.models import Application, Status, StatusChange
from madoguchi.catalog.registry import current_catalog
from madoguchi.common import audit
from madoguchi.common.site import public_origin


class NotReady(Exception):
    """The application cannot be submitted yet; ``reasons`` say why, for the page."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


# What a submission sets on the application (``submit`` saves only these).
SUBMITTED_FIELDS = (
    "data", "identity_provider", "receipt_year", "receipt_number", "status", "submitted_at",
)  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    application: Application
    new: bool  # False: it had been submitted already (a repeated request)


def submit(
    application: int | uuid.UUID,
    user,
    *,
    identity: dict | None,
    identity_provider: str,
    requires_identity: bool | None = None,
    declared: bool = True,
    language: str = "ja",
    also: Callable[[], None] | None = None,
) -> Outcome:
    """Submit the owner's draft (by row id or public id). ``requires_identity``
    defaults to the catalogue's word for the procedure; ``declared`` is whether the
    resident ticked the form's declaration. Raises ``Application.DoesNotExist`` for
    someone else's application and ``NotReady`` while something is missing.
    ``also`` is run last inside the transaction, to commit with it (the page saves
    the resident's session there: one commit per submission)."""
    from madoguchi.applications.prefill import locked_values, with_verified

    with transaction.atomic():
        key = "public_id" if isinstance(application, uuid.UUID) else "pk"
        app = Application.objects.select_for_update().get(**{key: application}, owner=user)
        if app.status != Status.DRAFT:
            if also is not None:
                also()
            return Outcome(app, new=False)
        if requires_identity is None:
            proc = current_catalog().procedures.get(app.procedure_id)
            requires_identity = bool(proc and proc.requires_identity)
        if requires_identity and identity is None:
            raise NotReady(["identity"])
        spec = app.spec
        if spec.declaration and not declared:
            raise NotReady(["declaration"])
        locked = locked_values(spec, identity)
        if not app.draft_input:
            raise NotReady(["unsaved"])  # the review step saves the form first
        if app.reviewed:
            # The input that passed the review, unchanged since: its values were
            # kept with it. Only the identity's parts are taken afresh.
            values = with_verified(spec, app.data, locked)
        else:
            form = ApplicationForm(
                spec,
                data=app.draft_input,
                values=app.data,
                draft=False,
                verified=locked,
                attachments=files.by_field(app),
            )
            if not form.is_valid():
                raise NotReady([p.label for p in form.problems()])
            values = form.values()
        record(app, user, values, identity_provider if locked else "", language=language)
        if also is not None:
            also()
    return Outcome(app, new=True)


def record(app: Application, by, values: dict, identity_provider: str, *, language: str) -> None:
    """Make ``app`` (locked, a draft, its values checked) a sent application: its
    values, a 受付番号 (kept when the counter printed one on the signed form), the
    history and the audit entry; the receipt mail is queued with the transaction
    when there is an account to send it to (a walk-in has the printed copy)."""
    from madoguchi.applications.tasks import queue_with, send_receipt

    now = timezone.localtime()
    app.data = values
    read_from_data = applicant.refresh(app)
    app.identity_provider = identity_provider
    if not app.receipt_number:
        app.receipt_year = now.year
        app.receipt_number = receipts.next_number(app.municipality_code, now.year)
    app.status = Status.SUBMITTED
    app.submitted_at = now
    # Only what changed: the form and the typed input stay as they are (rewriting
    # them costs a JSON encoding of each for nothing).
    app.save(update_fields=[*SUBMITTED_FIELDS, *read_from_data, "updated_at"])
    duplicates.keep_people(app, replace=False)  # a draft has none yet
    StatusChange.objects.create(
        application=app, actor=by, status_from=Status.DRAFT, status_to=Status.SUBMITTED
    )
    audit.record(
        by,
        "submit",
        "application",
        str(app.public_id),
        procedure=app.procedure_id,
        receipt=app.receipt_number,
        channel=app.channel,
    )
    if app.owner_id is not None:
        origin = public_origin()  # the mail's link goes where the resident is
        queue_with(send_receipt, app.pk, language, origin)
