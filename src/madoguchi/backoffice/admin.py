"""Who works where: the administrator puts staff into departments here (the
departments are the catalogue's). Every change is audited."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from madoguchi.backoffice.models import Membership
from madoguchi.catalog.registry import current_catalog
from madoguchi.common import audit


class MembershipForm(forms.ModelForm):
    department_id = forms.ChoiceField(label="担当課")

    class Meta:
        model = Membership
        fields = ["user", "department_id", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department_id"].choices = [
            (d.id, d.name.ja) for d in current_catalog().departments.values()
        ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ("user", "department_id", "role")
    list_filter = ("department_id", "role")
    search_fields = ("user__email",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(request, "change" if change else "create", "backoffice.Membership",
                     obj.pk, department=obj.department_id, role=obj.role)  # fmt: skip

    def delete_model(self, request, obj):
        audit.record(request, "delete", "backoffice.Membership", obj.pk,
                     department=obj.department_id)  # fmt: skip
        super().delete_model(request, obj)
