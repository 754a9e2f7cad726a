"""The Django admin behind the same sign-in as the back office.

Django's own login form (``/admin/login/``) signs in with the password alone, so
it is not used: it redirects to allauth's sign-in (password, then the second
factor), keeping ``?next``. ``has_permission`` also asks for a session that passed
the second factor (``staff_mfa``); a password-only session is sent to the MFA step.

Installed as Django documents it: ``admin_apps.StaffAdminConfig`` replaces
``django.contrib.admin`` in ``INSTALLED_APPS`` and makes ``StaffAdminSite`` the
default site, so every ``@admin.register`` lands on it; as an ``AuditedAdminSite``
(common/admin_site.py) every change made there is audited.
"""

from __future__ import annotations

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from madoguchi.backoffice.staff_mfa import mfa_gate, mfa_required, session_passed_mfa
from madoguchi.common.admin_site import AuditedAdminSite


class StaffAdminSite(AuditedAdminSite):
    def has_permission(self, request) -> bool:
        return super().has_permission(request) and (
            not mfa_required() or session_passed_mfa(request)
        )

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        user = request.user
        if user.is_authenticated and not (user.is_active and user.is_staff):
            # Signed in, not staff: sending them to sign in would come straight
            # back here (allauth passes a signed-in user on to ``next``).
            raise PermissionDenied
        if user.is_authenticated:
            # Signed in, but not with the second factor (else has_permission holds).
            refused = mfa_gate(request, next_url)
            if refused is not None:
                return refused
            return HttpResponseRedirect(next_url)
        query = urlencode({REDIRECT_FIELD_NAME: next_url})
        return HttpResponseRedirect(f"{reverse('account_login')}?{query}")
