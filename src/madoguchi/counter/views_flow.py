"""A visit's steps at the counter, on a tablet between the clerk and the resident:
who the applicant is (card or typed), the people it is about, the guide, the
procedures to file, every form in one pass, the print for one signature, and the
confirmation that sends them to the departments.

Every page shows personal data of the applicant: each view is audited."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from pydantic import ValidationError

from madoguchi.applications import drafting
from madoguchi.applications.entry_form import ApplicationForm
from madoguchi.applications.models import Status
from madoguchi.catalog.forms import DATE_HINT, AnswersForm, MemberFormSet, StartForm
from madoguchi.catalog.guide import run_guide
from madoguchi.catalog.registry import current_catalog
from madoguchi.catalog.situation import MAX_MEMBERS, Situation, with_answers
from madoguchi.catalog.views import (
    checklist_context,
    place_answer_errors,
    rows_from,
    situation_from_start,
    start_round_trip,
)
from madoguchi.catalog.web_errors import error_summary
from madoguchi.common import audit
from madoguchi.counter import filing, identity, people
from madoguchi.counter.access import counter_required, visit_for
from madoguchi.counter.models import Visit, VisitKind
from madoguchi.counter.one_pass import OnePass, apply_buttons


def _lang() -> str:
    return "en" if (get_language() or "ja").startswith("en") else "ja"


def _viewed(request, visit: Visit, page: str) -> None:
    audit.record(request, "view", "counter.Visit", str(visit.public_id), page=page)


def _open(request, public_id) -> Visit:
    """The visit, while it can still change (confirmed or cancelled: read only)."""
    visit = visit_for(request.user, public_id)
    if request.method == "POST" and (visit.confirmed_at or visit.cancelled_at):
        raise Http404
    return visit


def _life_event(visit: Visit):
    if not visit.event:
        return None
    return current_catalog().life_events.get(visit.event)


def _with_agent(view):
    """The visit page's script may talk to the card agent on the clerk's PC (CSP:
    this page only), and still to its own server for the token: a ``connect-src``
    replaces ``default-src`` for fetches, so 'self' is named again. The URL is read
    per request, not at import, so that a changed setting is the one allowed."""
    from functools import wraps

    from csp.constants import SELF

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response._csp_update = {"connect-src": [SELF, settings.MADOGUCHI_CARD_AGENT_URL]}
        return response

    return wrapped


@never_cache
@require_safe
@counter_required
@_with_agent
def visit(request: HttpRequest, public_id) -> HttpResponse:
    visit = visit_for(request.user, public_id)
    _viewed(request, visit, "visit")
    apps = filing.applications_of(visit)
    return render(
        request,
        "counter/visit.html",
        {
            "visit": visit,
            "applicant": visit.applicant,
            "people": list(visit.people.all()),
            "life_event": _life_event(visit),
            "apps": apps,
            "drafts": [a for a in apps if a.status == Status.DRAFT],
            "card_agent_url": settings.MADOGUCHI_CARD_AGENT_URL,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@counter_required
def identity_typed(request: HttpRequest, public_id) -> HttpResponse:
    """The four facts typed from an identity document, when there is no card."""
    visit = _open(request, public_id)
    values = identity.facts_initial(visit.applicant)
    if request.method == "POST":
        raw = request.POST.copy()
        if raw.get("lookup"):  # 「郵便番号から住所を入れる」: the same page, the town filled in
            drafting.lookup_address(raw, raw["lookup"])
            form = ApplicationForm(identity.FACTS_FORM, data=raw, values=values, draft=True)
            return _identity_page(request, visit, form)
        form = ApplicationForm(identity.FACTS_FORM, data=raw, values=values, draft=False)
        if form.is_valid():
            identity.record_typed(visit, form.values(), by=request.user)
            messages.success(request, _("申請者の情報を記録しました。"))
            return redirect("counter:visit", visit.public_id)
        return _identity_page(request, visit, form)
    _viewed(request, visit, "identity")
    form = ApplicationForm(identity.FACTS_FORM, values=values, draft=True)
    return _identity_page(request, visit, form)


def _identity_page(request, visit, form):
    return render(
        request,
        "counter/identity.html",
        {"visit": visit, "entries": form.entries(), "problems": form.problems()},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@counter_required
def visit_people(request: HttpRequest, public_id) -> HttpResponse:
    """The deceased and the heirs (おくやみ), or the household's members."""
    visit = _open(request, public_id)
    spec = people.form_for(visit)
    values = people.initial(visit)
    if request.method == "POST":
        raw = request.POST.copy()
        button = next((b for b in ("add_row", "remove_row", "lookup") if raw.get(b)), None)
        if button == "add_row":
            drafting.add_row(raw, spec, raw["add_row"])
        elif button == "remove_row":
            drafting.remove_row(raw, spec, raw["remove_row"])
        elif button == "lookup":
            drafting.lookup_address(raw, raw["lookup"])
        form = ApplicationForm(spec, data=raw, values=values, draft=button is not None)
        if button is None and form.is_valid():
            people.record(visit, form.values(), by=request.user)
            messages.success(request, _("記録しました。"))
            return redirect("counter:visit", visit.public_id)
        return _people_page(request, visit, form)
    _viewed(request, visit, "people")
    return _people_page(request, visit, ApplicationForm(spec, values=values, draft=True))


def _people_page(request, visit, form):
    return render(
        request,
        "counter/people.html",
        {"visit": visit, "entries": form.entries(), "problems": form.problems()},
    )


# The guide, with the resident: the same catalogue and questions as online.


@never_cache
@require_http_methods(["GET", "POST"])
@counter_required
def guide(request: HttpRequest, public_id) -> HttpResponse:
    visit = _open(request, public_id)
    catalog = current_catalog()
    if visit.kind == VisitKind.BEREAVEMENT and not visit.event:
        visit.event = "death"
        Visit.objects.filter(pk=visit.pk).update(event="death")
    if request.method == "POST" and "event" in request.POST:
        event = request.POST["event"]
        if event in catalog.life_events and visit.kind == VisitKind.GENERAL:
            Visit.objects.filter(pk=visit.pk).update(event=event, situation={})
            visit.event, visit.situation = event, {}
        return redirect("counter:guide", visit.public_id)
    life_event = _life_event(visit)
    if life_event is None:
        return render(
            request,
            "counter/guide_event.html",
            {"visit": visit, "events": list(catalog.life_events.values())},
        )
    kept = filing.situation_of(visit)
    lang = _lang()
    date_label = life_event.date_label.get(lang)
    if request.method == "GET":
        event_date, rows = rows_from(kept, life_event)
        if kept is None:  # the birth dates the card and the people page gave
            rows = filing.start_rows(visit, rows)
        form = StartForm(initial={"event_date": event_date}, date_label=date_label)
        members = MemberFormSet(initial=rows, form_kwargs={"language": lang}, prefix="m")
        return _guide_page(request, visit, life_event, form, members)
    form = StartForm(request.POST, date_label=date_label)
    members = MemberFormSet(request.POST, form_kwargs={"language": lang}, prefix="m")
    if (redrawn := start_round_trip(request.POST, form, members, date_label, lang)) is not None:
        return _guide_page(request, visit, life_event, *redrawn)
    if form.is_valid() and members.is_valid():
        situation = situation_from_start(life_event, form, members, kept)
        if situation is not None:
            _keep_situation(visit, filing.with_known_people(visit, situation))
            return redirect("counter:procedures", visit.public_id)
    return _guide_page(request, visit, life_event, form, members)


def _keep_situation(visit: Visit, situation: Situation) -> None:
    visit.situation = situation.model_dump(mode="json", exclude_none=True)
    Visit.objects.filter(pk=visit.pk).update(situation=visit.situation)


def _guide_page(request, visit, life_event, form, members):
    named = [("", form)] + [(str(i + 1), m) for i, m in enumerate(members.forms)]
    problems = [{"href": "", "text": e} for e in members.non_form_errors()]
    problems += error_summary(named) if form.is_bound else []
    return render(
        request,
        "counter/guide.html",
        {
            "visit": visit,
            "life_event": life_event,
            "event_label": life_event.name.get(_lang()),
            "form": form,
            "members": members,
            "problems": problems,
            "can_add": len(members.forms) < MAX_MEMBERS,
            "max_members": MAX_MEMBERS,
            "date_hint": DATE_HINT,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@counter_required
def procedures(request: HttpRequest, public_id) -> HttpResponse:
    """What applies (the guide's checklist), the questions that would settle the
    rest, and which procedures to file here and now."""
    visit = _open(request, public_id)
    life_event = _life_event(visit)
    situation = filing.situation_of(visit)
    if life_event is None or situation is None:
        return redirect("counter:guide", visit.public_id)
    lang = _lang()
    result = run_guide(current_catalog(), situation, lang)
    answers_form = AnswersForm(questions=result.questions)
    if request.method == "POST" and request.POST.get("action") == "answers":
        answers_form = AnswersForm(request.POST, questions=result.questions)
        if answers_form.is_valid():
            given = [(q.fact, q.member, value) for q, value in answers_form.answers()]
            try:
                updated = with_answers(situation, given)
            except ValidationError as exc:
                place_answer_errors(exc, answers_form, situation, life_event)
            else:
                _keep_situation(visit, updated)
                return redirect("counter:procedures", visit.public_id)
    elif request.method == "POST":
        chosen = request.POST.getlist("procedure")
        if visit.applicant is None:
            messages.error(request, _("先に申請者を確認してください(カードの読み取りか入力)。"))
            return redirect("counter:visit", visit.public_id)
        if not chosen:
            messages.error(request, _("受け付ける手続きを一つ以上選んでください。"))
        else:
            filing.choose(visit, chosen, by=request.user)
            if visit.guide_done_at is None:
                Visit.objects.filter(pk=visit.pk).update(guide_done_at=timezone.now())
            return redirect("counter:forms", visit.public_id)
    _viewed(request, visit, "procedures")
    context = checklist_context(life_event, situation, result, lang)
    have = {a.procedure_id for a in filing.applications_of(visit)}
    # At the counter every form is printed, also the counter-only ones.
    counter_forms = {pid for pid, p in current_catalog().procedures.items() if p.form}
    context.update(
        visit=visit,
        counter_forms=counter_forms,
        answers_form=answers_form,
        problems=error_summary([("", answers_form)]) if answers_form.is_bound else [],
        # Preticked: what was chosen before, else every required one with a form.
        chosen=have
        or {p.id for p in result.procedures if p.status == "required" and p.id in counter_forms},
    )
    return render(request, "counter/procedures.html", context)


# Every form in one pass, then the print and the confirmation.


@never_cache
@require_http_methods(["GET", "POST"])
@counter_required
def forms(request: HttpRequest, public_id) -> HttpResponse:
    visit = _open(request, public_id)
    apps = [a for a in filing.applications_of(visit) if a.status == Status.DRAFT]
    if not apps:
        return redirect("counter:procedures", visit.public_id)
    verified = visit.applicant.identity_values() if visit.applicant else None
    if request.method == "POST":
        raw, anchor = apply_buttons(request.POST.copy(), apps)
        review = anchor is None and raw.get("action") == "print"
        one = OnePass(apps, identity=verified, data=raw, review=review)
        valid = one.is_valid()
        if anchor is not None:
            return _forms_page(request, visit, one, problems=False)
        if review and not valid:
            return _forms_page(request, visit, one)
        filing.save(visit, one.values(), by=request.user)
        if review:
            filing.mark_printed(visit, by=request.user)
            messages.success(
                request,
                _("申請書を印刷してください。署名をもらったら、「受付を確定する」を押します。"),
            )
            return redirect(reverse("counter:visit", args=[visit.public_id]) + "#print")
        messages.success(request, _("途中まで保存しました。"))
        return redirect("counter:forms", visit.public_id)
    _viewed(request, visit, "forms")
    return _forms_page(request, visit, OnePass(apps, identity=verified), problems=False)


def _forms_page(request, visit, one: OnePass, problems: bool = True):
    return render(
        request,
        "counter/forms.html",
        {
            "visit": visit,
            "one": one,
            "shared_entries": one.shared.entries() if one.shared is not None else [],
            "problems": one.problems() if problems else [],
        },
    )


@never_cache
@require_safe
@counter_required
def forms_pdf(request: HttpRequest, public_id) -> HttpResponse:
    """Every printed form and the resident's checklist, one PDF."""
    from madoguchi.counter.printout import visit_pdf

    visit = visit_for(request.user, public_id)
    if visit.printed_at is None:
        raise Http404
    audit.record(request, "print", "counter.Visit", str(visit.public_id))
    pdf = visit_pdf(visit, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="visit-{visit.day}-{visit.number}.pdf"'
    return response


@never_cache
@require_POST
@counter_required
def confirm(request: HttpRequest, public_id) -> HttpResponse:
    visit = visit_for(request.user, public_id)
    if visit.confirmed_at is not None:
        return redirect("counter:visit", visit.public_id)
    if visit.cancelled_at is not None:
        raise Http404
    if request.POST.get("signed") != "1":
        messages.error(
            request, _("申請者の署名を確かめて、「署名をもらいました」にチェックを入れてください。")
        )
        return redirect(reverse("counter:visit", args=[visit.public_id]) + "#print")
    try:
        apps = filing.confirm(visit, by=request.user)
    except filing.NotPrinted:
        messages.error(
            request,
            _("印刷したあとで内容が変わりました。もう一度印刷して、署名をもらってください。"),
        )
        return redirect("counter:visit", visit.public_id)
    messages.success(
        request,
        _("%(n)d件の申請を受け付けました。担当課の一覧に届いています。") % {"n": len(apps)},
    )
    return redirect("counter:visit", visit.public_id)
