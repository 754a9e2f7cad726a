"""Who on the staff may see what: every query of the back office goes through here.

A staff member sees the applications of their departments only; anything else is
404 (never 403), so ids cannot be probed. Staff pages need a session that passed
the second factor when ``MADOGUCHI_REQUIRE_STAFF_MFA`` is on (the default):
``staff_mfa.mfa_gate`` sends anyone else to set it up or to use it.
"""

from __future__ import annotations

import functools

from django.contrib.auth.models import Permission
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from madoguchi.applications.models import Application, Status
from madoguchi.backoffice.models import Membership, Role
from madoguchi.backoffice.staff_mfa import mfa_gate
from madoguchi.towns.directory import only_town


def _permission(user, codename: str) -> QuerySet:
    """The permission ``backoffice.<codename>`` if given to ``user`` (a user or an
    ``OuterRef`` to one) or to one of their groups."""
    return Permission.objects.filter(
        content_type__app_label="backoffice", codename=codename
    ).filter(Q(user=user) | Q(group__user=user))


def _audit_permission(user) -> QuerySet:
    return _permission(user, "view_auditlog")


def _memberships(user) -> tuple[frozenset, frozenset, tuple]:
    """(departments, those supervised, the (department, role) rows by department):
    one query per request, kept on the user object. Every staff page's menu also
    asks whether the user may read the audit log and the towns' figures: a
    member's answers come with the same query (``can_read_audit``,
    ``can_see_town_figures``)."""
    cached = getattr(user, "_backoffice_memberships", None)
    if cached is None:
        found = list(
            Membership.objects.filter(user=user)
            .order_by("department_id")
            .annotate(
                auditor=Exists(_audit_permission(OuterRef("user"))),
                figures=Exists(_permission(OuterRef("user"), "view_town_figures")),
            )
            .values_list("department_id", "role", "auditor", "figures")
        )
        if found:
            user._backoffice_auditor = bool(user.is_active) and found[0][2]
            user._backoffice_figures = bool(user.is_active) and found[0][3]
        rows = tuple((d, role) for d, role, _auditor, _figures in found)
        cached = (
            frozenset(d for d, _role in rows),
            frozenset(d for d, role in rows if role == Role.SUPERVISOR),
            rows,
        )
        user._backoffice_memberships = cached
    return cached


def memberships(user) -> tuple[tuple[str, str], ...]:
    """The user's (department, role) pairs ordered by department (the same cache as
    ``departments_of``: the office header costs no query of its own)."""
    if not getattr(user, "is_authenticated", False):
        return ()
    return _memberships(user)[2]


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
    """Administrators: superusers, or staff given ``backoffice.view_auditlog`` (in
    an installation of several towns, in a town where they have a department).

    What ``user.has_perm`` answers (active users, the permission given to the user
    or to one of their groups), asked with one query instead of the two that read
    all of the user's permissions; kept on the user object for the request (every
    page's menu asks); a department's member gets it with the memberships."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    # A town's log is its own staff's: with several towns, the permission counts in
    # the towns where the user has a role (superusers run the whole installation).
    if only_town() is None and not departments_of(user):
        return False
    _memberships(user)
    cached = getattr(user, "_backoffice_auditor", None)
    if cached is None:  # in no department: asked on its own
        cached = bool(user.is_active) and _audit_permission(user).exists()
        user._backoffice_auditor = cached
    return cached


def can_see_town_figures(user) -> bool:
    """The prefecture's administrators (``backoffice.view_town_figures``, given to
    them or their group) and superusers; asked like ``can_read_audit``."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    _memberships(user)
    cached = getattr(user, "_backoffice_figures", None)
    if cached is None:  # in no department: asked on its own
        cached = bool(user.is_active) and _permission(user, "view_town_figures").exists()
        user._backoffice_figures = cached
    return cached


# Staff pages: in at least one department. The audit log: administrators only.
staff_required = _staff_page(lambda user: bool(departments_of(user)))
auditor_required = _staff_page(can_read_audit)
figures_required = _staff_page(can_see_town_figures)
