"""The people a visit is about besides its applicant: at the おくやみコーナー the
deceased and the heirs, elsewhere the household's members whose names the forms
ask (a newborn, the spouse). Typed through the same form-field kinds as the online
forms; kept as ``VisitPerson`` rows, apart from the applicant."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from madoguchi.catalog.form_schema import FormSpec
from madoguchi.catalog.situation import ROLE_CHOICES
from madoguchi.common import audit
from madoguchi.counter.identity import SEX
from madoguchi.counter.models import PersonRole, Visit, VisitKind, VisitPerson


def _person_fields(prefix: str, *, address: bool) -> list[dict]:
    fields = [
        {"id": f"{prefix}name", "kind": "name", "label": {"ja": "氏名", "en": "Name"}},
        {
            "id": f"{prefix}birth_date",
            "kind": "date",
            "label": {"ja": "生年月日", "en": "Date of birth"},
            "required": False,
        },
        {
            "id": f"{prefix}sex",
            "kind": "choice",
            "label": {"ja": "性別", "en": "Sex"},
            "required": False,
            "choices": SEX,
        },
    ]
    if address:
        fields.append(
            {
                "id": f"{prefix}address",
                "kind": "address",
                "label": {"ja": "住所", "en": "Address"},
                "required": False,
            }
        )
    return fields


def _relationship_choices() -> list[dict]:
    return [
        {"value": role, "label": {"ja": ja, "en": en}}
        for role, (ja, en) in ROLE_CHOICES.items()
        if role not in ("self", "deceased")
    ]


def form_for(visit: Visit) -> FormSpec:
    members = {
        "id": "members",
        "kind": "group",
        "label": {"ja": "世帯の方", "en": "Household members"},
        "required": False,
        "max_items": 10,
        "fields": [
            {
                "id": "relationship",
                "kind": "choice",
                "label": {"ja": "続柄", "en": "Relationship"},
                "choices": _relationship_choices(),
            },
            *_person_fields("", address=False),
        ],
    }
    if visit.kind != VisitKind.BEREAVEMENT:
        return FormSpec.model_validate({"version": 1, "fields": [members]})
    heirs = {
        "id": "heirs",
        "kind": "group",
        "label": {"ja": "相続人", "en": "Heirs"},
        "help": {
            "ja": "届出をする方(申請者)は入れなくてかまいません。",
            "en": "Leave out the applicant.",
        },
        "required": False,
        "max_items": 10,
        "fields": [
            {
                "id": "relation",
                "kind": "text",
                "label": {"ja": "亡くなった方との続柄", "en": "Relation to the deceased"},
                "required": False,
                "max_length": 20,
            },
            *_person_fields("", address=True),
        ],
    }
    deceased = _person_fields("deceased_", address=True)
    # Whose each fact is, said in every label (the heirs' rows follow on the page).
    for field in deceased:
        field["label"] = {
            "ja": f"亡くなった方の{field['label']['ja']}",
            "en": f"{field['label']['en']} of the deceased",
        }
    return FormSpec.model_validate({"version": 1, "fields": [*deceased, heirs]})


def _date(value) -> date | None:
    return date.fromisoformat(value) if value else None


def _row(role: str, values: dict, prefix: str = "", relationship: str = "") -> VisitPerson:
    name = values.get(f"{prefix}name") or {}
    address = values.get(f"{prefix}address") or {}
    return VisitPerson(
        role=role,
        relationship=relationship,
        name=name.get("name", ""),
        name_kana=name.get("kana", ""),
        birth_date=_date(values.get(f"{prefix}birth_date")),
        sex=values.get(f"{prefix}sex") or "",
        address=address.get("address", ""),
    )


def record(visit: Visit, values: dict, *, by) -> None:
    """Replace the visit's people with those of the form's clean values."""
    rows: list[VisitPerson] = []
    if visit.kind == VisitKind.BEREAVEMENT and values.get("deceased_name"):
        rows.append(_row(PersonRole.DECEASED, values, "deceased_", relationship="deceased"))
    for heir in values.get("heirs") or []:
        rows.append(_row(PersonRole.HEIR, heir, relationship="heir"))
    for member in values.get("members") or []:
        rows.append(_row(PersonRole.MEMBER, member, relationship=member.get("relationship", "")))
    with transaction.atomic():
        visit.people.all().delete()
        for row in rows:
            row.visit = visit
        VisitPerson.objects.bulk_create(rows)
        audit.record(by, "update", "counter.VisitPerson", str(visit.public_id), people=len(rows))


def initial(visit: Visit) -> dict:
    """The form's values from the people kept (to correct them)."""
    values: dict = {}
    for p in visit.people.all():
        person = {
            "name": {"name": p.name, "kana": p.name_kana} if p.name else None,
            "birth_date": p.birth_date.isoformat() if p.birth_date else None,
            "sex": p.sex or None,
            "address": {"postal_code": "", "address": p.address} if p.address else None,
        }
        person = {k: v for k, v in person.items() if v is not None}
        if p.role == PersonRole.DECEASED:
            values.update({f"deceased_{k}": v for k, v in person.items()})
        elif p.role == PersonRole.HEIR:
            values.setdefault("heirs", []).append(person)
        else:
            values.setdefault("members", []).append({**person, "relationship": p.relationship})
    return values
