"""One-time tokens that let the card agent on a clerk's PC deliver a card read to
the visit the clerk has open (docs/counter.md: how the page reaches the reader).

The visit page asks for a token (``issue``: a signed-in counter clerk, one visit,
a few minutes), hands it to the agent with the PIN, and the agent posts the facts
back with it. ``check`` lets the agent refuse a page without a valid token before
the card (and one of its PIN tries) is touched; ``consume`` takes it exactly once,
with one conditional UPDATE, so two deliveries with one token cannot both succeed,
even on two app servers.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.utils import timezone

from madoguchi.counter.models import CardReadToken, Visit

LIFETIME = datetime.timedelta(minutes=5)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def issue(visit: Visit, clerk) -> str:
    token = secrets.token_urlsafe(32)
    CardReadToken.objects.create(
        visit=visit,
        issued_to=clerk,
        digest=_digest(token),
        expires_at=timezone.now() + LIFETIME,
    )
    return token


def _usable(token: object):
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return CardReadToken.objects.none()
    return CardReadToken.objects.filter(
        digest=_digest(token), used_at__isnull=True, expires_at__gt=timezone.now()
    )


def check(token: object) -> bool:
    return _usable(token).exists()


def consume(token: object) -> CardReadToken | None:
    """The token's row, marked used; None if it is unknown, used or expired."""
    if _usable(token).update(used_at=timezone.now()) != 1:
        return None
    return CardReadToken.objects.select_related("visit", "issued_to").get(digest=_digest(token))
