"""``phone``: a Japanese phone number, stored as people read it (090-1234-5678).

Its cleaning at entry writes the canonical form (``canonical_phone``), so showing it
and exporting it never parse it again; a value of digits alone (stored before
2026-12, canonicalised by migration 0011, or prefilled from the profile) is still
formatted when read."""

from django import forms

from madoguchi.applications.kinds.base import ERRORS, Single, Tidied
from madoguchi.applications.kinds.registry import register
from madoguchi.common.text_input import canonical_phone, format_phone


@register("phone")
class Phone(Single):
    label = {"ja": "電話番号", "en": "phone number"}

    def form_fields(self, field, name, common):
        widget = forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
        return {
            name: Tidied(
                canonical_phone, max_length=20, error_messages=ERRORS, widget=widget, **common
            )
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
