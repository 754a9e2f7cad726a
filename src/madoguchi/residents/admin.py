"""Staff see residents' data only through here; every look is audited."""

from __future__ import annotations

from django.contrib import admin

from madoguchi.common import audit
from madoguchi.residents.identity.registry import registry
from madoguchi.residents.identity.store import TARGET as IDENTITY
from madoguchi.residents.models import Profile, VerifiedIdentity
from madoguchi.residents.profile import TARGET as PROFILE


class _AuditedAdmin(admin.ModelAdmin):
    target = ""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            audit.record(request, "view", self.target, object_id, page="admin")
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = "change" if change else "create"
        audit.record(request, action, self.target, obj.pk, page="admin", fields=form.changed_data)


@admin.register(Profile)
class ProfileAdmin(_AuditedAdmin):
    target = PROFILE
    list_display = ("id", "user_id", "updated_at")
    raw_id_fields = ("user",)


@admin.register(VerifiedIdentity)
class VerifiedIdentityAdmin(_AuditedAdmin):
    """Read-only; the list page also says which identity providers are set up."""

    target = IDENTITY
    list_display = ("id", "user_id", "provider", "verified_at")
    list_filter = ("provider",)
    change_list_template = "admin/residents/verifiedidentity/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "providers": provider_status()}
        return super().changelist_view(request, extra_context)


def provider_status() -> list[dict]:
    """Each enabled provider with what it lacks (staff only; residents never see these)."""
    return [
        {"id": provider_id, "problems": problems, "ok": not problems}
        for provider_id, problems in registry.settings_problems().items()
    ]
