"""``textarea``: several lines of text."""

from django import forms

from madoguchi.applications.kinds.base import ERRORS, Single, Tidied
from madoguchi.applications.kinds.registry import register
from madoguchi.common.text_input import tidy_free_text


@register("textarea")
class Textarea(Single):
    label = {"ja": "数行の文字", "en": "several lines of text"}
    print_wide = True

    def form_fields(self, field, name, common):
        return {
            name: Tidied(
                tidy_free_text,
                max_length=field.max_length or 2000,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages=ERRORS,
                **common,
            )
        }

    def display(self, field, value, attachments):
        return value.splitlines() or [""]

    def csv_cells(self, field, value, files):
        return {(): value}

    def sample(self, field, name):
        return {name: "特にありません"}

    def check(self, field, group):
        return []
