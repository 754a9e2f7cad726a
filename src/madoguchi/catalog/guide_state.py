"""Where the web guide keeps a resident's answers between pages: the session.

Only the situation is kept (one per life event: the date, each person's relationship
and birth date, the answers), never a name or an address, and only until the
session expires (``SESSION_COOKIE_AGE``). That lets every page be a plain GET a
resident can reload, bookmark or switch to English, and lets them change one
answer without losing the rest.
"""

from __future__ import annotations

from django.http import HttpRequest
from pydantic import ValidationError

from madoguchi.catalog.situation import Situation

SESSION_KEY = "guide"


def load(request: HttpRequest, event: str) -> Situation | None:
    """The situation kept for ``event``, or None (never given, expired, or no longer
    valid after an upgrade changed the model)."""
    data = request.session.get(SESSION_KEY, {}).get(event)
    if data is None:
        return None
    try:
        situation = Situation.model_validate(data)
    except ValidationError:
        return None
    return situation if situation.event == event else None


def save(request: HttpRequest, situation: Situation) -> None:
    kept = request.session.get(SESSION_KEY, {})
    kept[situation.event] = _unfixed_newborn(situation).model_dump(mode="json", exclude_none=True)
    request.session[SESSION_KEY] = kept


def clear(request: HttpRequest, event: str) -> None:
    kept = request.session.get(SESSION_KEY, {})
    if kept.pop(event, None) is not None:
        request.session[SESSION_KEY] = kept


def _unfixed_newborn(situation: Situation) -> Situation:
    """A newborn's birth date *is* the event date: keep it unset so that changing the
    date moves it too (``Situation.household`` fills it in), rather than leaving a
    baby born after the date the resident just corrected."""
    if situation.event != "birth" or not situation.members:
        return situation
    members = [
        m.model_copy(update={"birth_date": None})
        if m.role == "newborn" and m.birth_date == situation.event_date
        else m
        for m in situation.members
    ]
    return situation.model_copy(update={"members": members})
