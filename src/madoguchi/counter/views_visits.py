"""The counter clerk's list of today's visits, and the hall's waiting display.

The list (``/counter/``): every visit of the town's day with its number, kind,
status, how long it has waited, its window and clerk; 「受付を始める」 for each kind
(the new number is then shown large enough to read out), 「次の方を呼ぶ」 to the
clerk's window (remembered in the session), and 「呼ぶ」/「取り消す」 per visit.
Every step is a plain form: the pages work without JavaScript.

The display (``/counter/display/``) shows numbers only; it is public (see
``display``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from madoguchi.counter import tickets
from madoguchi.counter.access import counter_required, visit_for
from madoguchi.counter.board import board
from madoguchi.counter.forms_visits import StartForm, WindowForm
from madoguchi.counter.models import Visit, VisitKind, VisitStatus
from madoguchi.counter.waiting import expected_wait

WINDOW_KEY = "counter_window"  # the clerk's window, kept in their session


@require_safe
@counter_required
def visits(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    today = list(
        Visit.objects.filter(day=tickets.today()).select_related("clerk").order_by("number")
    )
    rows = [
        {
            "visit": v,
            "waited": _minutes((v.called_at or v.cancelled_at or now) - v.arrived_at),
            "link": reverse("counter:visit", args=[v.public_id]),
            "can_call": v.status == VisitStatus.WAITING,
            "can_cancel": v.status not in (VisitStatus.DONE, VisitStatus.CANCELLED),
        }
        for v in today
    ]
    return render(
        request,
        "counter/visits.html",
        {
            "rows": rows,
            "window_form": WindowForm(initial={"window": request.session.get(WINDOW_KEY, "")}),
            "wait": expected_wait(now=now),
            "kinds": VisitKind.choices,
        },
    )


@require_POST
@counter_required
def start(request: HttpRequest) -> HttpResponse:
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("受付の種類を選んでください。"))
        return redirect("counter:visits")
    visit = tickets.start_visit(kind=form.cleaned_data["kind"], by=request.user)
    return redirect("counter:ticket", public_id=visit.public_id)


@require_safe
@counter_required
def ticket(request: HttpRequest, public_id) -> HttpResponse:
    """The new number, large, for the clerk to read out or write on a slip."""
    visit = visit_for(request.user, public_id)
    return render(
        request,
        "counter/ticket.html",
        {"visit": visit, "link": reverse("counter:visit", args=[visit.public_id])},
    )


@require_POST
@counter_required
def call_next(request: HttpRequest) -> HttpResponse:
    window = _window(request)
    if window is None:
        return redirect("counter:visits")
    called = tickets.call_next(by=request.user, window=window)
    if called is None:
        messages.info(request, _("お待ちの方はいません。"))
    else:
        _said_called(request, called)
    return redirect("counter:visits")


@require_POST
@counter_required
def call(request: HttpRequest, public_id) -> HttpResponse:
    visit = visit_for(request.user, public_id)
    window = _window(request)
    if window is None:
        return redirect("counter:visits")
    if tickets.call(visit, by=request.user, window=window):
        _said_called(request, visit)
    else:
        messages.warning(
            request,
            _("%(number)d番は、もう呼び出し済みか取り消し済みです。") % {"number": visit.number},
        )
    return redirect("counter:visits")


@require_http_methods(["GET", "HEAD", "POST"])
@counter_required
def cancel(request: HttpRequest, public_id) -> HttpResponse:
    """GET asks to confirm (a cancel cannot be undone); POST cancels."""
    visit = visit_for(request.user, public_id)
    if request.method == "POST":
        if tickets.cancel(visit, by=request.user):
            messages.success(
                request, _("%(number)d番を取り消しました。") % {"number": visit.number}
            )
        else:
            messages.warning(
                request,
                _("%(number)d番は、もう完了か取り消し済みです。") % {"number": visit.number},
            )
        return redirect("counter:visits")
    return render(request, "counter/cancel.html", {"visit": visit})


@require_safe
@never_cache
def display(request: HttpRequest) -> HttpResponse:
    """The waiting display for a screen in the hall: numbers only, no sign-in.

    Public on purpose: it shows nothing about anyone (numbers, window labels, one
    figure), so a sign-in would add only risk (a staff session left open on a
    screen the public can reach) and work (a kiosk signing in each morning with a
    second factor). Being public, residents can also look at the wait from home
    before they come, as many city halls publish it. Each town has its own (the
    active town's numbers: ``/t/<town>/counter/display/``)."""
    return render(request, "counter/display.html", board())


def _window(request: HttpRequest) -> str | None:
    """The window posted (remembered in the session for the next call), or
    ``None`` with the reason shown."""
    form = WindowForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("window", []):
            messages.error(request, error)
        return None
    request.session[WINDOW_KEY] = form.cleaned_data["window"]
    return form.cleaned_data["window"]


def _said_called(request: HttpRequest, visit: Visit) -> None:
    messages.success(
        request,
        _("%(number)d番の方を窓口 %(window)s にお呼びしました。")
        % {"number": visit.number, "window": visit.window},
    )


def _minutes(delta) -> int:
    return max(0, int(delta.total_seconds() // 60))
