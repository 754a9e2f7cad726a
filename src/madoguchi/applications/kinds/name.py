"""``name``: 氏名 and ふりがな, stored as ``{"name", "kana"}`` (kana in hiragana).
A verified identity vouches for the 氏名 only: the ふりがな stays asked (a My
Number card has none)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.applications.kinds.base import ERRORS, Input, Kind, Printed, Tidied
from madoguchi.applications.kinds.registry import register
from madoguchi.common.text_input import tidy_kana, tidy_name


@register("name")
class Name(Kind):
    label = {"ja": "氏名とふりがな", "en": "name and its reading"}
    template = "applications/kinds/_name.html"

    def inputs(self, field, name):
        return [Input(f"{name}__name", "name", verified=True), Input(f"{name}__kana", "kana")]

    def form_fields(self, field, name, common):
        return {
            f"{name}__name": Tidied(
                tidy_name,
                max_length=50,
                **common,
                error_messages=ERRORS,
                widget=forms.TextInput(attrs={"autocomplete": "name"}),
            ),
            f"{name}__kana": Tidied(
                tidy_kana,
                max_length=60,
                required=common["required"],
                label=_("ふりがな"),
                error_messages=ERRORS,
            ),
        }

    def to_value(self, field, clean, name):
        full, kana = clean.get(f"{name}__name"), clean.get(f"{name}__kana")
        return {"name": full or "", "kana": kana or ""} if (full or kana) else None

    def to_initial(self, field, value, name):
        return {f"{name}__name": value.get("name", ""), f"{name}__kana": value.get("kana", "")}

    def display(self, field, value, attachments):
        return [value.get("name", ""), value.get("kana", "")]

    def printed(self, field, value, attachments):
        # As on paper forms: the ふりがな in small type over the 氏名.
        return Printed(lines=(value.get("name", ""),), reading=value.get("kana", ""))

    def csv_columns(self, field, label, repeats):
        return [(("name",), f"{label}(氏名)"), (("kana",), f"{label}(ふりがな)")]

    def csv_cells(self, field, value, files):
        return {("name",): value.get("name", ""), ("kana",): value.get("kana", "")}

    def sample(self, field, name):
        return {f"{name}__name": "みどり 太郎", f"{name}__kana": "みどり たろう"}

    def check(self, field, group):
        return []
