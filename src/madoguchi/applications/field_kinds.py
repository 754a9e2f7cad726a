"""One Django form field (or two) per kind of catalogue form field.

A ``name`` is two inputs (氏名, ふりがな) and an ``address`` two (郵便番号, 住所); the
rest are one. ``inputs(field)`` names them; ``to_value`` / ``to_initial`` turn the
inputs' clean values into the stored value (catalog/form_schema.py) and back.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from madoguchi.catalog.form_schema import FormField
from madoguchi.common.forms import BirthDateField, EraDateField, JapaneseIntegerField
from madoguchi.common.text_input import (
    format_phone,
    tidy_free_text,
    tidy_kana,
    tidy_name,
    tidy_phone,
    tidy_postal_code,
)

YES_NO = [("yes", _("はい")), ("no", _("いいえ"))]
ERRORS = {"required": _("入れてください")}


def _lang() -> str:
    return get_language() or "ja"


class _Tidied(forms.CharField):
    """A text field whose value goes through a ``text_input`` function."""

    def __init__(self, tidy, **kwargs):
        self.tidy = tidy
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return self.tidy(value)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None


def inputs(field: FormField) -> list[str]:
    """The names of the inputs a field is drawn with."""
    if field.kind == "name":
        return [f"{field.id}__name", f"{field.id}__kana"]
    if field.kind == "address":
        return [f"{field.id}__postal", f"{field.id}__address"]
    return [field.id]


def make(field: FormField, required: bool) -> dict[str, forms.Field]:
    """The Django field(s) for ``field`` (not for ``group`` or ``file``). Each says
    whether the catalogue requires it (``spec_required``: 「必須」 on the page, also
    while a draft requires nothing yet)."""
    made = _make(field, required)
    for django_field in made.values():
        django_field.spec_required = field.required
    return made


def _make(field: FormField, required: bool) -> dict[str, forms.Field]:
    lang = _lang()
    label = field.label.get(lang)
    help_text = field.help.get(lang) if field.help else ""
    common = {"required": required, "label": label, "help_text": help_text}
    kind = field.kind
    if kind == "name":
        return {
            f"{field.id}__name": _Tidied(
                tidy_name,
                max_length=50,
                **common,
                error_messages=ERRORS,
                widget=forms.TextInput(attrs={"autocomplete": "name"}),
            ),
            f"{field.id}__kana": _Tidied(
                tidy_kana,
                max_length=60,
                required=required,
                label=_("ふりがな"),
                error_messages=ERRORS,
            ),
        }
    if kind == "address":
        return {
            f"{field.id}__postal": _Tidied(
                tidy_postal_code,
                max_length=10,
                required=required,
                label=_("郵便番号"),
                help_text=_("7けたの数字。例: 100-0001"),
                error_messages=ERRORS,
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "autocomplete": "postal-code", "class": "n8"}
                ),
            ),
            f"{field.id}__address": _Tidied(
                tidy_free_text,
                max_length=200,
                required=required,
                label=_("住所"),
                help_text=_("番地・建物名・部屋番号まで"),
                error_messages=ERRORS,
            ),
        }
    return {field.id: _single(field, common)}


def _single(field: FormField, common: dict) -> forms.Field:
    kind, lang = field.kind, _lang()
    if kind == "text":
        return _Tidied(
            tidy_free_text, max_length=field.max_length or 200, error_messages=ERRORS, **common
        )
    if kind == "textarea":
        return _Tidied(
            tidy_free_text,
            max_length=field.max_length or 2000,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages=ERRORS,
            **common,
        )
    if kind == "date":
        date_field = BirthDateField if field.is_birth_date else EraDateField
        return date_field(error_messages=ERRORS, **common)
    if kind == "phone":
        return _Tidied(
            tidy_phone,
            max_length=20,
            error_messages=ERRORS,
            **common,
            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        )
    if kind == "email":
        return forms.EmailField(
            error_messages=ERRORS
            | {"invalid": _("メールアドレスの形が正しくありません(例: taro@example.jp)")},
            **common,
        )
    if kind == "choice":
        return forms.ChoiceField(
            choices=[(str(c.value), c.label.get(lang)) for c in field.choices],
            widget=forms.RadioSelect,
            error_messages=ERRORS | {"invalid_choice": _("選んでください")},
            **common,
        )
    if kind == "yes_no":
        return forms.ChoiceField(
            choices=YES_NO, widget=forms.RadioSelect, error_messages=ERRORS, **common
        )
    if kind == "number":
        return JapaneseIntegerField(
            min_value=field.min_value, max_value=field.max_value, error_messages=ERRORS, **common
        )
    raise ValueError(f"no single input for kind {kind}")


def to_value(field: FormField, clean: dict):
    """The stored value from the inputs' clean values (None when nothing was given)."""
    kind = field.kind
    if kind == "name":
        name, kana = clean.get(f"{field.id}__name"), clean.get(f"{field.id}__kana")
        return {"name": name or "", "kana": kana or ""} if (name or kana) else None
    if kind == "address":
        postal, address = clean.get(f"{field.id}__postal"), clean.get(f"{field.id}__address")
        return (
            {"postal_code": postal or "", "address": address or ""} if (postal or address) else None
        )
    value = clean.get(field.id)
    if value in (None, ""):
        return None
    if kind == "date":
        return value.isoformat()
    if kind == "yes_no":
        return value == "yes"
    return value


def to_initial(field: FormField, value) -> dict:
    """The inputs' initial values for a stored value."""
    if value is None:
        return {}
    kind = field.kind
    if kind == "name":
        return {
            f"{field.id}__name": value.get("name", ""),
            f"{field.id}__kana": value.get("kana", ""),
        }
    if kind == "address":
        return {
            f"{field.id}__postal": _hyphenated(value.get("postal_code", "")),
            f"{field.id}__address": value.get("address", ""),
        }
    if kind == "date":
        return {field.id: date.fromisoformat(value) if isinstance(value, str) else value}
    if kind == "yes_no":
        return {field.id: "yes" if value else "no"}
    if kind == "phone":
        return {field.id: format_phone(value)}  # 090-1234-5678, as people read it
    return {field.id: value}


def _hyphenated(postal_code: str) -> str:
    """1000001 → 100-0001, as it is written on mail."""
    return f"{postal_code[:3]}-{postal_code[3:]}" if len(postal_code) == 7 else postal_code
