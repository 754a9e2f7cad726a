"""The back office's words for every page: ``office_link`` (the header's link's
address, staff only; "" for others), ``office_supervisor``, ``office_auditor`` and ``office_figures`` (the staff menu),
``office_departments`` (the office header: 「子育て支援課(係長・課長)」).
Lazy: a query runs only when a page asks."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _


def office(request) -> dict:
    user = getattr(request, "user", None)

    def signed_in() -> bool:
        return user is not None and user.is_authenticated

    def member() -> bool:
        from madoguchi.backoffice.access import departments_of

        return signed_in() and bool(departments_of(user))

    def auditor() -> bool:
        from madoguchi.backoffice.access import can_read_audit

        return signed_in() and can_read_audit(user)

    def figures() -> bool:
        from madoguchi.backoffice.access import can_see_town_figures

        return signed_in() and can_see_town_figures(user)

    def supervisor() -> bool:
        from madoguchi.backoffice.access import supervises_any

        return signed_in() and supervises_any(user)

    def departments() -> list[str]:
        from madoguchi.backoffice.access import memberships
        from madoguchi.backoffice.models import Role
        from madoguchi.catalog.registry import current_catalog
        from madoguchi.common.templatetags.japanese import tr

        if not signed_in():
            return []
        known = current_catalog().departments
        names = []
        for department_id, role in memberships(user):
            found = known.get(department_id)
            name = tr(found.name) if found else department_id
            if role == Role.SUPERVISOR:
                name = _("%(department)s(係長・課長)") % {"department": name}
            names.append(name)
        return names

    auditor_lazy = SimpleLazyObject(auditor)
    figures_lazy = SimpleLazyObject(figures)
    return {
        # The header's link: the queue for a department's staff; the audit log or,
        # for the prefecture's administrators (in no department), the figures; for a
        # 総合窓口 clerk, the counter's list of today's visits.
        "office_link": SimpleLazyObject(
            lambda: _office_home(member, auditor_lazy, figures_lazy, user)
        ),
        "office_auditor": auditor_lazy,
        "office_figures": figures_lazy,
        "office_supervisor": SimpleLazyObject(supervisor),
        "office_departments": SimpleLazyObject(departments),
    }


def _office_home(member, auditor, figures, user) -> str:
    from django.urls import reverse

    if member():
        return reverse("backoffice:queue")
    if auditor:
        return reverse("backoffice:audit")
    if figures:
        return reverse("backoffice:figures")
    from madoguchi.counter.access import can_serve_counter

    if can_serve_counter(user):  # a 総合窓口 clerk: in no department, the counter's list
        return reverse("counter:visits")
    return ""
