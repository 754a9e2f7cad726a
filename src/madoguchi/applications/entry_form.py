"""A procedure's form (catalogue ``form:``) as Django forms: one flat form for the
top-level fields and a formset per repeating group.

Draft mode (``draft=True``) is what 「保存」 uses: nothing is required yet, but what
is typed must be right (a ふりがな in kanji is an error even in a draft). Review
mode is what 「確認へ進む」 and the submission use: required fields, the smallest
number of repeats and at least one file where a file is required.

Two kinds of lock. ``locked`` fields (the fields a 補正依頼 does not name) are not
inputs at all. ``verified`` holds what a verified identity fills, per field; the
field's kind says which of its inputs that locks (the 氏名 but not its ふりがな, the
住所 but not its 〒): those inputs are not drawn, the page shows their value, and
the server takes it from the identity, never from the request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.forms import formset_factory
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from madoguchi.applications.display import value_text
from madoguchi.applications.kinds import of
from madoguchi.catalog.form_schema import FormField, FormSpec


class _Plain(forms.Form):
    template_name = None  # drawn field by field by the page


def make_fields(f: FormField, required: bool, skip=()) -> dict[str, forms.Field]:
    """The Django field of each input of ``f`` (but ``skip``). Each says whether
    the catalogue requires it (``spec_required``: 「必須」 on the page, also while a
    draft requires nothing yet)."""
    lang = get_language() or "ja"
    common = {
        "required": required,
        "label": f.label.get(lang),
        "help_text": f.help.get(lang) if f.help else "",
    }
    made = of(f).form_fields(f, f.id, common)
    for django_field in made.values():
        django_field.spec_required = f.required
    return {name: field for name, field in made.items() if name not in skip}


def initial_of(f: FormField, value) -> dict:
    return {} if value is None else of(f).to_initial(f, value, f.id)


def _form_class(fields: list[FormField], required: bool, skip=()) -> type[forms.Form]:
    attrs: dict = {}
    for f in fields:
        if not of(f).structural:
            attrs.update(make_fields(f, required and f.required, skip))
    return type("EntryForm", (_Plain,), attrs)


def _row_initial(group: FormField, row: dict) -> dict:
    initial: dict = {}
    for sub in group.fields:
        initial.update(initial_of(sub, row.get(sub.id)))
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
    template: str = ""  # the kind's partial that draws it
    fields: list = field(default_factory=list)  # bound fields (simple kinds)
    formset: forms.BaseFormSet | None = None  # group
    locked: object = None  # value kept (not asked): a verified one, or outside a 補正
    is_locked: bool = False
    locked_lines: list[str] = field(default_factory=list)  # the locked value, as shown
    verified_lines: list[str] = field(default_factory=list)  # locked inputs beside asked ones
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
        verified: dict | None = None,
        attachments: dict[str, list] | None = None,
        prefix: str | None = None,
        ask_files: bool = True,
    ):
        # ``prefix``: several forms on one page (the counter's one pass) name their
        # inputs ``<prefix>-<name>``. ``ask_files=False``: the counter sees the
        # papers themselves; no file is asked or required.
        self.spec, self.draft, self.prefix, self.ask_files = spec, draft, prefix, ask_files
        self.locked = dict(locked or {})
        self.verified: dict = {}  # a verified value of a field with inputs still asked
        for f in spec.fields:
            if f.id in (verified or {}) and f.id not in self.locked:
                if of(f).fully_verified(f):
                    self.locked[f.id] = verified[f.id]
                else:
                    self.verified[f.id] = verified[f.id]
        self.attachments = attachments or {}
        values = values or {}
        editable = [
            f for f in spec.fields if f.id not in self.locked and (ask_files or f.kind != "file")
        ]
        initial: dict = {}
        skip: set[str] = set()
        for f in editable:
            if of(f).structural:
                continue
            if f.id in self.verified:
                # Inputs still asked start from the draft, else from the identity's
                # value (a 〒 looked up from the verified address).
                kind = of(f)
                skip.update(kind.verified_inputs(f, f.id))
                initial.update(initial_of(f, self.verified[f.id]))
                given = initial_of(f, values.get(f.id))
                initial.update({k: v for k, v in given.items() if v not in (None, "")})
            else:
                initial.update(initial_of(f, values.get(f.id)))
        self._skip = skip
        self.form = _form_class(editable, not draft, skip)(
            data=data, initial=initial, prefix=prefix
        )
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
            group_prefix = f"{prefix}-{g.id}" if prefix else g.id
            if data is not None and f"{group_prefix}-TOTAL_FORMS" not in data:
                # A group the page did not send (an older form, a hand-made
                # request) has no repeats, rather than a "management form" error.
                data = {
                    **data,
                    f"{group_prefix}-TOTAL_FORMS": "0",
                    f"{group_prefix}-INITIAL_FORMS": "0",
                }
            self.formsets[g.id] = formset_class(
                data=data, prefix=group_prefix, initial=[_row_initial(g, r) for r in rows]
            )
        self.file_errors: dict[str, list[str]] = {}

    # -- validation -------------------------------------------------------------
    def is_valid(self) -> bool:
        ok = self.form.is_valid()
        for formset in self.formsets.values():
            ok = formset.is_valid() and ok
        if not self.draft and self.ask_files:
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
            elif f.id in self.verified:
                kind = of(f)
                value = kind.to_value(f, clean, f.id)
                out[f.id] = kind.with_verified(f, value, self.verified[f.id])
            elif f.kind == "group":
                out[f.id] = [
                    row
                    for form in self.formsets[f.id].forms
                    if (row := self._row(f, getattr(form, "cleaned_data", {})))
                ]
            elif f.kind == "file":
                out[f.id] = [str(a.public_id) for a in self.attachments.get(f.id, [])]
            else:
                value = of(f).to_value(f, clean, f.id)
                if value is not None:
                    out[f.id] = value
        return out

    @staticmethod
    def _row(group: FormField, clean: dict) -> dict:
        row = {}
        for sub in group.fields:
            value = of(sub).to_value(sub, clean, sub.id)
            if value is not None:
                row[sub.id] = value
        return row

    # -- drawing ----------------------------------------------------------------
    def entries(self) -> list[Entry]:
        out = []
        for f in self.spec.fields:
            entry = Entry(spec=f, template=of(f).template)
            if f.id in self.locked:
                entry.is_locked, entry.locked = True, self.locked[f.id]
                entry.locked_lines = value_text(f, self.locked[f.id])
            elif f.kind == "group":
                entry.formset = self.formsets[f.id]
            elif f.kind == "file":
                entry.attachments = self.attachments.get(f.id, [])
                entry.file_errors = self.file_errors.get(f.id, [])
            else:
                entry.fields = [self.form[name] for name in self._asked(f)]
                if f.id in self.verified:
                    entry.verified_lines = of(f).verified_lines(f, self.verified[f.id])
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
                kinds = {i.name: s for s in f.fields for i in of(s).inputs(s, s.id)}
                for i, form in enumerate(formset.forms):
                    for name, errors in form.errors.items():
                        if name not in kinds:
                            continue
                        sub = form[name]
                        anchor = of(kinds[name]).error_anchor(name, sub.auto_id)
                        where = _("%(label)s %(n)d件目の%(sub)s") % {
                            "label": label,
                            "n": i + 1,
                            "sub": sub.label,
                        }
                        out += [Problem(anchor, where, m) for m in errors]
            elif f.kind == "file":
                out += [Problem(f"id_{f.id}", label, m) for m in self.file_errors.get(f.id, [])]
            elif f.id not in self.locked:
                for name in self._asked(f):
                    bound = self.form[name]
                    where = label if name == f.id else f"{label}({bound.label})"
                    anchor = of(f).error_anchor(name, bound.auto_id)
                    out += [Problem(anchor, where, m) for m in bound.errors]
        return out

    def _asked(self, f: FormField) -> list[str]:
        """The names of ``f``'s inputs drawn on the page (not those verified)."""
        return [i.name for i in of(f).inputs(f, f.id) if i.name not in self._skip]


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
