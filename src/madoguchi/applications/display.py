"""An application's values as people read them: on the review page, the receipt,
the PDF 申請書控え and the back office. Each kind says how its value reads
(applications/kinds/): dates in 和暦 and 西暦, choices by their label, files by name."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language

from madoguchi.applications.kinds import of
from madoguchi.catalog.form_schema import FormField, FormSpec


@dataclass
class Row:
    label: str
    text: str = ""
    lines: list[str] = field(default_factory=list)
    children: list[list[Row]] = field(default_factory=list)  # a group: rows per repeat
    locked: bool = False


def _lang() -> str:
    return get_language() or "ja"


def procedure_title(app) -> str:
    """The procedure's name in the current language, from the catalogue (the stored
    ``procedure_name`` is the Japanese one at the time it was made, and stays the
    fallback). ``app`` is an application or a dict row of one; a row loaded without
    ``procedure_id`` is matched by its Japanese name, so no query is added."""
    from madoguchi.catalog.registry import current_catalog

    row = app if isinstance(app, dict) else app.__dict__
    name = row.get("procedure_name") or ""
    lang = _lang()
    if lang.startswith("ja"):
        return name
    procedures = current_catalog().procedures
    proc = procedures.get(row.get("procedure_id") or "")
    if proc is None:
        proc = next((p for p in procedures.values() if p.name.ja == name), None)
    return proc.name.get(lang) if proc is not None else name


def value_text(f: FormField, value, attachments: dict | None = None) -> list[str]:
    """A value as lines of text (「—」 when not given)."""
    if value in (None, "", [], {}):
        return ["—"]
    return of(f).display(f, value, attachments or {})


def rows(
    spec: FormSpec, values: dict, attachments: dict | None = None, locked: set[str] | None = None
) -> list[Row]:
    lang = _lang()
    out = []
    for f in spec.fields:
        value = values.get(f.id)
        if f.kind == "group":
            children = [
                [Row(s.label.get(lang), lines=value_text(s, r.get(s.id))) for s in f.fields]
                for r in (value or [])
            ]
            out.append(Row(f.label.get(lang), children=children))
        else:
            out.append(
                Row(
                    f.label.get(lang),
                    lines=value_text(f, value, attachments),
                    locked=f.id in (locked or set()),
                )
            )
    return out
