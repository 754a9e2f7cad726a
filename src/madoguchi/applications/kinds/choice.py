"""``choice``: one of the catalogue's ``choices``, stored as its ``value``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.applications.kinds.base import ERRORS, Input, Single, lang
from madoguchi.applications.kinds.registry import register


def _label(field, value, language: str) -> str | None:
    return next((c.label.get(language) for c in field.choices if str(c.value) == str(value)), None)


@register("choice")
class Choice(Single):
    label = {"ja": "選択肢から1つ", "en": "one of the choices"}

    def inputs(self, field, name):
        return [Input(name, verified=True)]  # 性別 from a verified identity

    def form_fields(self, field, name, common):
        return {
            name: forms.ChoiceField(
                choices=[(str(c.value), c.label.get(lang())) for c in field.choices],
                widget=forms.RadioSelect,
                error_messages=ERRORS | {"invalid_choice": _("選んでください")},
                **common,
            )
        }

    def display(self, field, value, attachments):
        # A value the form no longer offers (the catalogue changed) is shown as kept.
        return [_label(field, value, lang()) or f"{value}"]

    def csv_cells(self, field, value, files):
        return {(): _label(field, value, "ja") or f"{value}"}

    def sample(self, field, name):
        return {name: str(field.choices[0].value)}

    def check(self, field, group):
        return []
