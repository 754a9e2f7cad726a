"""Staff as tests and the demo make them: ``ensure_staff`` (idempotent)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.db import transaction

from madoguchi.backoffice.models import Membership, Role

# The demo's and the tests' staff: (email, 姓, 名, department id, role).
KOSODATE = ("kosodate@example.jp", "小林", "さくら", "kosodate", Role.CLERK)
HOKEN = ("hoken@example.jp", "保坂", "健一", "hoken-nenkin", Role.CLERK)
KACHO = ("kacho@example.jp", "加藤", "誠", "kosodate", Role.SUPERVISOR)
# The demo's administrator (Django's admin /admin/ and the audit log): in no department.
ADMIN = ("admin@example.jp", "管理", "太郎")


@transaction.atomic
def ensure_staff(
    email: str,
    password: str,
    family_name: str,
    given_name: str,
    department_id: str,
    role: str = Role.CLERK,
    *,
    totp_secret: str | None = None,
):
    """A staff member who can sign in at once (verified email), in one department.
    With ``totp_secret`` they also have a TOTP authenticator (MFA) with that secret,
    unless they have one already."""
    user = ensure_account(email, password, family_name, given_name)
    Membership.objects.update_or_create(
        user=user, department_id=department_id, defaults={"role": role}
    )
    user.__dict__.pop("_backoffice_memberships", None)  # access.departments_of's cache
    ensure_totp(user, totp_secret)
    return user


@transaction.atomic
def ensure_admin(email: str, password: str, family_name: str, given_name: str, *,
                 totp_secret: str | None = None):  # fmt: skip
    """An administrator (superuser) who can sign in at once, in no department (the
    admin puts staff into departments, not themselves), with TOTP like the staff."""
    user = ensure_account(email, password, family_name, given_name, superuser=True)
    ensure_totp(user, totp_secret)
    return user


def ensure_account(
    email: str, password: str, family_name: str, given_name: str, *, superuser: bool = False
):
    """An account that can sign in at once (verified email), with that name and
    password; a superuser when ``superuser``. Who works where is the caller's."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        # The address's local part, unless another town's staff has it (kosodate@…).
        local = email.split("@")[0]
        taken = User.objects.filter(username=local).exists()
        user = User(username=email if taken else local, email=email)
    user.first_name, user.last_name = given_name, family_name
    if superuser:
        user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def ensure_totp(user, totp_secret: str | None) -> None:
    if (
        totp_secret is not None
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    ):
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(user, totp_secret)
