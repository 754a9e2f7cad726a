"""``number``: an integer (full-width digits and 「,」 accepted), with its unit."""

from madoguchi.applications.kinds.base import ERRORS, Single, lang
from madoguchi.applications.kinds.registry import register
from madoguchi.common.forms import JapaneseIntegerField


@register("number")
class Number(Single):
    label = {"ja": "整数", "en": "whole number"}

    def form_fields(self, field, name, common):
        return {
            name: JapaneseIntegerField(
                min_value=field.min_value,
                max_value=field.max_value,
                error_messages=ERRORS,
                **common,
            )
        }

    def display(self, field, value, attachments):
        unit = field.unit.get(lang()) if field.unit else ""
        return [f"{value:,}{unit}"]

    def csv_cells(self, field, value, files):
        return {(): value}

    def sample(self, field, name):
        low = field.min_value if field.min_value is not None else 1
        high = field.max_value if field.max_value is not None else 3
        return {name: str(max(low, min(3, high)))}

    def check(self, field, group):
        if None not in (field.min_value, field.max_value) and field.min_value > field.max_value:
            return [("min_value が max_value より大きくなっています", "min_value")]
        return []
