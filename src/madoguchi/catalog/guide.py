"""The 手続きガイド: a situation in, the procedures that apply (and why) out.

``run_guide`` evaluates the catalogue's rules for one household, then explains the
result: the reasons that held, the conditions still open, each deadline as a date,
and the questions whose answers would settle what is still open.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.utils import timezone
from pydantic import BaseModel

from madoguchi.catalog.deadlines import OfficeCalendar, last_day
from madoguchi.catalog.facts import askable_fact
from madoguchi.catalog.frames import situation_rows
from madoguchi.catalog.loader import Catalog
from madoguchi.catalog.rules import Node
from madoguchi.catalog.schema import Procedure
from madoguchi.catalog.situation import ROLE_CHOICES, Member, Situation

Status = Literal["required", "optional", "may_apply"]
_STATUS_ORDER = {"required": 0, "may_apply": 1, "optional": 2}

ROLE_LABELS = {
    "ja": {k: v[0] for k, v in ROLE_CHOICES.items()},
    "en": {k: v[1] for k, v in ROLE_CHOICES.items()},
}


class ChoiceOut(BaseModel):
    value: str | bool
    label: str


class QuestionOut(BaseModel):
    id: str
    fact: str
    member: int | None = None
    member_label: str | None = None
    text: str
    help: str | None = None
    kind: str
    unit: str | None = None
    choices: list[ChoiceOut] = []
    decides: list[str] = []


class ProcedureOut(BaseModel):
    id: str
    name: str
    # The official name said plainly (「児童手当をやめる届」), when the catalogue gives one.
    plain_name: str | None = None
    department: str
    department_id: str
    place: str | None = None
    status: Status
    reasons: list[str]
    open_conditions: list[str] = []
    deadline: date | None
    deadline_rule: str
    deadline_note: str | None = None
    online: bool
    online_note: str | None = None
    bring: list[str]
    legal_basis: str | None = None
    explanation: str
    # 「速やかに」: no date, but due now (listed with the most urgent).
    promptly: bool = False


class OtherOfficeOut(BaseModel):
    """Not the municipality's: one line under 「ほかの窓口」, with where to go."""

    id: str
    name: str
    where: str
    note: str | None = None


class GuideOut(BaseModel):
    municipality: str
    event: str
    event_name: str
    event_date: date | None
    procedures: list[ProcedureOut]
    questions: list[QuestionOut]
    other_offices: list[OtherOfficeOut] = []


def member_labels(members: list[Member], language: str = "ja") -> list[str]:
    """「本人」「子(2人目)」…: how the guide names each member in questions."""
    lang = "en" if language.startswith("en") else "ja"
    names = ROLE_LABELS[lang]
    totals: dict[str | None, int] = {}
    for m in members:
        totals[m.role] = totals.get(m.role, 0) + 1
    seen: dict[str | None, int] = {}
    labels = []
    for i, m in enumerate(members):
        seen[m.role] = seen.get(m.role, 0) + 1
        if m.role is None:
            labels.append(f"世帯員{i + 1}" if lang == "ja" else f"member {i + 1}")
        elif totals[m.role] > 1:
            n = seen[m.role]
            labels.append(f"{names[m.role]}({n}人目)" if lang == "ja" else f"{names[m.role]} #{n}")
        else:
            labels.append(names[m.role])
    return labels


class _Explainer:
    """Reads one household's evaluated nodes back into reasons and questions."""

    def __init__(self, row: dict, members: list[dict], language: str, member_facts=None):
        self.row = row
        self.members = members
        self.language = language
        # The catalogue's facts, its named ages (ages.yaml) included: an unknown
        # ``pension_age`` is asked as the birth date, like the built-in ``age``.
        self.member_facts = member_facts

    def value(self, node: Node) -> bool | None:
        return self.row[node.key]

    def reasons(self, node: Node) -> list[str]:
        """The conditions that held, as their catalogue phrases."""
        if self.value(node) is not True:
            return []
        text = node.condition.reason_text(self.language)
        if text:
            return [text]
        if node.kind == "all":
            return [r for c in node.children for r in self.reasons(c)]
        if node.kind == "any":
            return [r for c in node.children if self.value(c) is True for r in self.reasons(c)]
        return []

    def open_conditions(self, node: Node) -> list[str]:
        """The unknown conditions on which the result still depends."""
        if self.value(node) is not None:
            return []
        text = node.condition.reason_text(self.language)
        if text:
            return [text]
        return [r for c in node.children for r in self.open_conditions(c)]

    def unknown_facts(self, node: Node) -> list[tuple[str, int | None, str]]:
        """(scope, member index, fact to ask) for every unknown the result hangs on.

        Only unknown nodes can change when an unknown is answered (a known ``all`` or
        ``any`` is already decided by its known children), so the walk descends only
        through unknown nodes.
        """
        if self.value(node) is not None:
            return []
        if node.scope == "household":
            return [("household", None, f) for f in node.facts if self.row.get(f) is None]
        if node.scope == "member":
            found = []
            for m in self.members:
                if m[node.key] is not None:
                    continue
                for fact in node.facts:
                    asked = askable_fact("member", fact, self.member_facts)
                    if m.get(asked) is None:
                        found.append(("member", m["idx"], asked))
            return found
        return [u for c in node.children for u in self.unknown_facts(c)]


def _deadline(
    catalog: Catalog,
    calendar: OfficeCalendar,
    proc: Procedure,
    situation: Situation,
    lang: str,
) -> tuple[date | None, str | None, str | None]:
    """The due date, why it moved (if it did), and the date fact still needed to
    count it (e.g. the 転出予定日 after a move-in), if any."""
    rule = catalog.deadlines[proc.id]
    start_fact = rule.counts_from.get(situation.event)
    start = getattr(situation, start_fact) if start_fact else situation.event_date
    if start is None:
        return None, None, start_fact
    last = last_day(start, rule)
    if last is None:
        return None, None, None
    due = calendar.next_open_day(last)
    if due == last:
        return due, None, None
    why = calendar.closed_reason(last)
    if lang.startswith("en"):
        note = f"{last:%-d %b %Y} is a closed day, so the deadline moves to the next open day."
    else:
        note = f"{last.month}月{last.day}日が閉庁日({why})のため、次の開庁日までになります"
    return due, note, None


def question_text(question, household: list[Member], idx: int | None, lang: str) -> str:
    """About the deceased, a question is asked in the past tense (おくやみ)."""
    if idx is not None and household[idx].role == "deceased" and question.text_past:
        return question.text_past.get(lang)
    return question.text.get(lang)


# Per catalogue and language, what each procedure's entry says whatever the household
# (names, places, 持ち物, legal basis…): worked out once, not on every request.
def _static_parts(catalog: Catalog, lang: str) -> dict[str, dict]:
    by_language = catalog.derived.setdefault("procedure_texts", {})
    if lang not in by_language:
        parts = {}
        for proc in catalog.procedures.values():
            dept = catalog.departments[proc.department]
            parts[proc.id] = {
                "id": proc.id,
                "name": proc.name.get(lang),
                "plain_name": proc.plain_name.get(lang) if proc.plain_name else None,
                "department": dept.name.get(lang),
                "department_id": dept.id,
                "place": dept.place.get(lang) if dept.place else None,
                "deadline_rule": proc.deadline.text.get(lang),
                "online": proc.online,
                "online_note": proc.online_note.get(lang) if proc.online_note else None,
                "bring": [item.get(lang) for item in proc.bring],
                "legal_basis": proc.legal_basis.get(lang) if proc.legal_basis else None,
                "promptly": catalog.deadlines[proc.id].promptly,
                "explanation": proc.explanation.get(lang),
            }
        by_language[lang] = parts
    return by_language[lang]


def _brought_up_by(catalog: Catalog, event: str) -> list[Procedure]:
    """The procedures an event brings up, in catalogue order (the others' trigger is
    false): worked out once per catalogue, not by going through all on every request."""
    by_event = catalog.derived.setdefault("procedures_by_event", {})
    if event not in by_event:
        by_event[event] = [p for p in catalog.procedures.values() if event in p.events]
    return by_event[event]


def run_guide(
    catalog: Catalog, situation: Situation, language: str = "ja", today: date | None = None
) -> GuideOut:
    lang = "en" if language.startswith("en") else "ja"
    today = today or timezone.localdate()
    household = situation.household()
    household_row, member_rows = situation_rows(situation, today, members=household)
    values, member_rows = catalog.rules.evaluate_one(
        household_row, member_rows, triggered_only=True
    )
    explainer = _Explainer(values, member_rows, lang, catalog.rules.member_facts)
    calendar = catalog.derived.get("calendar") or catalog.derived.setdefault(
        "calendar", OfficeCalendar(catalog.municipality)
    )
    labels = member_labels(household, lang)
    dept_order = {d: i for i, d in enumerate(catalog.departments)}

    static = _static_parts(catalog, lang)
    procedures: list[ProcedureOut] = []
    wanted: dict[tuple[str, int | None, str], list[str]] = {}
    for proc in _brought_up_by(catalog, situation.event):
        root = catalog.rules.roots[proc.id]
        result = explainer.value(root)
        if result is False:
            continue
        status: Status = proc.status if result else "may_apply"
        if result is None:
            for key in explainer.unknown_facts(root):
                if proc.id not in wanted.setdefault(key, []):
                    wanted[key].append(proc.id)
        due, note, needed = _deadline(catalog, calendar, proc, situation, lang)
        if needed and situation.event_date is not None:
            # The date this deadline counts from is not known yet: ask for it.
            key = ("household", None, needed)
            if proc.id not in wanted.setdefault(key, []):
                wanted[key].append(proc.id)
        procedures.append(
            ProcedureOut(
                **static[proc.id],
                status=status,
                reasons=explainer.reasons(root),
                open_conditions=explainer.open_conditions(root),
                deadline=due,
                deadline_note=note,
            )
        )
    # Most urgent first: a 「速やかに」 procedure is due on the event day itself; those
    # without any deadline come last.
    urgent = situation.event_date or today
    procedures.sort(
        key=lambda p: (
            _STATUS_ORDER[p.status],
            p.deadline is None and not p.promptly,
            p.deadline or (urgent if p.promptly else date.max),
            dept_order[p.department_id],
        )
    )

    questions: list[QuestionOut] = []
    if situation.event_date is None:
        questions.append(
            QuestionOut(
                id="event-date",
                fact="event_date",
                text="それはいつですか(予定日でもかまいません)"
                if lang == "ja"
                else "When is or was it?",
                kind="date",
                decides=[p.id for p in procedures if p.deadline_rule],
            )
        )
    order = {(q.scope, q.fact): i for i, q in enumerate(catalog.questions)}
    for scope, idx, fact in sorted(
        wanted, key=lambda k: (k[1] is None, k[1] or 0, order.get((k[0], k[2]), len(order)))
    ):
        question = catalog.question_for(scope, fact)
        if question is None:  # the catalogue check forbids this; skip rather than crash
            continue
        label = labels[idx] if idx is not None else None
        questions.append(
            QuestionOut(
                id=question.id,
                fact=fact,
                member=idx,
                member_label=label,
                text=question_text(question, household, idx, lang).replace("{member}", label or ""),
                help=question.help.get(lang) if question.help else None,
                kind=question.kind,
                unit=question.unit,
                choices=[
                    ChoiceOut(value=c.value, label=c.label.get(lang)) for c in question.choices
                ],
                decides=wanted[(scope, idx, fact)],
            )
        )

    others = [
        OtherOfficeOut(
            id=o.id,
            name=o.name.get(lang),
            where=o.where.get(lang),
            note=o.note.get(lang) if o.note else None,
        )
        for o in catalog.other_offices
        if situation.event in o.events
    ]
    event = catalog.life_events.get(situation.event)
    return GuideOut(
        municipality=catalog.municipality.name.get(lang),
        event=situation.event,
        event_name=event.name.get(lang) if event else situation.event,
        event_date=situation.event_date,
        procedures=procedures,
        questions=questions,
        other_offices=others,
    )
