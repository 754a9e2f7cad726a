"""The admin site, audited in one place: every ModelAdmin registered on it (ours,
Django's ``UserAdmin``, allauth's…) gets ``AuditedAdmin`` mixed in, so adding,
changing and deleting anything in the admin, and opening a record, go to the
audit log like any other change (``madoguchi.common.audit.record``).

Hooked where Django's own admin history is written (``log_addition``,
``log_change``, ``log_deletions``): whatever the admin logs, we audit. Installed
as the base of the admin's site (backoffice/admin_site.py).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.db import router

from madoguchi.common import audit


def target_of(obj) -> str:
    """The audit log's name of a model: its label, e.g. ``residents.Profile``."""
    return obj._meta.label


class AuditedAdmin:
    """Mixed into every ModelAdmin of the site (before the admin's own class)."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Opening a record shows its data (a resident's name, address…): audited
        # once the page is shown (not when refused or not found).
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            audit.record(request, "view", self.model._meta.label, object_id, page="admin")
        return response

    def construct_change_message(self, request, form, formsets, add=False):
        # The form's field names (never their values) for log_addition/log_change.
        request._audit_fields = list(getattr(form, "changed_data", []))
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        audit.record(request, "create", target_of(obj), obj.pk, page="admin",
                     fields=getattr(request, "_audit_fields", []))  # fmt: skip
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        audit.record(request, "change", target_of(obj), obj.pk, page="admin",
                     fields=getattr(request, "_audit_fields", []))  # fmt: skip
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        # Called before the deletion: what goes with each object (a user's profile,
        # identity, memberships…) is recorded too, naming the object deleted.
        for obj in queryset:
            audit.record(request, "delete", target_of(obj), obj.pk, page="admin")
            collector = NestedObjects(using=router.db_for_write(type(obj)))
            collector.collect([obj])
            for found in collector.data.values():
                for other in found:
                    if other == obj or other._meta.auto_created:
                        continue  # itself, and many-to-many link rows
                    audit.record(request, "delete", target_of(other), other.pk,
                                 page="admin", **{"with": f"{target_of(obj)}:{obj.pk}"})  # fmt: skip
        return super().log_deletions(request, queryset)


class AuditedAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdmin):
            admin_class = type(admin_class.__name__, (AuditedAdmin, admin_class), {
                "__module__": admin_class.__module__, "__doc__": admin_class.__doc__,
            })  # fmt: skip
        return super().register(model_or_iterable, admin_class, **options)
