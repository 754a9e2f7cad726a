"""An application's values as people read them: on the review page, the receipt,
the PDF 申請書控え and (later) the back office. Dates in 和暦 and 西暦, choices by
their label, files by name."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from madoguchi.catalog.form_schema import FormField, FormSpec
from madoguchi.common.japanese import format_date, wareki
from madoguchi.common.text_input import format_phone, format_postal_code


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
    """A value as lines of text ('' when not given)."""
    if value in (None, "", []):
        return ["—"]
    kind = f.kind
    if kind == "name":
        return [value.get("name", ""), value.get("kana", "")]
    if kind == "address":
        postal = value.get("postal_code", "")
        return ([format_postal_code(postal)] if postal else []) + [value.get("address", "")]
    if kind == "date":
        day = date.fromisoformat(value)
        if _lang().startswith("en"):
            return [format_date(day, "en")]
        return [f"{wareki(day)}({format_date(day, 'ja')})"]
    if kind == "yes_no":
        return [_("はい") if value else _("いいえ")]
    if kind == "choice":
        label = next((c.label.get(_lang()) for c in f.choices if str(c.value) == str(value)), value)
        return [str(label)]
    if kind == "phone":
        return [format_phone(value)]
    if kind == "number":
        unit = f.unit.get(_lang()) if f.unit else ""
        return [f"{value:,}{unit}"]
    if kind == "file":
        by_id = {str(a.public_id): a for a in (attachments or {}).get(f.id, [])}
        return [by_id[i].original_name for i in value if i in by_id] or ["—"]
    return str(value).splitlines() or [""]


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
