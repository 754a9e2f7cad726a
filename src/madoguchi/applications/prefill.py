"""A new application's first values: what the city already knows is not asked
again (the once-only principle).

Each field's ``prefill`` names its source (catalog/form_schema.py). A field filled
from a verified identity is *locked* input by input, as its kind says (the 氏名
but not its ふりがな, the 住所 but not its 〒): the resident sees those but cannot
change them, and the submission takes them from the identity again. Until an
identity is verified, ``identity.X`` falls back to ``profile.X`` and stays editable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from madoguchi.catalog.form_schema import FormField, FormSpec
from madoguchi.catalog.situation import Situation


@dataclass(frozen=True)
class Known:
    """What is known about the resident, by source (values in the stored shapes)."""

    situation: Situation | None = None
    profile: dict | None = None
    identity: dict | None = None  # only from a verified identity provider


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


def _one(field: FormField, known: Known):
    source, item = field.prefill_source, field.prefill_item
    if source == "situation" and known.situation is not None:
        return _plain(getattr(known.situation, item, None))
    if source == "identity":
        if known.identity is not None:
            return known.identity.get(item)
        source = "profile"  # not verified yet: the profile's, editable
    if source == "profile" and known.profile is not None:
        return known.profile.get(item)
    return None


def _rows(group: FormField, known: Known) -> list[dict]:
    if not group.each_member or known.situation is None:
        return []
    rows = []
    for member in known.situation.household():
        if member.role not in group.each_member:
            continue
        row = {}
        for sub in group.fields:
            if sub.prefill_source == "member":
                value = _plain(getattr(member, sub.prefill_item, None))
                if value is not None:
                    row[sub.id] = value
        rows.append(row)
    return rows[: group.max_items]


def locked_values(spec: FormSpec, identity: dict | None) -> dict:
    """The fields a verified identity fills, with its values (whole: the kind of
    each field says which of its inputs these lock, ``Kind.verified_inputs``)."""
    if identity is None:
        return {}
    return {
        f.id: identity[f.prefill_item]
        for f in spec.fields
        if f.prefill_source == "identity" and identity.get(f.prefill_item) is not None
    }


def with_verified(spec: FormSpec, values: dict, verified: dict) -> dict:
    """``values`` with every verified part taken from ``verified`` (``locked_values``)."""
    from madoguchi.applications.kinds import of

    out = dict(values)
    for f in spec.fields:
        if f.id in verified:
            out[f.id] = of(f).with_verified(f, values.get(f.id), verified[f.id])
    return out


def initial_values(spec: FormSpec, known: Known) -> dict:
    values: dict = {}
    for f in spec.fields:
        if f.kind == "group":
            rows = _rows(f, known)
            if rows:
                values[f.id] = rows
        elif f.prefill:
            value = _one(f, known)
            if value not in (None, ""):
                values[f.id] = value
    return values
