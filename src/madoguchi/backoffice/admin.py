"""Who works where: the administrator puts staff into departments here (the
departments are the catalogue's). Every change is audited (by the admin site:
``common/admin_site.py``); nobody can put themselves into a department here."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from madoguchi.backoffice.models import Membership
from madoguchi.catalog.registry import current_catalog


class MembershipForm(forms.ModelForm):
    department_id = forms.ChoiceField(label=_("担当課"))
    acting_user = None  # set per request by MembershipAdmin.get_form

    class Meta:
        model = Membership
        fields = ["user", "department_id", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department_id"].choices = [
            (d.id, d.name.ja) for d in current_catalog().departments.values()
        ]

    def clean(self):
        # An administrator who could place themselves would reach every department's
        # residents: a second administrator does it, and the audit log shows who.
        cleaned = super().clean()
        user = cleaned.get("user")
        mine = self.instance.pk is not None and self.instance.user_id == getattr(
            self.acting_user, "pk", None
        )
        if self.acting_user is not None and (user == self.acting_user or mine):
            raise forms.ValidationError(
                _(
                    "ご自身を担当課に入れたり、ご自身の所属を変えたりすることはできません。"
                    "ほかの管理者に依頼してください。"
                )
            )
        return cleaned


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ("user", "department_id", "role")
    list_filter = ("department_id", "role")
    search_fields = ("user__email",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # A class made for this request (modelform_factory): the user doing the change.
        return type(form.__name__, (form,), {"acting_user": request.user})
