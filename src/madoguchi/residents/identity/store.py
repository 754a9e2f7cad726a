"""Keeping what a provider verified: ``VerifiedIdentity`` rows, audited."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings

from madoguchi.common import audit
from madoguchi.residents.identity.registry import VerifiedFacts
from madoguchi.residents.models import VerifiedIdentity

TARGET = "residents.VerifiedIdentity"


def subject_hash(provider_id: str, subject: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{provider_id}:{subject}".encode(), hashlib.sha256).hexdigest()


def store(request_or_user: Any, user: Any, provider_id: str, facts: VerifiedFacts):
    identity = VerifiedIdentity.objects.create(
        user=user,
        provider=provider_id,
        subject_hash=subject_hash(provider_id, facts.subject),
        name=facts.name,
        name_kana=facts.name_kana,
        address=facts.address,
        birth_date=facts.birth_date,
        sex=facts.sex,
    )
    audit.record(request_or_user, "verify", TARGET, identity.pk, provider=provider_id)
    return identity


def latest_for(user: Any) -> VerifiedIdentity | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return VerifiedIdentity.objects.filter(user=user).first()
