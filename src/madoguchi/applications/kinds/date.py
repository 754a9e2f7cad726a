"""``date``: a day, typed as 元号・年・月・日 (or 西暦), stored as ISO."""

from datetime import date

from madoguchi.applications.kinds.base import ERRORS, Input, Printed, Single, lang
from madoguchi.applications.kinds.registry import register
from madoguchi.common.forms import BirthDateField, EraDateField
from madoguchi.common.japanese import format_date, wareki


@register("date")
class Date(Single):
    label = {"ja": "日付", "en": "date"}

    def inputs(self, field, name):
        # 生年月日 is one of the facts a verified identity vouches for.
        return [Input(name, verified=True)]

    def form_fields(self, field, name, common):
        # A birth date (by its id or its prefill) can be neither future nor absurdly old.
        date_field = BirthDateField if field.is_birth_date else EraDateField
        return {name: date_field(error_messages=ERRORS, **common)}

    def error_anchor(self, input_name, auto_id):
        # The widget draws id_<name>_0 … _3 (元号・年・月・日); there is no id_<name>.
        return f"{auto_id}_1"

    def to_value(self, field, clean, name):
        value = clean.get(name)
        return None if value in (None, "") else value.isoformat()

    def to_initial(self, field, value, name):
        return {name: date.fromisoformat(value) if isinstance(value, str) else value}

    def display(self, field, value, attachments):
        day = date.fromisoformat(value)
        if lang().startswith("en"):
            return [format_date(day, "en")]
        return [f"{wareki(day)}({format_date(day, 'ja')})"]

    def printed(self, field, value, attachments):
        # Paper forms are in 和暦; the 西暦 follows in small type for whoever checks it.
        day = date.fromisoformat(value)
        return Printed(lines=(wareki(day),), note=f"{day.year}年{day.month}月{day.day}日")

    def csv_cells(self, field, value, files):
        return {(): value}

    def sample(self, field, name):
        return {
            f"{name}_era": "平成",
            f"{name}_year": "2",
            f"{name}_month": "4",
            f"{name}_day": "1",
        }

    def check(self, field, group):
        return []
