"""A new application's first values: what the city already knows is not asked
again (the once-only principle).

Each field's ``prefill`` names its source (catalog/form_schema.py). A field filled
from a verified identity is *locked* input by input, as its kind says (the 氏名
but not its ふりがな, the 住所 but not its 〒): the resident sees those but cannot
change them, and the submission takes them from the identity again. Until an
identity is verified, ``identity.X`` falls back to ``profile.X`` and stays editable.

The household's people (``member.X`` in a group with ``each_member``, ``self.X``,
``spouse.X``, ``deceased.X``) are the guide's members, each joined with the
profile's person of the same relationship (and birth date, when both know it): the
guide knows their facts (insurance, sex…), the profile their names. The guide's
deceased also joins a person of another relationship born the same day (the
profile still lists the late husband as ``spouse``). Without the guide's answers,
the profile's household alone. The profile's people live at the profile's address
unless their own is given (a counter visit's people may carry one).

On a death three people are kept apart: the deceased (``deceased.X``, with
``deceased.death_date`` the death's date and ``deceased.address`` where they
lived), the applicant (``identity.X``: the bereaved in front of the clerk or on
MyPage) and the heirs (a group of the form, typed in: the guide has no heirs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from madoguchi.catalog.form_schema import FormField, FormSpec
from madoguchi.catalog.situation import Situation


@dataclass(frozen=True)
class Known:
    """What is known about the resident, by source (values in the stored shapes)."""

    situation: Situation | None = None
    profile: dict | None = None
    identity: dict | None = None  # only from a verified identity provider
    # The profile's household: [{"role", "name", "name_kana", "birth_date", "sex"}, …]
    members: list[dict] = field(default_factory=list)


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


def _same_person(guide: dict, profile: dict) -> bool:
    born, told = guide.get("birth_date"), profile.get("birth_date")
    if guide.get("role") == "deceased" and born and born == told:
        return True  # listed under their relationship while alive
    if guide.get("role") != profile.get("role"):
        return False
    return not (born and told) or born == told


def household(known: Known) -> list[dict]:
    """The people, each a dict of the guide's facts and the profile's name."""
    home = (known.profile or {}).get("address")
    profile_people = [dict(m) for m in known.members if isinstance(m, dict)]
    if home:
        for person in profile_people:
            person.setdefault("address", home)
    if known.situation is None:
        return profile_people
    people = []
    unused = list(profile_people)
    for member in known.situation.household():
        person = {k: _plain(v) for k, v in member.model_dump().items() if v is not None}
        match = next((p for p in unused if _same_person(person, p)), None)
        if match is not None:
            unused.remove(match)
            person = {**match, **person}  # the guide's answers are the newer ones
        people.append(person)
    return people


def _person_value(person: dict | None, item: str):
    if person is None:
        return None
    if item == "name":
        name, kana = person.get("name") or "", person.get("name_kana") or ""
        return {"name": name, "kana": kana} if (name or kana) else None
    if item == "address" and isinstance(person.get(item), str):
        return _address(person[item])
    return person.get(item)


def _address(text: str) -> dict | None:
    """A people list's address as the address kind stores it (its 〒 looked up)."""
    from madoguchi.common.text_input import postal_code_for_address

    text = text.strip()
    return {"postal_code": postal_code_for_address(text) or "", "address": text} if text else None


def _fits(f: FormField, value) -> bool:
    """A choice takes only one of its own values (the guide's 後期高齢者 is not one of
    a form's choices, say)."""
    if value in (None, ""):
        return False
    if f.kind == "choice":
        return str(value) in {str(c.value) for c in f.choices}
    return True


def _one(f: FormField, known: Known, people: list[dict]):
    source, item = f.prefill_source, f.prefill_item
    if source == "situation" and known.situation is not None:
        return _plain(getattr(known.situation, item, None))
    if source == "deceased" and item == "death_date":
        died = known.situation is not None and known.situation.event == "death"
        return _plain(known.situation.event_date) if died else None
    if source in ("self", "spouse", "deceased"):
        person = next((p for p in people if p.get("role") == source), None)
        return _person_value(person, item)
    if source == "identity":
        if known.identity is not None:
            return known.identity.get(item)
        source = "profile"  # not verified yet: the profile's, editable
    if source == "profile" and known.profile is not None:
        return known.profile.get(item)
    return None


def _rows(group: FormField, people: list[dict]) -> list[dict]:
    if not group.each_member:
        return []
    rows = []
    for person in people:
        if person.get("role") not in group.each_member:
            continue
        row = {}
        for sub in group.fields:
            if sub.prefill_source == "member":
                value = _person_value(person, sub.prefill_item)
                if _fits(sub, value):
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
    people = household(known)
    values: dict = {}
    for f in spec.fields:
        if f.kind == "group":
            rows = _rows(f, people)
            if rows:
                values[f.id] = rows
        elif f.prefill:
            value = _one(f, known, people)
            if _fits(f, value):
                values[f.id] = value
    return values
