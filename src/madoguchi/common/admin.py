from django.contrib import admin

from madoguchi.common.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: staff may look, nobody may add, change or delete."""

    list_display = ("at", "actor_id", "action", "target_type", "target_id")
    # A date filter by ranges, not date_hierarchy: that one runs the database's
    # date functions over every row, and one row written behind Django's back with
    # a malformed time made the whole list fail (``./dev audit verify`` finds it).
    list_filter = (("at", admin.DateFieldListFilter), "action", "target_type")
    search_fields = ("target_type", "target_id")
    readonly_fields = (
        "at", "actor", "action", "target_type", "target_id", "detail", "ip_hash",
        "prev_hash", "hash",
    )  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
