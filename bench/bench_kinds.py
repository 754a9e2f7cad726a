"""Time one sample application through the field kinds: the entry page's inputs
drawn, its values read (display rows) and its CSV cells written. Run on two
checkouts to compare (e.g. before/after the kinds registry):

    PYTHONPATH=src DJANGO_SETTINGS_MODULE=madoguchi.settings uv run --frozen python bench/bench_kinds.py
"""

from __future__ import annotations

import argparse
import timeit

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--procedure", default="child-allowance-claim")
    parser.add_argument("--number", type=int, default=200)
    args = parser.parse_args()
    django.setup()
    from django.template.loader import render_to_string
    from django.utils import translation

    from madoguchi.applications.display import rows
    from madoguchi.applications.entry_form import ApplicationForm
    from madoguchi.applications.samples import complete_input
    from madoguchi.backoffice.export import Export, _field_columns
    from madoguchi.catalog.registry import current_catalog

    translation.activate("ja")
    spec = current_catalog().procedures[args.procedure].form
    post = complete_input(spec)
    values = ApplicationForm(spec, data=post, draft=True)
    values.is_valid()
    values = values.values()
    export = Export.__new__(Export)
    export._labels = {}  # what the old export kept per field (ignored by the new one)
    repeats = {f.id: len(values.get(f.id) or []) for f in spec.fields if f.kind == "group"}

    def entry() -> None:
        form = ApplicationForm(spec, data=post, draft=False)
        form.is_valid()
        for e in form.entries():
            render_to_string("applications/_entry.html", {"entry": e})
        form.problems()

    def display() -> None:
        rows(spec, values, {})

    def csv() -> None:
        for f in spec.fields:
            _field_columns(f, (f.id,), f.label.ja, repeats)
            export._put({}, f, (f.id,), values.get(f.id), {})

    for name, fn in (("entry form", entry), ("display", display), ("csv row", csv)):
        best = min(timeit.repeat(fn, number=args.number, repeat=5)) / args.number
        print(f"{name:12s} {best * 1e3:8.3f} ms per application")


if __name__ == "__main__":
    main()
