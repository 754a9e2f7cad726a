"""Who on the staff may see what: every query of the back office goes through here.

A staff member sees the applications of their departments only; anything else is
404 (never 403), so ids cannot be probed. Staff pages need a session that passed
the second factor when ``MADOGUCHI_REQUIRE_STAFF_MFA`` is on (the default):
``staff_mfa.mfa_gate`` sends anyone else to set it up or to use it.
"""

from __future__ import annotations

import functools

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404

from madoguchi.applications.models import Application, Status
from madoguchi.backoffice.models import Membership, Role
from madoguchi.backoffice.staff_mfa import mfa_gate


def _memberships(user) -> tuple[frozenset, frozenset]:
    """(departments, those supervised): one query per request, kept on the user object."""
    cached = getattr(user, "_backoffice_memberships", None)
    if cached is None:
        rows = list(Membership.objects.filter(user=user).values_list("department_id", "role"))
        cached = (
            frozenset(d for d, _role in rows),
            frozenset(d for d, role in rows if role == Role.SUPERVISOR),
        )
        user._backoffice_memberships = cached
    return cached


def departments_of(user) -> set[str]:
    """The user's departments (asked once per request: kept on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(_memberships(user)[0])


def supervises_any(user) -> bool:
    """Whether the user is 係長・課長 of some department (the menu's 担当者ごとの件数)."""
    return getattr(user, "is_authenticated", False) and bool(_memberships(user)[1])


def supervises(user, department_id: str) -> bool:
    return Membership.objects.filter(
        user=user, department_id=department_id, role=Role.SUPERVISOR
    ).exists()


def applications_for(user):
    """The sent applications of the user's departments (never a draft)."""
    return Application.objects.filter(department_id__in=departments_of(user)).exclude(
        status=Status.DRAFT
    )


def application_for(user, public_id) -> Application:
    return get_object_or_404(applications_for(user), public_id=public_id)


def _staff_page(allowed):
    """A decorator: signed in, ``allowed(user)`` (else 404), and (by default) this
    session signed in with a second factor."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise Http404
            if (refused := mfa_gate(request)) is not None:
                return refused
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def can_read_audit(user) -> bool:
    """Administrators: superusers, or staff given ``backoffice.view_auditlog``."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or user.has_perm("backoffice.view_auditlog"))
    )


# Staff pages: in at least one department. The audit log: administrators only.
staff_required = _staff_page(lambda user: bool(departments_of(user)))
auditor_required = _staff_page(can_read_audit)
