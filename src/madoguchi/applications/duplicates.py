"""What "the same application" means, once for the back office and the resident.

Two applications are the same (a possible duplicate: 「重複の可能性」) when they have

* the same owner (the resident's account),
* the same procedure,
* the same subject: the people the form is about, where the form has them — the
  items of its group filled from the guide's members (``each_member``, e.g. the
  children of a 児童手当 claim), else a top-level ``X_name`` field with its
  ``X_birth_date`` (e.g. the 被保険者 of a 要介護認定), each person as their 氏名
  (spaces ignored) and 生年月日; a form about nobody else (e.g. 国保 withdrawal of
  oneself) has the empty subject, so owner + procedure decide;
* and neither is a draft nor closed without effect (却下, 取下げ).

The subject is kept as a digest (``Application.subject_key``, set with the data by
``applicant.refresh``): the queue compares one indexed column, not each row's JSON,
and no second copy of a child's name is stored.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from django.db.models import OuterRef, Q, QuerySet, Subquery

from madoguchi.applications.applicant import applicant_field
from madoguchi.applications.models import Application, Status
from madoguchi.catalog.form_schema import FormField, FormSpec

# Not counted: a draft is not sent yet, a rejected or withdrawn one is over without effect.
NOT_COUNTED = (Status.DRAFT, Status.REJECTED, "withdrawn")
_SPACES = re.compile(r"\s+")


def _person(name, birth) -> str:
    text = name.get("name", "") if isinstance(name, dict) else str(name or "")
    return f"{_SPACES.sub('', text)}|{birth or ''}"


def _subject_fields(spec: FormSpec) -> tuple[FormField | None, str, str]:
    """(group or None, name field id, birth date field id) of the form's subject."""
    for f in spec.fields:
        if f.kind == "group" and f.each_member:
            name = next((s.id for s in f.fields if s.kind == "name"), "")
            birth = next((s.id for s in f.fields if s.kind == "date"), "")
            if name:
                return f, name, birth
    applicant = applicant_field(spec)
    ids = {f.id: f for f in spec.fields}
    for f in spec.fields:
        if f.kind == "name" and f is not applicant and f.id.endswith("_name"):
            birth = f.id.removesuffix("_name") + "_birth_date"
            if birth in ids and ids[birth].kind == "date":
                return None, f.id, birth
    return None, "", ""


def subject_key(spec: FormSpec, data: dict) -> str:
    """A digest of the people the form is about ("" when it is about nobody else)."""
    group, name, birth = _subject_fields(spec)
    data = data or {}
    if group is not None:
        items = [i for i in data.get(group.id) or [] if isinstance(i, dict)]
        people = sorted({_person(i.get(name), i.get(birth)) for i in items if i.get(name)})
    elif name and data.get(name):
        people = [_person(data.get(name), data.get(birth))]
    else:
        return ""
    return hashlib.sha256("\n".join(people).encode()).hexdigest() if people else ""


def counted() -> Q:
    return ~Q(status__in=NOT_COUNTED)


def same_as(app: Application) -> QuerySet:
    """The owner's other applications that are the same as ``app``, oldest first."""
    return (
        Application.objects.filter(
            counted(),
            owner_id=app.owner_id,
            procedure_id=app.procedure_id,
            subject_key=app.subject_key,
        )
        .exclude(pk=app.pk)
        .order_by("submitted_at", "pk")
    )


def with_first_other(queryset: QuerySet) -> QuerySet:
    """``queryset`` with each row's oldest other same application (``other_public_id``,
    ``other_receipt_number``; None when it has none): subqueries on ``app_same_subject``
    run for the rows read only (a page of the queue), in the same query."""
    others = (
        Application.objects.filter(
            counted(),
            owner_id=OuterRef("owner_id"),
            procedure_id=OuterRef("procedure_id"),
            subject_key=OuterRef("subject_key"),
        )
        .exclude(pk=OuterRef("pk"))
        .order_by("submitted_at", "pk")
    )
    return queryset.annotate(
        other_public_id=Subquery(others.values("public_id")[:1]),
        other_receipt_number=Subquery(others.values("receipt_number")[:1]),
    )


def sent_by(user, procedure_ids: Iterable[str] | None = None) -> dict[str, list[Application]]:
    """The resident's sent applications that still count, per procedure, newest first:
    for the checklist and the procedure's page to say 「申請済み」."""
    if not getattr(user, "is_authenticated", False):
        return {}
    qs = Application.objects.filter(counted(), owner=user)
    if procedure_ids is not None:
        qs = qs.filter(procedure_id__in=list(procedure_ids))
    out: dict[str, list[Application]] = {}
    rows = qs.only("public_id", "procedure_id", "status", "receipt_number", "submitted_at")
    for app in rows.order_by("-submitted_at", "-pk"):
        out.setdefault(app.procedure_id, []).append(app)
    return out


def sent_same(user, procedure_id: str, spec: FormSpec, values: dict) -> list[Application]:
    """The resident's sent applications that a draft with ``values`` would repeat (its
    review page says so before it is sent)."""
    return list(
        Application.objects.filter(
            counted(),
            owner=user,
            procedure_id=procedure_id,
            subject_key=subject_key(spec, values),
        ).order_by("submitted_at", "pk")[:10]
    )
