"""Every online form of the example catalogue can be filled, reviewed and shown:
a complete answer for each kind of field is built from the form itself, so a new
form (or a new kind) is covered without writing its test by hand."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.applications.display import rows
from madoguchi.applications.entry_form import ApplicationForm
from madoguchi.applications.kinds import of
from madoguchi.applications.samples import complete_input
from madoguchi.catalog.registry import current_catalog

from .test_submission import new_draft

WITH_FORMS = sorted(pid for pid, p in current_catalog().procedures.items() if p.form)


@pytest.mark.parametrize("procedure_id", WITH_FORMS)
def test_a_complete_answer_passes_review_and_reads_back(procedure_id):
    spec = current_catalog().procedures[procedure_id].form
    form = ApplicationForm(spec, data=complete_input(spec), draft=False)
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
            for name in [i.name for i in of(f).inputs(f, f.id)]:
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
