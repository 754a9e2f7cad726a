"""``text``: one line of text."""

from madoguchi.applications.kinds.base import ERRORS, Single, Tidied
from madoguchi.applications.kinds.registry import register
from madoguchi.common.text_input import tidy_free_text


@register("text")
class Text(Single):
    label = {"ja": "1行の文字", "en": "one line of text"}

    def form_fields(self, field, name, common):
        return {
            name: Tidied(
                tidy_free_text, max_length=field.max_length or 200, error_messages=ERRORS, **common
            )
        }

    def display(self, field, value, attachments):
        return [value]

    def csv_cells(self, field, value, files):
        return {(): value}

    def sample(self, field, name):
        if field.max_length and field.max_length < 8:
            return {name: "1234567"[: field.max_length]}
        return {name: "みどり信用金庫"}

    def check(self, field, group):
        return []
