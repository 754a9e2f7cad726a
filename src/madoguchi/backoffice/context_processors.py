"""The back office's words for every page: ``office_link`` (the header's link,
staff only), ``office_supervisor`` and ``office_auditor`` (the staff menu).
Lazy: a query runs only when a page asks."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject


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

    def supervisor() -> bool:
        from madoguchi.backoffice.access import supervises_any

        return signed_in() and supervises_any(user)

    auditor_lazy = SimpleLazyObject(auditor)
    return {
        "office_link": SimpleLazyObject(lambda: member() or bool(auditor_lazy)),
        "office_auditor": auditor_lazy,
        "office_supervisor": SimpleLazyObject(supervisor),
    }
