"""Every online form of the example catalogue can be filled, reviewed and shown:
a complete answer for each kind of field is built from the form itself, so a new
form (or a new kind) is covered without writing its test by hand."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.applications import field_kinds
from madoguchi.applications.display import rows
from madoguchi.applications.entry_form import ApplicationForm
from madoguchi.catalog.form_schema import FormField
from madoguchi.catalog.registry import current_catalog

from .test_submission import new_draft

WITH_FORMS = sorted(pid for pid, p in current_catalog().procedures.items() if p.form)

SAMPLE = {
    "text": "みどり信用金庫",
    "textarea": "二行目まで\n書きました",
    "phone": "0277-76-1234",
    "email": "saito@example.jp",
    "number": "3",
}


def answer(field: FormField, name: str) -> dict[str, str]:
    """A right answer for one field, as the page would post it."""
    kind = field.kind
    if kind == "name":
        return {f"{name}__name": "齊藤 美咲", f"{name}__kana": "サイトウ ミサキ"}
    if kind == "address":
        return {f"{name}__postal": "379-2392", f"{name}__address": "群馬県みどり市笠懸町鹿2952"}
    if kind == "date":
        return {
            f"{name}_era": "平成",
            f"{name}_year": "2",
            f"{name}_month": "4",
            f"{name}_day": "1",
        }
    if kind == "choice":
        return {name: str(field.choices[0].value)}
    if kind == "yes_no":
        return {name: "yes"}
    if kind == "number":
        low = field.min_value if field.min_value is not None else 1
        return {name: str(max(low, min(3, field.max_value or 3)))}
    if kind == "text" and field.max_length and field.max_length < 8:
        return {name: "1234567"[: field.max_length]}
    return {name: SAMPLE[kind]}


def complete_post(spec) -> dict[str, str]:
    post: dict[str, str] = {}
    for f in spec.fields:
        if f.kind == "file":
            continue
        if f.kind == "group":
            n = max(f.min_items, 1)
            post |= {f"{f.id}-TOTAL_FORMS": str(n), f"{f.id}-INITIAL_FORMS": "0"}
            for i in range(n):
                for sub in f.fields:
                    post |= answer(sub, f"{f.id}-{i}-{sub.id}")
        else:
            post |= answer(f, f.id)
    return post


@pytest.mark.parametrize("procedure_id", WITH_FORMS)
def test_a_complete_answer_passes_review_and_reads_back(procedure_id):
    spec = current_catalog().procedures[procedure_id].form
    form = ApplicationForm(spec, data=complete_post(spec), draft=False)
    if not form.is_valid():
        required_files = [f.id for f in spec.fields if f.kind == "file" and f.required]
        problems = [
            p
            for p in form.problems()
            if not p.anchor.startswith("id_") or p.anchor[3:] not in required_files
        ]
        assert not problems, problems
    values = form.values()
    # The stored values come back as the same form (a resumed draft).
    again = ApplicationForm(spec, values=values, draft=True)
    for f in spec.fields:
        if f.kind not in ("group", "file"):
            for name in field_kinds.inputs(f):
                assert again.form[name].value() not in (None, ""), (procedure_id, name)
    shown = rows(spec, values)
    assert [r.label for r in shown] == [f.label.ja for f in spec.fields]


@pytest.mark.django_db
@pytest.mark.parametrize("procedure_id", WITH_FORMS)
def test_every_form_is_drawn_with_every_label(client, saito, procedure_id, files_dir):
    client.force_login(saito)
    app = new_draft(saito, procedure_id)
    page = client.get(reverse("applications:edit", args=[app.public_id])).content.decode()
    spec = current_catalog().procedures[procedure_id].form
    for f in spec.fields:
        assert f.label.ja in page, (procedure_id, f.id)
        if f.kind == "group" and f.min_items:  # drawn with its first repeat
            for sub in f.fields:
                assert sub.label.ja in page, (procedure_id, f.id, sub.id)
