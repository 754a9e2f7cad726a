"""Every form of a visit in one pass: what several forms ask alike is asked once.

Two forms ask the same thing when they fill it from the same source
(``prefill``: ``identity.name``, ``profile.phone``, ``deceased.birth_date``,
``situation.event_date`` …; without one, the same field id) with the same kind
(and the same choices): the applicant's 氏名 on the 児童手当
and on the 子ども医療費 form is one answer. Those fields make the 「共通」 section
(prefix ``s``), asked once with the first form's label; every form's own fields
follow under its name (prefix ``a<n>``). Each value then goes to every form that
asks it, and each form is checked by its own rules (``ApplicationForm``).

Files are not asked: at the counter the clerk sees the papers themselves.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from madoguchi.applications import drafting
from madoguchi.applications.entry_form import ApplicationForm, Problem
from madoguchi.applications.models import Application
from madoguchi.applications.prefill import locked_values
from madoguchi.catalog.form_schema import FormField, FormSpec

SHARED = "s"


def _key(f: FormField) -> tuple | None:
    """What a field asks: its source (else its id: the catalogue names one datum
    alike in every form, ``bank_account``), its kind and, for a choice, its choices
    (two 「理由」 with different choices are two questions)."""
    if f.kind in ("group", "file"):
        return None
    choices = tuple(str(c.value) for c in f.choices)
    return (f.prefill or f"field.{f.id}", f.kind, choices)


def _shared_id(key: tuple) -> str:
    # identity.name → identity_name; field.bank_account → field_bank_account (field ids)
    return key[0].replace(".", "_")


@dataclass
class Section:
    app: Application
    prefix: str
    form: ApplicationForm
    shared: dict  # this form's field id → the shared field id it takes

    def entries(self):
        return [
            e for e in self.form.entries() if e.spec.id not in self.shared and e.spec.kind != "file"
        ]


class OnePass:
    def __init__(
        self,
        apps: list[Application],
        *,
        identity: dict | None,
        data: dict | None = None,
        review: bool = False,
    ):
        self.apps, self.review = apps, review
        specs = [a.spec for a in apps]
        counts = Counter(k for spec in specs for k in {_key(f) for f in spec.fields} if k)
        firsts: dict[tuple, FormField] = {}
        required: dict[tuple, bool] = {}
        values: dict[str, object] = {}
        for app, spec in zip(apps, specs, strict=True):
            for f in spec.fields:
                k = _key(f)
                if k is None or counts[k] < 2:
                    continue
                firsts.setdefault(k, f)
                required[k] = required.get(k, False) or f.required
                if app.data.get(f.id) not in (None, "", []):
                    values.setdefault(_shared_id(k), app.data[f.id])
        shared_fields = [
            f.model_copy(update={"id": _shared_id(k), "required": required[k]})
            for k, f in firsts.items()
        ]
        self.shared_spec = FormSpec(version=1, fields=shared_fields) if shared_fields else None
        self.shared: ApplicationForm | None = None
        shared_values: dict = {}
        if self.shared_spec is not None:
            self.shared = ApplicationForm(
                self.shared_spec,
                data=data,
                values=values,
                draft=not review,
                verified=locked_values(self.shared_spec, identity),
                prefix=SHARED,
                ask_files=False,
            )
            if data is not None:
                self.shared.is_valid()
                shared_values = self.shared.values()
            else:
                shared_values = values
        self.sections: list[Section] = []
        for n, (app, spec) in enumerate(zip(apps, specs, strict=True), start=1):
            takes = {
                f.id: _shared_id(k)
                for f in spec.fields
                if (k := _key(f)) is not None and k in firsts
            }
            form = ApplicationForm(
                spec,
                data=data,
                values=app.data,
                draft=not review,
                locked={fid: shared_values.get(sid) for fid, sid in takes.items()},
                verified=locked_values(spec, identity),
                prefix=f"a{n}",
                ask_files=False,
            )
            self.sections.append(Section(app, f"a{n}", form, takes))

    def is_valid(self) -> bool:
        ok = self.shared.is_valid() if self.shared is not None else True
        for section in self.sections:
            ok = section.form.is_valid() and ok
        return ok

    def values(self) -> list[tuple[Application, dict]]:
        """Each application with its values (call after ``is_valid``)."""
        out = []
        for section in self.sections:
            values = {k: v for k, v in section.form.values().items() if v not in (None, [])}
            out.append((section.app, values))
        return out

    def problems(self) -> list[tuple[str, list[Problem]]]:
        """(the section's heading, its problems), for the summary at the top."""
        from django.utils.translation import gettext as _

        out = []
        if self.shared is not None and (found := self.shared.problems()):
            out.append((_("共通の項目"), found))
        for section in self.sections:
            if found := section.form.problems():
                out.append((section.app.procedure_name, found))
        return out


# The page's buttons, on the one POST of every form: they change the typed input
# before it is read, as the online edit page does (applications/drafting.py).


def _split(raw: dict, prefix: str) -> dict:
    lead = f"{prefix}-"
    return {k[len(lead) :]: v for k, v in raw.items() if k.startswith(lead)}


def _join(raw: dict, prefix: str, part: dict) -> dict:
    lead = f"{prefix}-"
    kept = {k: v for k, v in raw.items() if not k.startswith(lead)}
    kept.update({f"{lead}{k}": v for k, v in part.items()})
    return kept


def apply_buttons(raw: dict, apps: list[Application]) -> tuple[dict, str | None]:
    """(the typed input with a row added or removed or an address filled in, the
    anchor to come back to); ``raw`` unchanged and None when no such button."""
    specs = {f"a{n}": app.spec for n, app in enumerate(apps, start=1)}
    if value := raw.get("lookup"):
        drafting.lookup_address(raw, value)
        return raw, f"field-{value}"
    for button in ("add_row", "remove_row"):
        value = raw.get(button)
        if not value:
            continue
        prefix, _, rest = value.partition("-")
        spec = specs.get(prefix)
        if spec is None:
            return raw, None
        part = _split(raw, prefix)
        if button == "add_row":
            drafting.add_row(part, spec, rest)
        else:
            drafting.remove_row(part, spec, rest)
        return _join(raw, prefix, part), f"group-{rest.partition(':')[0]}"
    return raw, None
