"""``yes_no``: はい / いいえ, stored as true / false."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.applications.kinds.base import ERRORS, Single
from madoguchi.applications.kinds.registry import register

YES_NO = [("yes", gettext_lazy("はい")), ("no", gettext_lazy("いいえ"))]


@register("yes_no")
class YesNo(Single):
    label = {"ja": "はい・いいえ", "en": "yes or no"}

    def form_fields(self, field, name, common):
        return {
            name: forms.ChoiceField(
                choices=YES_NO, widget=forms.RadioSelect, error_messages=ERRORS, **common
            )
        }

    def to_value(self, field, clean, name):
        value = clean.get(name)
        return None if value in (None, "") else value == "yes"

    def to_initial(self, field, value, name):
        return {name: "yes" if value else "no"}

    def display(self, field, value, attachments):
        return [_("はい") if value else _("いいえ")]

    def csv_cells(self, field, value, files):
        return {(): "はい" if value else "いいえ"}

    def sample(self, field, name):
        return {name: "yes"}

    def check(self, field, group):
        return []
