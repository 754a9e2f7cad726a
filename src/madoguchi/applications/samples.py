"""A complete, right answer to any catalogue form, as its page would post it.

Used by ``./dev manage demo`` (the demo people's applications), the benchmark and
the tests that check every form of a catalogue can be filled: built from the form
itself, so a new form or a new kind of field is covered without more code.
Values already known (prefilled) are kept; the rest get a plain sample.
"""

from __future__ import annotations

from django.forms import MultiWidget

from madoguchi.applications.entry_form import ApplicationForm
from madoguchi.applications.kinds import of
from madoguchi.catalog.form_schema import FormField, FormSpec


def answer(field: FormField, name: str) -> dict[str, str]:
    """A right answer for one field under the input name ``name`` (its kind's sample)."""
    return of(field).sample(field, name)


def _known(spec: FormSpec, values: dict) -> dict[str, str]:
    """The inputs of ``values`` as the page draws them (dates as 元号・年・月・日)."""
    form = ApplicationForm(spec, values=values, draft=True)
    bound = list(form.form) + [bf for fs in form.formsets.values() for f in fs.forms for bf in f]
    post: dict[str, str] = {}
    for bf in bound:
        value = bf.value()
        widget = bf.field.widget
        if isinstance(widget, MultiWidget):
            parts = widget.decompress(value) if value else []
            if any(p not in (None, "") for p in parts[1:]):
                post |= {
                    f"{bf.html_name}{suffix}": str(part)
                    for suffix, part in zip(widget.widgets_names, parts, strict=True)
                }
        elif value not in (None, ""):
            post[bf.html_name] = str(value)
    return post


def complete_input(spec: FormSpec, values: dict | None = None) -> dict[str, str]:
    """Every input of ``spec`` answered: ``values`` where given, samples elsewhere."""
    values = values or {}
    post: dict[str, str] = {}
    for f in spec.fields:
        if f.kind == "file":
            continue
        if f.kind == "group":
            n = max(f.min_items, 1, len(values.get(f.id) or []))
            post |= {f"{f.id}-TOTAL_FORMS": str(n), f"{f.id}-INITIAL_FORMS": "0"}
            for i in range(n):
                for sub in f.fields:
                    post |= answer(sub, f"{f.id}-{i}-{sub.id}")
        else:
            post |= answer(f, f.id)
    return post | _known(spec, values)
