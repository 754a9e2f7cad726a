"""A procedure's form (catalogue ``form:``) as Django forms: one flat form for the
top-level fields and a formset per repeating group.

Draft mode (``draft=True``) is what 「保存」 uses: nothing is required yet, but what
is typed must be right (a ふりがな in kanji is an error even in a draft). Review
mode is what 「確認へ進む」 and the submission use: required fields, the smallest
number of repeats and at least one file where a file is required.

Fields filled from a verified identity (``locked``) are not inputs at all: the page
shows them, and the server takes them from the identity, never from the request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.forms import formset_factory
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from madoguchi.applications import field_kinds
from madoguchi.applications.display import value_text
from madoguchi.catalog.form_schema import FormField, FormSpec


class _Plain(forms.Form):
    template_name = None  # drawn field by field by the page


def _form_class(fields: list[FormField], required: bool) -> type[forms.Form]:
    attrs: dict = {}
    for f in fields:
        if f.kind in ("group", "file"):
            continue
        attrs.update(field_kinds.make(f, required and f.required))
    return type("EntryForm", (_Plain,), attrs)


def _row_initial(group: FormField, row: dict) -> dict:
    initial: dict = {}
    for sub in group.fields:
        initial.update(field_kinds.to_initial(sub, row.get(sub.id)))
    return initial


@dataclass
class Problem:
    anchor: str
    label: str
    message: str


@dataclass
class Entry:
    """One top-level field as the page draws it."""

    spec: FormField
    fields: list = field(default_factory=list)  # bound fields (simple kinds)
    formset: forms.BaseFormSet | None = None  # group
    locked: object = None  # value from the verified identity
    is_locked: bool = False
    locked_lines: list[str] = field(default_factory=list)  # the locked value, as shown
    attachments: list = field(default_factory=list)  # file
    file_errors: list[str] = field(default_factory=list)


class ApplicationForm:
    def __init__(
        self,
        spec: FormSpec,
        *,
        data: dict | None = None,
        values: dict | None = None,
        draft: bool = True,
        locked: dict | None = None,
        attachments: dict[str, list] | None = None,
    ):
        self.spec, self.draft = spec, draft
        self.locked = locked or {}
        self.attachments = attachments or {}
        values = values or {}
        editable = [f for f in spec.fields if f.id not in self.locked]
        initial: dict = {}
        for f in editable:
            if f.kind not in ("group", "file"):
                initial.update(field_kinds.to_initial(f, values.get(f.id)))
        self.form = _form_class(editable, not draft)(data=data, initial=initial)
        self.formsets: dict[str, forms.BaseFormSet] = {}
        for g in (f for f in editable if f.kind == "group"):
            required = not draft and g.required
            rows = values.get(g.id) or []
            formset_class = formset_factory(
                _form_class(g.fields, not draft),
                # A group that needs repeats starts with that many empty ones.
                extra=max(0, g.min_items - len(rows)),
                min_num=g.min_items if required else 0,
                validate_min=required,
                max_num=g.max_items,
                validate_max=True,
                absolute_max=g.max_items,
            )
            if data is not None and f"{g.id}-TOTAL_FORMS" not in data:
                # A group the page did not send (an older form, a hand-made
                # request) has no repeats, rather than a "management form" error.
                data = {**data, f"{g.id}-TOTAL_FORMS": "0", f"{g.id}-INITIAL_FORMS": "0"}
            self.formsets[g.id] = formset_class(
                data=data, prefix=g.id, initial=[_row_initial(g, r) for r in rows]
            )
        self.file_errors: dict[str, list[str]] = {}

    # -- validation -------------------------------------------------------------
    def is_valid(self) -> bool:
        ok = self.form.is_valid()
        for formset in self.formsets.values():
            ok = formset.is_valid() and ok
        if not self.draft:
            for f in self.spec.fields:
                if f.kind == "file" and f.required and not self.attachments.get(f.id):
                    self.file_errors.setdefault(f.id, []).append(_("ファイルを付けてください"))
                    ok = False
        return ok and not any(self.file_errors.values())

    def values(self) -> dict:
        """The clean values of every field that is right (call after ``is_valid``)."""
        clean = getattr(self.form, "cleaned_data", {})
        out: dict = {}
        for f in self.spec.fields:
            if f.id in self.locked:
                out[f.id] = self.locked[f.id]
            elif f.kind == "group":
                out[f.id] = [
                    row
                    for form in self.formsets[f.id].forms
                    if (row := self._row(f, getattr(form, "cleaned_data", {})))
                ]
            elif f.kind == "file":
                out[f.id] = [str(a.public_id) for a in self.attachments.get(f.id, [])]
            else:
                value = field_kinds.to_value(f, clean)
                if value is not None:
                    out[f.id] = value
        return out

    @staticmethod
    def _row(group: FormField, clean: dict) -> dict:
        row = {}
        for sub in group.fields:
            value = field_kinds.to_value(sub, clean)
            if value is not None:
                row[sub.id] = value
        return row

    # -- drawing ----------------------------------------------------------------
    def entries(self) -> list[Entry]:
        out = []
        for f in self.spec.fields:
            entry = Entry(spec=f)
            if f.id in self.locked:
                entry.is_locked, entry.locked = True, self.locked[f.id]
                entry.locked_lines = value_text(f, self.locked[f.id])
            elif f.kind == "group":
                entry.formset = self.formsets[f.id]
            elif f.kind == "file":
                entry.attachments = self.attachments.get(f.id, [])
                entry.file_errors = self.file_errors.get(f.id, [])
            else:
                entry.fields = [self.form[name] for name in field_kinds.inputs(f)]
            out.append(entry)
        return out

    def problems(self) -> list[Problem]:
        """Every error, in page order, for the summary at the top (links to each)."""
        lang = get_language() or "ja"
        out: list[Problem] = []
        for f in self.spec.fields:
            label = f.label.get(lang)
            if f.kind == "group" and f.id in self.formsets:
                formset = self.formsets[f.id]
                for message in formset.non_form_errors():
                    out.append(Problem(f"group-{f.id}", label, message))
                for i, form in enumerate(formset.forms):
                    for name, errors in form.errors.items():
                        sub = form[name]
                        where = _("%(label)s %(n)d件目の%(sub)s") % {
                            "label": label,
                            "n": i + 1,
                            "sub": sub.label,
                        }
                        out += [Problem(sub.auto_id, where, m) for m in errors]
            elif f.kind == "file":
                out += [Problem(f"id_{f.id}", label, m) for m in self.file_errors.get(f.id, [])]
            elif f.id not in self.locked:
                for name in field_kinds.inputs(f):
                    bound = self.form[name]
                    where = label if name == f.id else f"{label}({bound.label})"
                    out += [Problem(bound.auto_id, where, m) for m in bound.errors]
        return out


def missing_required(spec: FormSpec, values: dict, attachments: dict[str, list]) -> list[str]:
    """Labels of required fields still empty (for MyPage: 「あと3項目」)."""
    lang = get_language() or "ja"
    missing = []
    for f in spec.fields:
        if not f.required:
            continue
        if f.kind == "file":
            empty = not attachments.get(f.id)
        elif f.kind == "group":
            empty = len(values.get(f.id) or []) < max(f.min_items, 1)
        else:
            empty = values.get(f.id) in (None, "", [])
        if empty:
            missing.append(f.label.get(lang))
    return missing
