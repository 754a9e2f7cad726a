"""``phone``: a Japanese phone number, stored as digits, shown with hyphens."""

from django import forms

from madoguchi.applications.kinds.base import ERRORS, Single, Tidied
from madoguchi.applications.kinds.registry import register
from madoguchi.common.text_input import format_phone, tidy_phone


@register("phone")
class Phone(Single):
    label = {"ja": "電話番号", "en": "phone number"}

    def form_fields(self, field, name, common):
        widget = forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
        return {
            name: Tidied(tidy_phone, max_length=20, error_messages=ERRORS, widget=widget, **common)
        }

    def to_initial(self, field, value, name):
        return {name: format_phone(value)}  # 090-1234-5678, as people read it

    def display(self, field, value, attachments):
        return [format_phone(value)]

    def csv_cells(self, field, value, files):
        return {(): format_phone(value)}

    def sample(self, field, name):
        return {name: "0277761234"}

    def check(self, field, group):
        return []
