"""A visit's applications: opened for the procedures the clerk and the resident
chose, filled in one pass, printed for one signature, confirmed into the
departments' queues with channel 「窓口」.

The 受付番号 is taken when the forms are printed, so that the signed paper and the
department's queue show the same number (a visit cancelled after printing leaves
its numbers unused, like a spoilt paper form). What is confirmed is exactly what was
printed and signed: a change after printing asks for a new print.
"""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.utils import timezone

from madoguchi.applications import receipts, submission
from madoguchi.applications.models import Application, Channel, Status, StatusChange
from madoguchi.applications.prefill import Known, initial_values
from madoguchi.catalog.registry import current_catalog
from madoguchi.catalog.situation import MAX_MEMBERS, ROLE_CHOICES, Situation
from madoguchi.common import audit
from madoguchi.counter.models import Visit, VisitApplication


class NotPrinted(Exception):
    """The forms changed after printing (or were never printed): print again."""


def situation_of(visit: Visit) -> Situation | None:
    if not visit.situation:
        return None
    try:
        return Situation.model_validate(visit.situation)
    except ValueError:
        return None


def _people_by_role(visit: Visit) -> dict[str, list[dict]]:
    """What the counter knows of each person, by the guide's role: the applicant is
    ``self``; the people page's by their relationship (the deceased, a newborn…)."""
    found: dict[str, list[dict]] = {}
    if visit.applicant is not None:
        found["self"] = [{"birth_date": visit.applicant.birth_date, "sex": visit.applicant.sex}]
    for person in visit.people.all():
        role = person.relationship or person.role
        found.setdefault(role, []).append({"birth_date": person.birth_date, "sex": person.sex})
    return found


def start_rows(visit: Visit, rows: list[dict]) -> list[dict]:
    """The guide's first page's rows with the birth dates the counter already has
    (the card's, the people page's), and a row for each known person not listed."""
    known = {role: list(people) for role, people in _people_by_role(visit).items()}
    out = []
    for row in rows:
        pool = known.get(row.get("role") or "") or []
        if pool and not row.get("birth_date"):
            row = {**row, "birth_date": pool.pop(0)["birth_date"]}
        out.append(row)
    extra = [
        {"role": role, "birth_date": person["birth_date"]}
        for role, people in known.items()
        if role in ROLE_CHOICES  # an heir is not one of the guide's household
        for person in people
    ]
    blank = [r for r in out if not r.get("role")]
    return ([r for r in out if r.get("role")] + extra + blank)[:MAX_MEMBERS]


def with_known_people(visit: Visit, situation: Situation) -> Situation:
    """The guide's household with what the counter knows of each person, so that a
    birth date or a sex is not asked again (the first of each role not given yet).
    Unchanged when the result would not be a valid situation."""
    known = {role: list(people) for role, people in _people_by_role(visit).items()}
    members = []
    for member in situation.members or []:
        pool = known.get(member.role or "") or []
        person = pool.pop(0) if pool else {}
        update = {k: v for k, v in person.items() if v and getattr(member, k, None) is None}
        members.append({**member.model_dump(exclude_none=True), **update})
    try:
        return Situation.model_validate(
            {**situation.model_dump(exclude_none=True), "members": members or None}
        )
    except ValueError:
        return situation


def known_for(visit: Visit) -> Known:
    """What the counter knows, in the online prefill's terms: the card's facts as the
    verified identity (typed facts fill editable, as a profile), the guide's answers,
    and the visit's people (the deceased, the heirs, the household)."""
    applicant = visit.applicant
    return Known(
        situation=situation_of(visit),
        profile=applicant.typed_values() if applicant else None,
        identity=applicant.identity_values() if applicant else None,
        members=[p.as_member() for p in visit.people.all()],
    )


def applications_of(visit: Visit) -> list[Application]:
    return list(
        Application.objects.filter(visit_link__visit=visit)
        .select_related("applicant")
        .order_by("visit_link__pk")
    )


def choose(visit: Visit, procedure_ids: list[str], *, by) -> list[Application]:
    """Open a draft for each chosen procedure that has a form (kept when already
    open, with what was typed), and drop the drafts of procedures no longer chosen."""
    catalog = current_catalog()
    chosen = [
        p for p in dict.fromkeys(procedure_ids) if (proc := catalog.procedures.get(p)) and proc.form
    ]
    known = known_for(visit)
    with transaction.atomic():
        Visit.objects.select_for_update().filter(pk=visit.pk).get()
        have = {a.procedure_id: a for a in applications_of(visit)}
        for pid, app in have.items():
            if pid not in chosen and app.status == Status.DRAFT:
                VisitApplication.objects.filter(application=app).delete()
                app.history.all().delete()
                app.delete()
                audit.record(by, "delete", "application", str(app.public_id), procedure=pid)
        for pid in chosen:
            if pid in have:
                continue
            proc = catalog.procedures[pid]
            app = Application.objects.create(
                owner=None,
                applicant=visit.applicant,
                entered_by=by,
                channel=Channel.COUNTER,
                municipality_code=catalog.municipality.code,
                procedure_id=proc.id,
                procedure_name=proc.name.ja,
                department_id=proc.department,
                form_version=proc.form.version,
                form_spec=proc.form.model_dump(mode="json", by_alias=True),
                data=initial_values(proc.form, known),
                event=visit.event,
            )
            VisitApplication.objects.create(visit=visit, application=app)
            StatusChange.objects.create(application=app, actor=by, status_to=Status.DRAFT)
            audit.record(
                by, "create", "application", str(app.public_id), procedure=pid, channel="counter"
            )
        visit.printed_at = None
        Visit.objects.filter(pk=visit.pk).update(printed_at=None)
    return applications_of(visit)


def save(visit: Visit, values: list[tuple[Application, dict]], *, by) -> None:
    """Keep what was typed; a printed visit must be printed again."""
    with transaction.atomic():
        for app, data in values:
            Application.objects.filter(pk=app.pk, status=Status.DRAFT).update(
                data=data, updated_at=timezone.now()
            )
            app.data = data
        Visit.objects.filter(pk=visit.pk).update(printed_at=None)
        visit.printed_at = None
        audit.record(
            by,
            "update",
            "counter.Visit",
            str(visit.public_id),
            applications=[str(a.public_id) for a, _ in values],
        )


def digest(data: dict) -> str:
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def mark_printed(visit: Visit, *, by) -> list[Application]:
    """Give each form its 受付番号 (once) and remember what was printed."""
    now = timezone.localtime()
    with transaction.atomic():
        Visit.objects.select_for_update().filter(pk=visit.pk).get()
        apps = applications_of(visit)
        for app in apps:
            if app.status != Status.DRAFT:
                continue
            fields = ["reviewed_digest", "updated_at"]
            if not app.receipt_number:
                app.receipt_year = now.year
                app.receipt_number = receipts.next_number(app.municipality_code, now.year)
                fields += ["receipt_year", "receipt_number"]
            app.reviewed_digest = digest(app.data)
            app.save(update_fields=fields)
        Visit.objects.filter(pk=visit.pk).update(printed_at=now)
        visit.printed_at = now
        audit.record(
            by,
            "print",
            "counter.Visit",
            str(visit.public_id),
            receipts=[a.receipt_number for a in apps],
        )
    return apps


def confirm(visit: Visit, *, by) -> list[Application]:
    """The resident signed: every printed form goes to its department's queue, all
    or none. A second confirmation changes nothing."""
    identity_provider = ""
    if visit.applicant is not None and visit.applicant.verified:
        identity_provider = visit.applicant.source
    with transaction.atomic():
        locked = Visit.objects.select_for_update().get(pk=visit.pk)
        if locked.confirmed_at is not None:
            return applications_of(visit)
        if locked.printed_at is None:
            raise NotPrinted
        apps = list(
            Application.objects.select_for_update().filter(
                visit_link__visit=visit, status=Status.DRAFT
            )
        )
        if not apps or any(a.reviewed_digest != digest(a.data) for a in apps):
            raise NotPrinted
        for app in apps:
            submission.record(app, by, app.data, identity_provider, language="ja")
        now = timezone.localtime()
        Visit.objects.filter(pk=visit.pk).update(confirmed_at=now)
        visit.confirmed_at = now
        audit.record(by, "confirm", "counter.Visit", str(visit.public_id), applications=len(apps))
    return applications_of(visit)
