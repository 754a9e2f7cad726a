"""Staff as the back office names them, and who may be given work."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from madoguchi.backoffice.models import Membership


def name_of(user) -> str:
    """高橋 一郎 (family name first), else the email or user name."""
    if user is None:
        return ""
    full = f"{user.last_name} {user.first_name}".strip()
    return full or user.email or user.get_username()


def members_of(department_ids) -> list:
    """The users who work in these departments, by name."""
    User = get_user_model()
    users = User.objects.filter(
        pk__in=Membership.objects.filter(department_id__in=department_ids).values("user")
    )
    return sorted(users, key=name_of)
