"""What a correction (補正) changed: each corrected field's value before and after,
read from the versions the correction left (``ApplicationVersion``: the one it made
and the one before it), so the department sees old → new side by side."""

from __future__ import annotations

from dataclasses import dataclass

from madoguchi.applications.display import Row, value_text
from madoguchi.applications.models import MESSAGE_FILES, Application, VersionReason
from madoguchi.catalog.form_schema import FormField


@dataclass
class Change:
    label: str
    before: Row
    after: Row


def _row(f: FormField, value, files: dict, lang: str) -> Row:
    if f.kind == "group":
        children = [
            [Row(s.label.get(lang), lines=value_text(s, (item or {}).get(s.id))) for s in f.fields]
            for item in value or []
        ]
        return Row(f.label.get(lang), children=children)
    return Row(f.label.get(lang), lines=value_text(f, value, files))


def by_correction(app: Application, lang: str = "ja") -> dict[int, list[Change]]:
    """Per answered 補正依頼 (by pk): the fields whose value the correction changed,
    in the form's order. One query for the versions, one for the files."""
    versions = list(app.versions.select_related("correction").order_by("number"))
    if not any(v.reason == VersionReason.CORRECTED for v in versions):
        return {}
    spec = app.spec
    every_file = list(app.attachments.exclude(field_id=MESSAGE_FILES))
    files = {f.id: every_file for f in spec.fields if f.kind == "file"}
    out: dict[int, list[Change]] = {}
    for before, after in zip(versions, versions[1:], strict=False):
        if after.correction_id is None:
            continue
        asked = set(after.correction.field_ids) if after.correction else set()
        out[after.correction_id] = [
            Change(
                f.label.get(lang),
                _row(f, before.data.get(f.id), files, lang),
                _row(f, after.data.get(f.id), files, lang),
            )
            for f in spec.fields
            if f.id in asked and before.data.get(f.id) != after.data.get(f.id)
        ]
    return out
