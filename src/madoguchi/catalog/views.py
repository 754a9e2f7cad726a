"""The resident-facing guide: choose a life event, give the date and household,
answer the few questions that matter, get the checklist (print or PDF).

It works without JavaScript: each step is a plain form. After each POST the
situation is kept in the session (see guide_state) and the browser is sent to the
checklist's own URL (POST/redirect/GET), so the checklist can be reloaded,
bookmarked or switched to English, and any one answer changed later.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pydantic import ValidationError

from madoguchi.catalog import answers, guide_state
from madoguchi.catalog.forms import DATE_HINT, AnswersForm, MemberFormSet, StartForm
from madoguchi.catalog.guide import GuideOut, member_labels, run_guide
from madoguchi.catalog.registry import current_catalog
from madoguchi.catalog.schema import LifeEvent
from madoguchi.catalog.search import MAX_QUERY, all_procedures, hit, search_procedures
from madoguchi.catalog.situation import MAX_MEMBERS, Member, Situation, with_answers
from madoguchi.catalog.web_errors import error_summary, place_errors
from madoguchi.common.forms import row_index
from madoguchi.common.pdf import render_pdf


def _language() -> str:
    return get_language() or "ja"


def _event(event: str) -> LifeEvent:
    life_event = current_catalog().life_events.get(event)
    if life_event is None:
        raise Http404(_("その出来事は案内していません"))
    return life_event


def _person(index: int) -> str:
    """How the first page names a row in messages: 「2人目の」."""
    return _("%(n)s人目の") % {"n": index + 1}


def kept_situation(view):
    """Give the view the life event and the situation kept in the session; without
    one (expired, cleared, another browser), the friendly 「残っていません」 page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, event: str, *args, **kwargs) -> HttpResponse:
        life_event = _event(event)
        situation = guide_state.load(request, event)
        if situation is None:
            return _not_kept(request, life_event)
        return view(request, life_event, situation, *args, **kwargs)

    return wrapper


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    catalog = current_catalog()
    return render(request, "catalog/home.html", {"events": catalog.life_events.values()})


# Procedures found by name (also those no life event brings up), and one procedure.


@require_GET
def procedure_search(request: HttpRequest) -> HttpResponse:
    catalog = current_catalog()
    query = request.GET.get("q", "")[:MAX_QUERY].strip()
    lang = _language()
    found = search_procedures(catalog, query) if query else all_procedures(catalog)
    return render(
        request,
        "catalog/search.html",
        {"query": query, "hits": [hit(catalog, p, lang) for p in found]},
    )


@require_GET
def procedure_detail(request: HttpRequest, procedure_id: str) -> HttpResponse:
    catalog = current_catalog()
    proc = catalog.procedures.get(procedure_id)
    if proc is None:
        raise Http404(_("その手続きは見つかりません"))
    context = {
        "proc": proc,
        "department": catalog.departments[proc.department],
        "events": [catalog.life_events[e] for e in proc.events if e in catalog.life_events],
    }
    return render(request, "catalog/procedure.html", context)


# The first page: the date and the household.


@require_http_methods(["GET", "POST"])
def guide_start(request: HttpRequest, event: str) -> HttpResponse:
    life_event = _event(event)
    lang = _language()
    date_label = life_event.date_label.get(lang)
    kept = guide_state.load(request, event)
    if request.method == "GET":
        event_date, rows = rows_from(kept, life_event)
        form = StartForm(initial={"event_date": event_date}, date_label=date_label)
        members = MemberFormSet(initial=rows, form_kwargs={"language": lang}, prefix="m")
        return _start_page(request, life_event, form, members, kept)

    form = StartForm(request.POST, date_label=date_label)
    members = MemberFormSet(request.POST, form_kwargs={"language": lang}, prefix="m")
    if (redrawn := start_round_trip(request.POST, form, members, date_label, lang)) is not None:
        return _start_page(request, life_event, *redrawn, kept)

    if form.is_valid() and members.is_valid():
        situation = situation_from_start(life_event, form, members, kept)
        if situation is not None:
            guide_state.save(request, situation)
            return redirect("catalog:checklist", event)
    return _start_page(request, life_event, form, members, kept)


def start_round_trip(post, form, members, date_label: str, lang: str) -> tuple | None:
    """(form, members) redrawn after 「人を追加する」 or 「…人目を消す」, or None for
    any other button. Without JavaScript, adding or removing a person is a round
    trip that redraws the form with everything typed so far (and no error messages).
    Also the counter's guide (counter/views_flow.py)."""
    if "add_member" not in post and "remove_member" not in post:
        return None
    rows = [typed_values(m) for m in members.forms]
    if "add_member" in post and len(rows) < MAX_MEMBERS:
        rows.append({})
    removed = row_index(post.get("remove_member"), len(rows))
    if removed is not None:
        del rows[removed]
    form = StartForm(initial=typed_values(form), date_label=date_label)
    members = MemberFormSet(initial=rows, form_kwargs={"language": lang}, prefix="m")
    return form, members


def rows_from(kept: Situation | None, life_event: LifeEvent) -> tuple:
    """The first page's date and rows: what was entered before, or the usual household.
    One empty row is always there for one more person."""
    if kept is None or not kept.members:
        rows = [{"role": role} for role in life_event.default_members]
    else:
        rows = [
            {"role": m.role or "", "birth_date": m.birth_date, "was": i}
            for i, m in enumerate(kept.members)
        ]
    if len(rows) < MAX_MEMBERS:
        rows.append({})
    return (kept.event_date if kept else None), rows


def typed_values(form) -> dict:
    """A bound form's values exactly as typed (nothing validated)."""
    return {name: form[name].value() for name in form.fields}


def situation_from_start(
    life_event: LifeEvent, form: StartForm, members, kept: Situation | None
) -> Situation | None:
    """The situation the first page describes, keeping every other answer already
    given (each person's follow them through the hidden ``was`` index). On a model
    error, the error is put on its field and None is returned."""
    rows = [(i, m.cleaned_data) for i, m in enumerate(members.forms) if m.cleaned_data.get("role")]
    before = (kept.members or []) if kept else []
    listed = []
    for _i, row in rows:
        was = row.get("was")
        known = before[was].model_dump() if was is not None and was < len(before) else {}
        listed.append(Member(**{**known, "role": row["role"], "birth_date": row["birth_date"]}))
    household = kept.model_dump(include=set(answers.HOUSEHOLD_FACTS)) if kept else {}
    try:
        return Situation(
            **household,
            event=life_event.id,
            event_date=form.cleaned_data["event_date"],
            # Nobody listed means "not said", not "nobody lives here".
            members=listed or None,
        )
    except ValidationError as exc:

        def locate(loc: tuple):
            if loc[:1] == ("event_date",):
                return form, "event_date", ""
            if loc[:1] == ("members",) and len(loc) > 1 and loc[1] < len(rows):
                field = loc[2] if len(loc) > 2 and loc[2] in ("role", "birth_date") else None
                return members.forms[rows[loc[1]][0]], field, ""
            return None

        place_errors(exc, locate, form, life_event.date_label.get(_language()), _date_of(form))
        return None


def _date_of(form) -> object:
    return getattr(form, "cleaned_data", {}).get("event_date")


def _start_page(request, life_event, form, members, kept) -> HttpResponse:
    named = [("", form)] + [(_person(i), m) for i, m in enumerate(members.forms)]
    problems = [{"href": "", "text": e} for e in members.non_form_errors()]
    problems += error_summary(named) if form.is_bound else []
    return render(
        request,
        "catalog/start.html",
        {
            "life_event": life_event,
            "event_label": life_event.name.get(_language()),
            "form": form,
            "members": members,
            "problems": problems,
            "can_add": len(members.forms) < MAX_MEMBERS,
            "max_members": MAX_MEMBERS,
            "kept": kept,
            "hours": _hours_kept(),
            "date_hint": DATE_HINT,
        },
    )


# The checklist, the questions that would settle it, and the answers given.


@require_GET
@kept_situation
def guide_checklist(request: HttpRequest, life_event: LifeEvent, situation: Situation):
    return _checklist(request, life_event, situation)


@require_http_methods(["GET", "POST"])
def guide_answers(request: HttpRequest, event: str) -> HttpResponse:
    if request.method == "GET":  # an old link or bookmark: the checklist lives here now
        _event(event)
        return redirect("catalog:checklist", event)
    return _answer(request, event)


@kept_situation
def _answer(request: HttpRequest, life_event: LifeEvent, situation: Situation) -> HttpResponse:
    result = run_guide(current_catalog(), situation, _language())
    form = AnswersForm(request.POST, questions=result.questions)
    if form.is_valid():
        given = [(q.fact, q.member, value) for q, value in form.answers()]
        try:
            updated = with_answers(situation, given)
        except ValidationError as exc:
            place_answer_errors(exc, form, situation, life_event)
        else:
            guide_state.save(request, updated)
            return redirect("catalog:checklist", life_event.id)
    return _checklist(request, life_event, situation, answers_form=form, result=result)


def place_answer_errors(
    exc: ValidationError, form: AnswersForm, situation: Situation, life_event
) -> None:
    """Model errors on an answers form: on the question that asked the fact, else on
    the form with the person named (「本人の生年月日: …」)."""
    labels = member_labels(situation.household(), _language())

    def locate(loc: tuple):
        fact = loc[-1] if loc else None
        member = loc[1] if len(loc) == 3 and isinstance(loc[1], int) else None
        field = form.field_for(str(fact), member)
        if field is not None:
            return form, field, ""
        who = labels[member] if member is not None and member < len(labels) else ""
        name = _("生年月日") if fact == "birth_date" else str(fact)
        prefix = _("%(who)sの%(what)s: ") % {"who": who, "what": name}
        only = next(iter(form.fields), None) if len(form.fields) == 1 else None
        return form, only, prefix

    asked = form.field_for("event_date", None)
    event_date = (form.cleaned_data.get(asked) if asked else None) or situation.event_date
    place_errors(exc, locate, form, life_event.date_label.get(_language()), event_date)


def _checklist(
    request: HttpRequest,
    life_event: LifeEvent,
    situation: Situation,
    answers_form: AnswersForm | None = None,
    result: GuideOut | None = None,
) -> HttpResponse:
    lang = _language()
    result = result or run_guide(current_catalog(), situation, lang)
    if answers_form is None:
        answers_form = AnswersForm(questions=result.questions)
    context = checklist_context(life_event, situation, result, lang)
    context["answers_form"] = answers_form
    context["problems"] = error_summary([("", answers_form)]) if answers_form.is_bound else []
    return render(request, "catalog/result.html", context)


def checklist_context(
    life_event: LifeEvent, situation: Situation, result: GuideOut, lang: str
) -> dict:
    """What ``catalog/_checklist.html`` draws (also MyPage's saved checklists)."""
    by_status = {
        s: [p for p in result.procedures if p.status == s]
        for s in ("required", "may_apply", "optional")
    }
    return {
        "life_event": life_event,
        "result": result,
        "given": answers.summarize(current_catalog(), situation, life_event, lang),
        "made_on": timezone.localdate(),
        "required": by_status["required"],
        "may_apply": by_status["may_apply"],
        "optional": by_status["optional"],
        # Procedures whose form can be filled online here (「オンラインで申請」).
        "with_form": {pid for pid, p in current_catalog().procedures.items() if p.applies_online},
        # Where 「オンラインで申請」 takes the household's answers from (the session).
        "apply_query": f"event={life_event.id}",
    }


# Changing one answer, starting again.


@require_http_methods(["GET", "POST"])
@kept_situation
def guide_change(
    request: HttpRequest,
    life_event: LifeEvent,
    situation: Situation,
    fact: str,
    member: int | None = None,
) -> HttpResponse:
    lang = _language()
    question = _question_for(situation, life_event, fact, member, lang)
    name = f"q-{question.id}-{'h' if member is None else member}"
    if request.method == "POST":
        form = AnswersForm(request.POST, questions=[question])
        if form.is_valid():
            ((_q, value),) = form.all_answers()
            try:
                updated = with_answers(situation, [(fact, member, value)])
            except ValidationError as exc:
                place_answer_errors(exc, form, situation, life_event)
            else:
                guide_state.save(request, updated)
                return redirect(reverse("catalog:checklist", args=[life_event.id]) + "#given")
    else:
        current = answers.current_value(situation, fact, member)
        form = AnswersForm(initial={name: _initial(question.kind, current)}, questions=[question])
    return render(
        request,
        "catalog/change.html",
        {
            "life_event": life_event,
            "form": form,
            "problems": error_summary([("", form)]) if form.is_bound else [],
        },
    )


def _question_for(situation, life_event, fact, member, lang):
    if fact == "event_date" and member is None:
        return answers.date_question(life_event, lang)
    household = situation.household()
    if member is not None and member >= len(household):
        raise Http404(_("その方は入力されていません"))
    scope = "household" if member is None else "member"
    question = answers.ask_again(current_catalog(), scope, fact, member, household, lang)
    if question is None:
        raise Http404(_("その質問はありません"))
    return question


def _initial(kind: str, value: object) -> object:
    if value is None:
        return ""
    if kind == "yes_no":
        return "true" if value else "false"
    return value if kind in ("date", "number") else str(value)


@require_POST
def guide_clear(request: HttpRequest, event: str) -> HttpResponse:
    _event(event)
    guide_state.clear(request, event)
    return redirect("catalog:start", event)


def _not_kept(request: HttpRequest, life_event: LifeEvent) -> HttpResponse:
    """The answers are gone (the session expired or never was): say so and offer to
    start again, rather than an error page."""
    return render(
        request, "catalog/not_kept.html", {"life_event": life_event, "hours": _hours_kept()}
    )


def _hours_kept() -> int:
    """How long the session keeps answers, said to the resident (see settings)."""
    return max(1, settings.SESSION_COOKIE_AGE // 3600)


@require_GET
@kept_situation
def guide_pdf(request: HttpRequest, life_event: LifeEvent, situation: Situation) -> HttpResponse:
    lang = _language()
    result = run_guide(current_catalog(), situation, lang)
    context = checklist_context(life_event, situation, result, lang)
    pdf = render_pdf("catalog/checklist_pdf.html", context, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"checklist-{situation.event}-{situation.event_date or 'undated'}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
