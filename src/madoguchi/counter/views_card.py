"""The server's side of the card agent (docs/counter.md).

- ``visits/<id>/card/token`` (POST, the visit page of a signed-in counter clerk):
  a one-time token for this visit, handed to the agent on the clerk's PC.
- ``card/check`` (POST ``{"token"}``, from the agent): whether the token is still
  good, so that the agent touches no card for a page without one.
- ``card/facts`` (POST ``{"token", "name", "address", "birth_date", "sex"}``, from
  the agent): the four facts read from the card, stored as the visit's applicant's
  card-verified identity (entered by the clerk the token was issued to), audited.

The agent has no session and no cookie: the token is its only credential, so the
two agent endpoints take no CSRF token; they answer JSON errors in Japanese.
"""

from __future__ import annotations

import datetime
import json

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from madoguchi.common.errors_ja import error_message
from madoguchi.counter import card_tokens, identity
from madoguchi.counter.access import counter_required, visit_for
from madoguchi.counter.models import Visit, VisitStatus

_CLOSED = (VisitStatus.DONE, VisitStatus.CANCELLED)
_LIMIT = 4096  # bytes: four facts and a token


def _error(kind: str, status: int, **context) -> JsonResponse:
    return JsonResponse(
        {"ok": False, "error": error_message({"type": kind, "ctx": context})}, status=status
    )


@counter_required
@require_POST
def card_token(request: HttpRequest, public_id) -> JsonResponse:
    visit = visit_for(request.user, public_id)
    if visit.status in _CLOSED:
        return _error("card_visit_closed", 409)
    token = card_tokens.issue(visit, request.user)
    return JsonResponse({"token": token, "expires_in": int(card_tokens.LIFETIME.total_seconds())})


def _body(request: HttpRequest) -> dict | None:
    if len(request.body) > _LIMIT:
        return None
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


@csrf_exempt
@require_POST
def card_check(request: HttpRequest) -> JsonResponse:
    body = _body(request)
    if body is None or not card_tokens.check(body.get("token")):
        return _error("card_token_invalid", 403)
    return JsonResponse({"ok": True})


def _facts(body: dict) -> tuple[dict | None, str]:
    """The facts as the Applicant stores them, or None and what is wrong."""
    name, address = body.get("name"), body.get("address")
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        return None, "氏名"
    if not isinstance(address, str) or len(address) > 200:
        return None, "住所"
    try:
        birth_date = datetime.date.fromisoformat(body.get("birth_date") or "")
    except (TypeError, ValueError):
        return None, "生年月日"
    if not datetime.date(1870, 1, 1) <= birth_date <= timezone.localdate():
        return None, "生年月日"
    sex = body.get("sex")
    if sex not in ("male", "female", None):
        return None, "性別"
    return {"name": name, "address": address, "birth_date": birth_date, "sex": sex or ""}, ""


@csrf_exempt
@require_POST
def card_facts(request: HttpRequest) -> JsonResponse:
    body = _body(request)
    if body is None:
        return _error("card_facts_invalid", 400, detail="JSON")
    facts, wrong = _facts(body)
    if facts is None:
        return _error("card_facts_invalid", 400, detail=wrong)
    with transaction.atomic():
        token = card_tokens.consume(body.get("token"))
        if token is None:
            return _error("card_token_invalid", 403)
        visit = Visit.objects.select_for_update().get(pk=token.visit_id)
        if visit.status in _CLOSED:
            return _error("card_visit_closed", 409)
        identity.record_card(visit, **facts, by=token.issued_to)
    return JsonResponse({"ok": True})
