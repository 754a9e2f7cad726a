"""Staff see residents' data only through here; every look and change is audited
(by the admin site itself: ``common/admin_site.py``)."""

from __future__ import annotations

from django.contrib import admin

from madoguchi.residents.identity.registry import registry
from madoguchi.residents.models import Profile, VerifiedIdentity


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("id", "user_id", "updated_at")
    raw_id_fields = ("user",)


@admin.register(VerifiedIdentity)
class VerifiedIdentityAdmin(admin.ModelAdmin):
    """Read-only; the list page also says which identity providers are set up."""

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
