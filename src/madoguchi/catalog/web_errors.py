"""Errors on the guide's pages, said the way a clerk would say them.

A situation the forms accepted can still be refused by the model (a birth date after
the event, a date out of range). Each such error is put on the field it concerns,
in the page's language and without code names; ``error_summary`` then lists every
error on the page with a link to its field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pydantic import ValidationError

from madoguchi.catalog.situation import OLDEST_AGE
from madoguchi.common.errors_ja import error_location
from madoguchi.common.forms import EraDateField
from madoguchi.common.japanese import format_date

# For an error location such as ("members", 0, "birth_date"): the form and field to
# show it on (None: the whole form), and what to put before the message when that
# field is not the one the error is about (「本人の生年月日: 」).
Locator = Callable[[tuple], tuple[forms.Form, str | None, str] | None]


def _day(value: object) -> str:
    """A date inside a sentence: 2026年11月20日 / Fri 20 Nov 2026."""
    if not isinstance(value, date):
        return str(value)
    if (get_language() or "ja").startswith("en"):
        return format_date(value, "en")
    return f"{value.year}年{value.month}月{value.day}日"


def message(error: Mapping, date_label: str, event_date: date | None) -> str:
    """One pydantic error about a situation → a sentence for the field it concerns."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    when = _day(event_date) if event_date else ""
    if kind == "birth_after_event":
        return _("%(label)s(%(date)s)より後の日になっています。年・月・日を確認してください") % {
            "label": date_label,
            "date": when,
        }
    if kind == "birth_too_old":
        return _("%(label)sより%(years)d年以上前になっています。年を確認してください") % {
            "label": date_label,
            "years": OLDEST_AGE,
        }
    if kind == "greater_than_equal" and isinstance(ctx.get("ge"), date):
        return _("%(date)sより前の日付は入れられません") % {"date": _day(ctx["ge"])}
    if kind == "less_than_equal" and isinstance(ctx.get("le"), date):
        return _("%(date)sより後の日付は入れられません") % {"date": _day(ctx["le"])}
    if kind == "greater_than_equal":
        return _("%(limit)s以上の数を入れてください") % {"limit": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("%(limit)s以下の数を入れてください") % {"limit": ctx.get("le")}
    if kind == "too_long":
        return _("一度に入れられるのは%(num)d人までです") % {"num": ctx.get("max_length", 0)}
    return _("この内容では調べられません。入れ直してください")


def place_errors(
    exc: ValidationError,
    locate: Locator,
    fallback: forms.Form,
    date_label: str,
    event_date: date | None,
) -> None:
    """Add each of the model's errors to the form field it concerns (or, when no field
    on the page asks it, to ``fallback`` as a whole-form error)."""
    for error in exc.errors():
        text = message(error, date_label, event_date)
        where = locate(error_location(error))
        if where is None:
            fallback.add_error(None, text)
        else:
            form, field, prefix = where
            form.add_error(field, prefix + text)


def anchor(field: forms.BoundField) -> str:
    """The id a summary link jumps to: the first input of a multi-part field."""
    widget = field.field.widget
    if isinstance(field.field, EraDateField) or isinstance(widget, forms.RadioSelect):
        return f"{field.auto_id}_0"
    return field.auto_id


def error_summary(named_forms: Iterable[tuple[str, forms.Form]]) -> list[dict]:
    """[{"href", "text"}] for every error on the page, in page order.

    ``named_forms`` pairs each form with how the page names it (「2人目の」 for a
    household row, "" for a form whose labels say it all).
    """
    entries = []
    for prefix, form in named_forms:
        for text in form.non_field_errors():
            first = next(iter(form), None)
            entries.append({"href": f"#{anchor(first)}" if first else "", "text": text})
        for field in form:
            for text in field.errors:
                entries.append(
                    {"href": f"#{anchor(field)}", "text": f"{prefix}{field.label}: {text}"}
                )
    return entries
