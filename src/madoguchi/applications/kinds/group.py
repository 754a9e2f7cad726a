"""``group``: fields asked once per repeat (a formset whose prefix is the field
id), stored as a list of objects keyed by the group's field ids."""

from django.utils.translation import ngettext

from madoguchi.applications.kinds.base import Input, Kind
from madoguchi.applications.kinds.registry import of, register


@register("group")
class Group(Kind):
    label = {"ja": "くり返す項目のまとまり", "en": "repeated fields"}
    template = "applications/kinds/_group.html"
    structural = True

    def inputs(self, field, name):
        return [Input(name)]

    def form_fields(self, field, name, common):
        return {}  # a formset of the entry form (entry_form.ApplicationForm)

    def error_anchor(self, input_name, auto_id):
        return f"group-{input_name}"

    def to_value(self, field, clean, name):
        return None

    def to_initial(self, field, value, name):
        return {}

    def display(self, field, value, attachments):
        # The rows are shown one by one (display.rows); this is their count.
        n = len(value)
        return [ngettext("%(n)d件", "%(n)d件", n) % {"n": n}]

    def csv_columns(self, field, label, repeats):
        out = []
        for i in range(repeats.get(field.id, 0)):
            for sub in field.fields:
                for key, header in of(sub).csv_columns(
                    sub, f"{label}{i + 1} {sub.label.ja}", repeats
                ):
                    out.append(((i, sub.id, *key), header))
        return out

    def csv_cells(self, field, value, files):
        out = {}
        for i, item in enumerate(value):
            for sub in field.fields:
                found = (item or {}).get(sub.id)
                if found in (None, "", [], {}):
                    continue
                for key, cell in of(sub).csv_cells(sub, found, files).items():
                    out[(i, sub.id, *key)] = cell
        return out

    def sample(self, field, name):
        return {}  # the rows are answered one by one (samples.complete_input)

    def check(self, field, group):
        if group is None:
            return []
        return [
            (
                f"group「{field.id}」が group「{group.id}」の中にあります。group の中に group は"
                "書けません。外に出して、別の group にしてください",
                "kind",
            )
        ]
