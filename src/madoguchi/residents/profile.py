"""The household profile, for other apps: ``profile_for(user)``.

Reading through here (not the table) keeps the audit in one place: a caller that
shows the profile to a person passes ``audit_as`` so the view is recorded."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from madoguchi.common import audit
from madoguchi.residents.models import Profile

TARGET = "residents.Profile"


def profile_for(user: Any, *, audit_as: Any = None, purpose: str = "") -> Profile | None:
    """The resident's profile, or ``None`` (not signed in, or not filled in yet).

    ``audit_as``: the user or request looking at it; when given, the view is
    recorded in the audit log (with ``purpose``, e.g. "application_prefill")."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    profile = Profile.objects.filter(user=user).first()
    if profile is not None and audit_as is not None:
        audit.record(audit_as, "view", TARGET, profile.pk, purpose=purpose or "unspecified")
    return profile


def save_profile(request_or_user: Any, profile: Profile, changed: list[str]) -> Profile:
    """Save and record which fields changed (their names only)."""
    creating = profile.pk is None
    profile.save()
    action = "create" if creating else "change"
    audit.record(request_or_user, action, TARGET, profile.pk, fields=changed)
    return profile


def display_name(user: Any) -> str:
    """How allauth's messages name the resident (「高橋 健太さん」, else the email
    address): never the internal user name."""
    profile = Profile.objects.filter(user=user).only("family_name", "given_name").first()
    if profile is not None and profile.name.strip():
        return f"{profile.name}さん" if (get_language() or "ja").startswith("ja") else profile.name
    return user.email
