"""The resident-facing guide: choose a life event, give the date and household,
answer the few questions that matter, get the checklist (print or PDF).

It works without JavaScript: each step is a plain form, and the situation so far
travels in a hidden field (nothing personal is stored on the server).
"""

from __future__ import annotations

import functools

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pydantic import ValidationError

from madoguchi.catalog.forms import AnswersForm, MemberFormSet, StartForm
from madoguchi.catalog.guide import GuideOut, run_guide
from madoguchi.catalog.registry import current_catalog
from madoguchi.catalog.situation import Member, Situation, with_answers
from madoguchi.common.errors_ja import one_line
from madoguchi.common.pdf import render_pdf


def _language() -> str:
    return get_language() or "ja"


def _event(event: str):
    life_event = current_catalog().life_events.get(event)
    if life_event is None:
        raise Http404(_("その出来事は案内していません"))
    return life_event


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    catalog = current_catalog()
    return render(request, "catalog/home.html", {"events": catalog.life_events.values()})


@require_http_methods(["GET", "POST"])
def guide_start(request: HttpRequest, event: str) -> HttpResponse:
    life_event = _event(event)
    lang = _language()
    label = life_event.name.get(lang)
    if request.method == "POST":
        form = StartForm(request.POST)
        members = MemberFormSet(request.POST, form_kwargs={"language": lang}, prefix="m")
        if form.is_valid() and members.is_valid():
            listed = [m for m in members.cleaned_data if m.get("role")]
            try:
                situation = Situation(
                    event=life_event.id,
                    event_date=form.cleaned_data["event_date"],
                    # Nobody listed means "not said", not "nobody lives here".
                    members=[Member(role=m["role"], birth_date=m["birth_date"]) for m in listed]
                    or None,
                )
            except ValidationError as exc:
                form.add_error(None, one_line(exc.errors()))
            else:
                return _result(request, situation)
    else:
        form = StartForm()
        initial = [{"role": role} for role in life_event.default_members]
        initial += [{}] * 3  # room for more people without JavaScript
        members = MemberFormSet(initial=initial, form_kwargs={"language": lang}, prefix="m")
    return render(
        request,
        "catalog/start.html",
        {"life_event": life_event, "event_label": label, "form": form, "members": members},
    )


def posted_situation(view):
    """Read the situation carried in the page's hidden field; 400 if it is not valid
    (or not for this event), since only a tampered or stale page can send that."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, event: str) -> HttpResponse:
        _event(event)
        try:
            situation = Situation.model_validate_json(request.POST.get("situation", ""))
        except ValidationError:
            situation = None
        if situation is None or situation.event != event:
            return HttpResponseBadRequest(
                _("入力内容を読み取れませんでした。最初からやり直してください。")
            )
        return view(request, situation)

    return require_POST(wrapper)


@posted_situation
def guide_answers(request: HttpRequest, situation: Situation) -> HttpResponse:
    result = run_guide(current_catalog(), situation, _language())
    form = AnswersForm(request.POST, questions=result.questions)
    if form.is_valid():
        answers = [(q.fact, q.member, value) for q, value in form.answers()]
        try:
            situation = with_answers(situation, answers)
        except ValidationError as exc:
            form.add_error(None, one_line(exc.errors()))
        else:
            return _result(request, situation)
    return _result(request, situation, answers_form=form, result=result)


def _result(
    request: HttpRequest,
    situation: Situation,
    answers_form: AnswersForm | None = None,
    result: GuideOut | None = None,
) -> HttpResponse:
    lang = _language()
    result = result or run_guide(current_catalog(), situation, lang)
    if answers_form is None:
        answers_form = AnswersForm(questions=result.questions)
    context = _checklist_context(situation, result, lang)
    context["answers_form"] = answers_form
    return render(request, "catalog/result.html", context)


def _checklist_context(situation: Situation, result: GuideOut, lang: str) -> dict:
    by_status = {
        s: [p for p in result.procedures if p.status == s]
        for s in ("required", "may_apply", "optional")
    }
    return {
        "result": result,
        "situation_json": situation.model_dump_json(exclude_none=True),
        "required": by_status["required"],
        "may_apply": by_status["may_apply"],
        "optional": by_status["optional"],
    }


@posted_situation
def guide_pdf(request: HttpRequest, situation: Situation) -> HttpResponse:
    lang = _language()
    result = run_guide(current_catalog(), situation, lang)
    context = _checklist_context(situation, result, lang)
    pdf = render_pdf("catalog/checklist_pdf.html", context, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"checklist-{situation.event}-{situation.event_date or 'undated'}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
