"""Record who viewed or changed a resident's data: ``record(actor, action, …)``.

Every app calls this one function; the rows are append-only (``models.AuditEvent``)
and each is chained to the one before by its hash (``audit_chain``), under a lock
so that concurrent writers never link to the same entry. Only names go into
``detail`` (which fields changed, which page), never the values a resident wrote:
the log is read by staff who need not see them.

    from madoguchi.common import audit
    audit.record(request.user, "view", "residents.Profile", profile.pk, page="mypage")
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db import connections, router, transaction
from django.http import HttpRequest
from django.utils import timezone

from madoguchi.common import audit_chain
from madoguchi.common.models import AuditEvent
from madoguchi.towns.context import current_town

ACTIONS = ("view", "change", "create", "delete", "submit", "download", "verify")


def record(actor: Any, action: str, target_type: str, target_id: Any, **detail: Any) -> AuditEvent:
    """Add one event. ``actor`` is a User, ``None`` (the system) or an anonymous
    user (kept as ``None``); a request may be given instead, and then the address
    it came from is kept as a keyed hash (to tell events apart, not to trace)."""
    request = actor if isinstance(actor, HttpRequest) else None
    user = getattr(request, "user", None) if request is not None else actor
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    event = AuditEvent(
        actor=user,
        action=str(action),
        target_type=str(target_type),
        target_id=str(target_id),
        detail=_plain(detail),
        ip_hash=_ip_hash(request) if request is not None else "",
        town=current_town(),
    )
    using = router.db_for_write(AuditEvent)
    # Inside the caller's transaction no savepoint: the entry commits or rolls back
    # with what it records (and a failure here fails the caller's transaction).
    with transaction.atomic(using=using, savepoint=False):
        # From reading the last hash until commit, no other writer may add an entry.
        audit_chain.lock(connections[using])
        # One chain for the whole installation: its end, whatever the town.
        last = (
            AuditEvent.objects.all_towns()
            .using(using)
            .order_by("-id")
            .values_list("hash", flat=True)
        )
        event.at = timezone.now()
        audit_chain.link(event, last.first() or "")
        event.save(using=using)
    return event


def events_for(target_type: str, target_id: Any):
    """The events about one thing, newest first."""
    return AuditEvent.objects.filter(target_type=target_type, target_id=str(target_id))


def _plain(detail: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe: lists and sets of names as sorted lists, anything else as text."""
    out: dict[str, Any] = {}
    for key, value in detail.items():
        if isinstance(value, set | frozenset | tuple | list):
            out[key] = sorted(str(v) for v in value)
        elif value is None or isinstance(value, bool | int | float | str):
            out[key] = value
        else:
            out[key] = str(value)
    return out


def _ip_hash(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR") or ""
    if not address:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:32]
