"""Who serves at the town's counter: the administrator adds 総合窓口 clerks here
(the group 「総合窓口」 gives the permission; this row, the town). Every change is
audited by the admin site; nobody can add themselves."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from madoguchi.counter.models import CounterClerk


class CounterClerkForm(forms.ModelForm):
    acting_user = None  # set per request by CounterClerkAdmin.get_form

    class Meta:
        model = CounterClerk
        fields = ["user"]

    def clean(self):
        # Serving at the counter shows residents' data: a second administrator adds
        # an administrator, and the audit log shows who.
        cleaned = super().clean()
        mine = self.instance.pk is not None and self.instance.user_id == getattr(
            self.acting_user, "pk", None
        )
        if self.acting_user is not None and (cleaned.get("user") == self.acting_user or mine):
            raise forms.ValidationError(
                _("ご自身を窓口の職員にすることはできません。ほかの管理者に依頼してください。")
            )
        return cleaned


@admin.register(CounterClerk)
class CounterClerkAdmin(admin.ModelAdmin):
    form = CounterClerkForm
    list_display = ("user",)
    search_fields = ("user__email",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})
