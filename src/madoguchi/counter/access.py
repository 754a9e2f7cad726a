"""Who may use the counter: the 総合窓口's clerks (permission ``counter.serve_counter``,
given to them or to their group), in a session that passed the second factor like
every staff page. They file applications for any department's procedure but read no
department's queue (that is ``backoffice.access``: memberships, which they need not
have). Anyone else gets 404, as in the back office, so pages cannot be probed."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import Q

from madoguchi.backoffice.access import _staff_page
from madoguchi.counter.models import Visit


def can_serve_counter(user) -> bool:
    """Asked once per request (kept on the user object): active, and a superuser or
    given ``counter.serve_counter`` (themselves or through a group)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_counter_clerk", None)
    if cached is None:
        cached = user.is_superuser or (
            Permission.objects.filter(content_type__app_label="counter", codename="serve_counter")
            .filter(Q(user=user) | Q(group__user=user))
            .exists()
        )
        user._counter_clerk = cached
    return cached


counter_required = _staff_page(can_serve_counter)


def visit_for(user, public_id) -> Visit:
    """A visit of the active town (any counter clerk of the town may take over a
    visit: the resident may be called to another window)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Visit, public_id=public_id)
