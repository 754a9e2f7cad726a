from django.contrib import admin

from madoguchi.common.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: staff may look, nobody may add, change or delete."""

    list_display = ("at", "actor_id", "action", "target_type", "target_id")
    list_filter = ("action", "target_type")
    search_fields = ("target_type", "target_id")
    date_hierarchy = "at"
    readonly_fields = ("at", "actor", "action", "target_type", "target_id", "detail", "ip_hash")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
