"""The moves an application can make after it is sent, as one explicit table.

    受付 → 審査中 → 補正依頼 → (the resident corrects it) → 審査中 → 完了 / 却下

Only these exist; anything else is refused with the reason in Japanese. Every move
is made by ``move()``: it locks the row, checks the revision the clerk's page was
made from (two clerks acting at once: the second is told, nothing is overwritten),
writes the history and the audit log, and raises the revision.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from madoguchi.applications.models import Application, Status, StatusChange
from madoguchi.common import audit

# (from, to) → who makes the move: "staff" (the department) or "resident".
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.SUBMITTED, Status.IN_REVIEW): "staff",
    (Status.IN_REVIEW, Status.CORRECTION): "staff",
    (Status.CORRECTION, Status.IN_REVIEW): "resident",  # the corrected version is sent
    (Status.IN_REVIEW, Status.COMPLETED): "staff",
    (Status.IN_REVIEW, Status.REJECTED): "staff",
}
# A move that must say why (shown to the resident and kept in the history).
NEEDS_REASON = {Status.REJECTED, Status.CORRECTION}
OPEN = {Status.SUBMITTED, Status.IN_REVIEW, Status.CORRECTION}
DECIDED = {Status.COMPLETED, Status.REJECTED}


class MoveRefused(Exception):
    """The move cannot be made; ``message`` says why, for the page."""

    def __init__(self, message: str, *, stale: bool = False):
        super().__init__(message)
        self.message = message
        self.stale = stale


@dataclass(frozen=True)
class Moved:
    application: Application
    change: StatusChange


def allowed(status: str, by: str) -> list[str]:
    """The statuses ``by`` ("staff"/"resident") may move an application in ``status`` to."""
    return [to for (frm, to), who in TRANSITIONS.items() if frm == status and who == by]


def move(
    application: Application | int,
    to: str,
    *,
    actor,
    by: str,
    expected_revision: int,
    note: str = "",
) -> Moved:
    """Move the application to ``to``; ``expected_revision`` is the revision the
    actor's page showed. Raises ``MoveRefused``."""
    pk = application.pk if isinstance(application, Application) else application
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=pk)
        if app.revision != expected_revision:
            raise MoveRefused(
                _(
                    "ほかの方がこの申請を先に更新しました。最新の内容を確かめてから、もう一度操作してください。"
                ),
                stale=True,
            )
        if TRANSITIONS.get((app.status, to)) != by:
            raise MoveRefused(
                _("「%(from)s」の申請を「%(to)s」にはできません。")
                % {"from": Status(app.status).label, "to": Status(to).label}
            )
        if to in NEEDS_REASON and not note.strip():
            raise MoveRefused(_("理由を書いてください。住民の方にも表示されます。"))
        before = app.status
        app.status = to
        app.revision += 1
        app.save(update_fields=["status", "revision", "updated_at"])
        change = StatusChange.objects.create(
            application=app, actor=actor, status_from=before, status_to=to, note=note.strip()
        )
        audit.record(
            actor, "change", "application", str(app.public_id),
            status_from=before, status_to=to,
        )  # fmt: skip
        if to in DECIDED:
            # The resident is told the department has decided (the result is on
            # MyPage, not in the mail: a mail carries no personal data).
            from madoguchi.applications.tasks import notify_message
            from madoguchi.common.site import public_origin

            origin = public_origin()
            transaction.on_commit(
                lambda: notify_message.enqueue(app.pk, settings.LANGUAGE_CODE, "decided", origin)
            )
    return Moved(app, change)
