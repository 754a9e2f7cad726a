"""What every kind of form field says about itself, in one class per kind.

A kind (``text``, ``name``, ``address``…) is drawn as one or more *inputs* (the
boxes of the page), turns their clean values into the value stored in
``Application.data`` and back, shows that value to people (and on the printed
form, ``printed``), writes it to the CSV export, answers it with a sample, and
checks how the catalogue uses it. Every one
of these is an abstract method: a kind that leaves one out is refused when it is
registered (``registry.register``), so the server does not start with it.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

ERRORS = {"required": _("入れてください")}


def lang() -> str:
    return get_language() or "ja"


@dataclass(frozen=True)
class Input:
    """One box of the page. ``part`` is its key in a dict value (None: the whole
    value); ``verified`` says a verified identity may fill and lock it (氏名 and
    住所 are verified facts; their ふりがな and 〒 are not, and stay asked)."""

    name: str
    part: str | None = None
    verified: bool = False


@dataclass(frozen=True)
class Printed:
    """A value as the counter's printed form shows it: ``lines`` in large type,
    ``reading`` (ふりがな) in small type above them, ``note`` in small type after
    them (the 西暦 of a 和暦 date), ``parts`` as labelled cells side by side (a bank
    account's 金融機関・支店・口座番号…)."""

    lines: tuple[str, ...] = ()
    reading: str = ""
    note: str = ""
    parts: tuple[tuple[str, str], ...] = ()


class Tidied(forms.CharField):
    """A text field whose value goes through a ``common.text_input`` function
    (which raises ``ValueError`` with the reason)."""

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


class Kind(abc.ABC):
    """One kind of catalogue form field. ``id`` is set by ``@register``; ``label``
    is what the catalogue check calls it (``{"ja": …, "en": …}``); ``template`` is
    the partial that draws its inputs on the entry page."""

    id: str = ""
    label: dict[str, str] = {}
    template: str = "applications/kinds/_single.html"
    # group and file are not drawn from Django fields of the entry form.
    structural: bool = False
    # On the printed form, a value too long to share a row with another field.
    print_wide: bool = False

    # -- the page ---------------------------------------------------------------
    @abc.abstractmethod
    def inputs(self, field, name: str) -> list[Input]:
        """The inputs under the name ``name`` (the field id, or ``group-0-id``)."""

    @abc.abstractmethod
    def form_fields(self, field, name: str, common: dict) -> dict[str, forms.Field]:
        """The Django field of each input. ``common`` holds required, label, help_text."""

    def error_anchor(self, input_name: str, auto_id: str) -> str:
        """The id in the page of the box an error of ``input_name`` points at."""
        return auto_id

    # -- value ⇄ inputs ---------------------------------------------------------
    @abc.abstractmethod
    def to_value(self, field, clean: dict, name: str):
        """The stored value from the inputs' clean values (None when nothing given)."""

    @abc.abstractmethod
    def to_initial(self, field, value, name: str) -> dict:
        """The inputs' initial values for a stored (non-empty) value."""

    # -- people and systems -----------------------------------------------------
    @abc.abstractmethod
    def display(self, field, value, attachments: dict) -> list[str]:
        """A (non-empty) value as lines of text, in the page's language."""

    def printed(self, field, value, attachments: dict) -> Printed:
        """A (non-empty) value on the printed form: by default its display lines; a
        kind whose paper form differs (ふりがな above a name, 和暦 first) says so."""
        return Printed(lines=tuple(self.display(field, value, attachments)))

    @abc.abstractmethod
    def csv_columns(self, field, label: str, repeats: dict) -> list[tuple[tuple, str]]:
        """(key under the field's key, header) of each CSV column, in Japanese."""

    @abc.abstractmethod
    def csv_cells(self, field, value, files: dict) -> dict[tuple, object]:
        """The cells of a (non-empty) value, by the keys of ``csv_columns``."""

    @abc.abstractmethod
    def sample(self, field, name: str) -> dict[str, str]:
        """A right answer, as the page would post it under ``name``."""

    @abc.abstractmethod
    def check(self, field, group) -> list[tuple[str, str]]:
        """(Japanese problem, key) for how the catalogue uses this kind; ``group``
        is the group the field sits in, or None."""

    # -- shared behaviour -------------------------------------------------------
    def verified_inputs(self, field, name: str) -> list[str]:
        return [i.name for i in self.inputs(field, name) if i.verified]

    def fully_verified(self, field) -> bool:
        """Whether a verified identity fills every input (the field is not asked)."""
        inputs = self.inputs(field, field.id)
        return bool(inputs) and all(i.verified for i in inputs)

    def with_verified(self, field, value, verified):
        """``value`` with the parts a verified identity fills taken from ``verified``."""
        inputs = self.inputs(field, field.id)
        if self.fully_verified(field):
            return verified
        parts = [i.part for i in inputs if i.verified and i.part]
        if not parts or not isinstance(verified, dict):
            return value
        merged = dict(value or {}) | {p: verified.get(p, "") for p in parts}
        for i in inputs:
            merged.setdefault(i.part, "")
        return merged

    def verified_lines(self, field, verified) -> list[str]:
        """The verified parts as shown beside the inputs still asked."""
        if self.fully_verified(field):
            return self.display(field, verified, {})
        parts = [i.part for i in self.inputs(field, field.id) if i.verified]
        return [verified.get(p, "") for p in parts if isinstance(verified, dict)]


class Single(Kind):
    """A kind drawn as one input whose clean value is the stored value, in one CSV
    column. Its display, cells, sample and check are still its own to write."""

    def inputs(self, field, name):
        return [Input(name)]

    def to_value(self, field, clean, name):
        value = clean.get(name)
        return None if value in (None, "") else value

    def to_initial(self, field, value, name):
        return {name: value}

    def csv_columns(self, field, label, repeats):
        return [((), label)]
