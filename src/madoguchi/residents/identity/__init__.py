"""Identity proofing (本人確認). Other apps call ``verified_identity_for(user)``."""

from __future__ import annotations

from typing import Any


def verified_identity_for(user: Any):
    """The resident's latest ``VerifiedIdentity``, or ``None`` if never verified."""
    from madoguchi.residents.identity.store import latest_for

    return latest_for(user)


__all__ = ["verified_identity_for"]
