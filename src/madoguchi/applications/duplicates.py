"""What "the same application" means, once for the back office and the resident.

Two applications are the same (a possible duplicate: 「重複の可能性」) when they have

* the same owner (the resident's account),
* the same procedure,
* the same subject, or one that overlaps it: the people the form is about, where
  the form has them — the items of its group filled from the guide's members
  (``each_member``, e.g. the children of a 児童手当 claim), else a top-level
  ``X_name`` field with its ``X_birth_date`` (e.g. the 被保険者 of a 要介護認定),
  each person as their 氏名 (spaces ignored) and 生年月日. Sharing one person is
  enough: 児童手当 claimed for {A, B}, then for {B, C}, claims B twice. A form about
  nobody else (e.g. 国保 withdrawal of oneself) has the empty subject, so owner +
  procedure decide;
* and neither is a draft nor closed without effect (却下, 取下げ).

The subject is kept as digests, set with the data (``applicant.refresh`` and
``keep_people``): the whole set as ``Application.subject_key`` (one indexed column)
and each person as a ``SubjectPerson`` row, so that the queue finds overlaps in the
rows' own query, never reading each row's JSON, and no second copy of a child's
name is stored. The names shown to the clerk (「共通の対象: 高橋 陽翔」) are read from
the application on the page.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from madoguchi.applications.applicant import applicant_field
from madoguchi.applications.models import Application, Status, SubjectPerson
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


def _people(spec: FormSpec, data: dict) -> dict[str, str]:
    """The people the form is about: their comparable form → their 氏名 as written."""
    group, name, birth = _subject_fields(spec)
    data = data or {}
    if group is not None:
        items = [i for i in data.get(group.id) or [] if isinstance(i, dict)]
        pairs = [(i.get(name), i.get(birth)) for i in items if i.get(name)]
    elif name and data.get(name):
        pairs = [(data.get(name), data.get(birth))]
    else:
        return {}
    return {_person(n, b): _written(n) for n, b in pairs}


def _written(name) -> str:
    return str(name.get("name", "")) if isinstance(name, dict) else str(name or "")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def subject_key(spec: FormSpec, data: dict) -> str:
    """A digest of the people the form is about ("" when it is about nobody else)."""
    people = sorted(_people(spec, data))
    return _digest("\n".join(people)) if people else ""


def people_keys(spec: FormSpec, data: dict) -> dict[str, str]:
    """Each person the form is about: their digest (``SubjectPerson.person``) → 氏名."""
    return {_digest(p): written for p, written in _people(spec, data).items()}


def keep_people(app: Application, *, replace: bool = True) -> None:
    """Store the people of ``app.data`` as ``SubjectPerson`` rows (after its data
    changed). ``replace=False`` when it had none (its first submission): one
    statement fewer."""
    if replace:
        SubjectPerson.objects.filter(application=app).delete()
    keys = people_keys(app.spec, app.data)
    if keys:
        SubjectPerson.objects.bulk_create(
            [SubjectPerson(application=app, person=k) for k in sorted(keys)]
        )


def _shares_a_person(people) -> Exists:
    """The row (an application) names one of ``people`` (a subquery or a list)."""
    return Exists(SubjectPerson.objects.filter(application_id=OuterRef("pk"), person__in=people))


def counted() -> Q:
    return ~Q(status__in=NOT_COUNTED)


def same_as(app: Application) -> QuerySet:
    """The owner's other applications that are the same as ``app`` (the same subject,
    or one sharing a person with it), oldest first."""
    mine = SubjectPerson.objects.filter(application_id=app.pk).values("person")
    return (
        Application.objects.filter(
            counted(),
            owner_id=app.owner_id,
            procedure_id=app.procedure_id,
        )
        .filter(Q(subject_key=app.subject_key) | _shares_a_person(mine))
        .exclude(pk=app.pk)
        .order_by("submitted_at", "pk")
    )


def shared_people(names: dict[str, str], apps: list[Application]) -> None:
    """Set ``shared_people`` on each of ``apps``: the 氏名 (from ``names``, as
    ``people_keys`` gives them) of the people it shares, in one query."""
    found: dict[int, list[str]] = {}
    if names and apps:
        rows = SubjectPerson.objects.filter(
            application__in=[a.pk for a in apps], person__in=list(names)
        ).values_list("application_id", "person")
        for app_id, person in rows.order_by("application_id", "person"):
            found.setdefault(app_id, []).append(names[person])
    for app in apps:
        app.shared_people = sorted(found.get(app.pk, []))


def with_first_other(queryset: QuerySet) -> QuerySet:
    """``queryset`` with each row's oldest other same application (``other_public_id``,
    ``other_receipt_number``; None when it has none): subqueries on ``app_same_subject``
    and ``subject_person_apps`` run for the rows read only (a page of the queue), in
    the same query."""
    # The queue's row, seen from inside the person__in of the Exists inside ``others``,
    # is three queries out.
    rows_people = SubjectPerson.objects.filter(application_id=OuterRef(OuterRef(OuterRef("pk"))))
    others = (
        Application.objects.filter(
            counted(),
            owner_id=OuterRef("owner_id"),
            procedure_id=OuterRef("procedure_id"),
        )
        .filter(
            Q(subject_key=OuterRef("subject_key")) | _shares_a_person(rows_people.values("person"))
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
    """The resident's sent applications that a draft with ``values`` would repeat,
    wholly or for some of its people (its review page says so, naming them, before
    it is sent)."""
    names = people_keys(spec, values)
    found = list(
        Application.objects.filter(counted(), owner=user, procedure_id=procedure_id)
        .filter(Q(subject_key=subject_key(spec, values)) | _shares_a_person(list(names)))
        .order_by("submitted_at", "pk")[:10]
    )
    shared_people(names, found)
    return found
