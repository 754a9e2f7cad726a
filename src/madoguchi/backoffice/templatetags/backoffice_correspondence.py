"""``{% correspondence app request as c %}``: what ``_correspondence.html`` draws
(the thread, the fields a 補正依頼 may name, what the clerk typed last time if it
could not be sent). The detail page passes only ``app`` and ``request``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template
from django.utils.translation import get_language

from madoguchi.applications import changes, correspondence
from madoguchi.applications.models import MessageKind, Status
from madoguchi.backoffice.views_correspondence import CORRECTION_DRAFT, MESSAGE_DRAFT

register = template.Library()


@dataclass
class Choice:
    id: str
    label: str
    checked: bool = False


@dataclass
class Correspondence:
    thread: list
    can_request: bool
    choices: list[Choice] = field(default_factory=list)
    note: str = ""
    body: str = ""
    open_correction: object = None
    open_labels: list[str] = field(default_factory=list)


@register.simple_tag
def correspondence_of(app, request) -> Correspondence:
    session = getattr(request, "session", None)
    typed = session.pop(CORRECTION_DRAFT.format(app.public_id), None) if session else None
    body = session.pop(MESSAGE_DRAFT.format(app.public_id), "") if session else ""
    typed = typed or {}
    checked = set(typed.get("fields") or [])
    lang = get_language() or "ja"
    open_ = correspondence.open_correction(app)
    correctable = set(correspondence.correctable_ids(app))
    thread = correspondence.thread_entries(app)
    # What each correction changed, old → new (the resident's page names the fields only).
    changed = changes.by_correction(app, lang)
    for message in thread:
        if message.kind == MessageKind.CORRECTED and message.correction_id in changed:
            message.changes = changed[message.correction_id]
    return Correspondence(
        thread=thread,
        can_request=app.status == Status.IN_REVIEW,
        # Fields a verified identity filled are not offered (a 補正 cannot change them).
        choices=[
            Choice(f.id, f.label.get(lang), f.id in checked)
            for f in app.spec.fields
            if f.id in correctable
        ],
        note=typed.get("note", ""),
        body=body,
        open_correction=open_,
        open_labels=correspondence.field_labels(app, open_.field_ids) if open_ else [],
    )
