"""The back office's pages for the departments: the queue, one application (its
fields, files, history and the moves a clerk may make), assignment and the load.

Every application is reached through ``access.application_for`` (404 outside the
user's departments); every view of an application or a file is in the audit log.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from madoguchi.applications import files, workflow
from madoguchi.applications.display import rows
from madoguchi.applications.models import Application, Status
from madoguchi.backoffice import due
from madoguchi.backoffice.access import application_for, staff_required, supervises
from madoguchi.backoffice.conflicts import conflict_of, no_conflict
from madoguchi.backoffice.models import Assignment, Membership
from madoguchi.backoffice.people import members_of, name_of
from madoguchi.backoffice.queue import OPEN_KEY, TAB_STATUSES, build
from madoguchi.backoffice.queue import items as queue_items
from madoguchi.catalog.registry import current_catalog
from madoguchi.common import audit

PAGE_SIZE = 50

# The moves this page offers as buttons, with their words. 補正依頼 is asked for
# with its own form (the fields to correct and a message): _correspondence.html.
ACTIONS = {
    Status.IN_REVIEW: gettext_lazy("審査を始める"),
    Status.COMPLETED: gettext_lazy("完了にする"),
    Status.REJECTED: gettext_lazy("却下する"),
}
BUTTON_MOVES = set(ACTIONS)
# Moves that end the application: the clerk ticks a box saying so first (a slip of
# the finger must not decide a resident's case; works without JavaScript).
CONFIRM_MOVES = {Status.COMPLETED, Status.REJECTED}


@never_cache
@require_safe
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    found = build(request.user, request.GET)
    paginator = Paginator(found.rows, PAGE_SIZE)
    # The count is known from the tabs' counts: no second COUNT query.
    paginator.count = _count_for(found)
    page = paginator.get_page(request.GET.get("page"))
    items = queue_items(page.object_list, today=due.today())
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = request.GET.copy()
    for key in ("page", "status"):
        tab_query.pop(key, None)
    tabs = [
        {
            "key": key,
            "label": label,
            "count": found.counts.get(key, 0),
            "current": key == found.status,
        }
        for key, label in [(OPEN_KEY, _("対応中"))]
        + [(s.value, s.label) for s in TAB_STATUSES]
        + [("all", _("すべて"))]
    ]
    return render(
        request,
        "backoffice/queue.html",
        {
            "form": found.form,
            "page": page,
            "items": items,
            "tabs": tabs,
            "query": query.urlencode(),
            "tab_query": tab_query.urlencode(),
        },
    )


def _count_for(found) -> int:
    if found.status == OPEN_KEY or found.status == "all":
        return found.counts[found.status]
    return found.counts.get(found.status, 0)


def _has_assignment(app: Application) -> bool:
    try:
        app.assignment  # noqa: B018 (joined by select_related; None raises)
    except Assignment.DoesNotExist:
        return False
    return True


def _assignment_of(app: Application) -> Assignment | None:
    return app.assignment if _has_assignment(app) else None


def _detail_context(request, app: Application, **extra) -> dict:
    catalog = current_catalog()
    attachments = list(app.attachments.all())
    due_day = due.due_for(app)
    assignment = _assignment_of(app)
    is_supervisor = supervises(request.user, app.department_id)
    provider = ""
    if app.identity_provider:
        from madoguchi.residents.identity.registry import registry

        try:
            provider = registry.get(app.identity_provider).label(request.LANGUAGE_CODE or "ja")
        except KeyError:
            # The counter's card reader is not an online provider.
            from madoguchi.applications.models import IdentitySource

            known = dict(IdentitySource.choices)
            provider = str(known.get(app.identity_provider, app.identity_provider))
    actions = [
        {
            "to": to,
            "label": ACTIONS[to],
            "needs_reason": to in workflow.NEEDS_REASON,
            "needs_confirm": to in CONFIRM_MOVES,
        }
        for to in workflow.allowed(app.status, "staff")
        if to in BUTTON_MOVES
    ]
    # Their own or their household's: read only, said why (conflicts.py).
    conflict = conflict_of(request.user, app)
    if conflict is not None:
        actions, is_supervisor = [], False
    department = catalog.departments.get(app.department_id)
    return {
        "app": app,
        "rows": rows(app.spec, app.data, files.by_field(app)),
        "attachments": attachments,
        "history": app.history.select_related("actor"),
        "due": due_day,
        "overdue": due.is_overdue(app, due_day),
        "assignment": assignment,
        "is_supervisor": is_supervisor,
        "members": [m for m in members_of([app.department_id]) if not conflict_of(m, app)]
        if is_supervisor
        else [],
        "can_take": conflict is None
        and (assignment is None or assignment.clerk_id != request.user.pk),
        "conflict": conflict,
        "provider": provider,
        "department": department,
        "actions": actions,
        **extra,
    }


@never_cache
@require_safe
@staff_required
def detail(request: HttpRequest, public_id) -> HttpResponse:
    app = application_for(request.user, public_id)
    audit.record(request, "view", "application", app.public_id, by="staff")
    return render(request, "backoffice/detail.html", _detail_context(request, app))


@never_cache
@require_POST
@staff_required
@no_conflict
def move(request: HttpRequest, public_id) -> HttpResponse:
    """One of the buttons: the status to move to, the revision the page showed and
    (for 却下) the reason. A refusal shows the page again as it is now, with what
    the clerk typed kept in the form."""
    app = application_for(request.user, public_id)
    to = request.POST.get("to", "")
    note = request.POST.get("note", "")
    try:
        expected = int(request.POST.get("revision", ""))
    except ValueError:
        expected = -1
    try:
        if to not in BUTTON_MOVES:
            raise workflow.MoveRefused(_("この操作はここではできません。"))
        if to in CONFIRM_MOVES and request.POST.get("confirm") != "yes":
            raise workflow.MoveRefused(
                _(
                    "「%(action)s」は取り消せません。確かめたら、確認のチェックを入れてから押してください。"
                )
                % {"action": ACTIONS[to]}
            )
        workflow.move(
            app, to, actor=request.user, by="staff", expected_revision=expected, note=note
        )
    except workflow.MoveRefused as refused:
        app.refresh_from_db()
        context = _detail_context(request, app, refused=refused.message, note=note, tried=to)
        status = 409 if refused.stale else 400
        # The page shown again is the application (personal data): a view, and why.
        audit.record(request, "view", "application", app.public_id, by="staff",
                     tried=to if to in BUTTON_MOVES else "unknown",
                     refused="stale" if refused.stale else "not_allowed")  # fmt: skip
        return render(request, "backoffice/detail.html", context, status=status)
    messages.success(request, _("「%(status)s」にしました。") % {"status": Status(to).label})
    return redirect("backoffice:detail", public_id=app.public_id)


@never_cache
@require_POST
@staff_required
@no_conflict
def assign(request: HttpRequest, public_id) -> HttpResponse:
    """A clerk takes an application (「自分が担当する」); the department's supervisor
    gives it to any member, or takes it off everyone."""
    app = application_for(request.user, public_id)
    wanted = request.POST.get("clerk", "")
    is_supervisor = supervises(request.user, app.department_id)
    with transaction.atomic():
        # Lock the application: two clerks taking it at once, one wins.
        Application.objects.select_for_update().filter(pk=app.pk).first()
        current = Assignment.objects.filter(application=app).select_related("clerk").first()
        if wanted == "me":
            if current is not None and current.clerk_id != request.user.pk and not is_supervisor:
                messages.error(
                    request,
                    _("この申請は %(name)s さんが担当しています。割り振りは係長・課長が変えます。")
                    % {"name": name_of(current.clerk)},
                )
                return redirect("backoffice:detail", public_id=app.public_id)
            clerk = request.user
        elif not is_supervisor:
            raise Http404
        elif wanted == "":
            clerk = None
        else:
            member = (
                Membership.objects.filter(department_id=app.department_id, user_id=_user_id(wanted))
                .select_related("user")
                .first()
            )
            if member is None:
                messages.error(request, _("この課の職員を選んでください。"))
                return redirect("backoffice:detail", public_id=app.public_id)
            clerk = member.user
            if conflict_of(clerk, app) is not None:
                messages.error(
                    request,
                    _(
                        "%(name)s さんの本人または世帯の申請のため、割り振れません。"
                        "ほかの職員を選んでください。"
                    )
                    % {"name": name_of(clerk)},
                )
                return redirect("backoffice:detail", public_id=app.public_id)
        if clerk is None:
            if current is not None:
                current.delete()
        else:
            Assignment.objects.update_or_create(
                application=app, defaults={"clerk": clerk, "assigned_by": request.user}
            )
        audit.record(
            request, "change", "application", app.public_id,
            by="staff", assigned_to=clerk.pk if clerk else None,
            assigned_from=current.clerk_id if current else None,
        )  # fmt: skip
    if clerk is None:
        messages.success(request, _("担当者をはずしました。"))
    else:
        messages.success(
            request, _("担当者を %(name)s さんにしました。") % {"name": name_of(clerk)}
        )
    return redirect("backoffice:detail", public_id=app.public_id)


@never_cache
@require_safe
@staff_required
def load(request: HttpRequest) -> HttpResponse:
    """The supervisor's view: open and overdue applications per clerk."""
    from django.db.models import Count

    departments = sorted(
        Membership.objects.filter(user=request.user, role="supervisor").values_list(
            "department_id", flat=True
        )
    )
    if not departments:
        raise Http404
    catalog = current_catalog()
    procedure_ids = [p.id for p in catalog.procedures.values() if p.department in set(departments)]
    counted = (
        Application.objects.filter(department_id__in=departments, status__in=workflow.OPEN)
        .order_by()
        .values("department_id", "assignment__clerk")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=due.overdue_q(procedure_ids)),
        )
    )
    by_key = {(c["department_id"], c["assignment__clerk"]): c for c in counted}
    members = {m.user_id: m for m in Membership.objects.filter(department_id__in=departments)}
    users = {u.pk: u for u in members_of(departments)}
    tables = []
    for dept in departments:
        lines = []
        for member in Membership.objects.filter(department_id=dept).select_related("user"):
            c = by_key.get((dept, member.user_id), {})
            lines.append(
                {
                    "name": name_of(member.user),
                    "role": member.get_role_display(),
                    "open": c.get("open", 0),
                    "overdue": c.get("overdue", 0),
                }
            )
        lines.sort(key=lambda line: line["name"])
        unassigned = by_key.get((dept, None), {})
        # Assigned to someone who has since left the department: shown as theirs.
        for (d, clerk_id), c in by_key.items():
            if d == dept and clerk_id is not None and clerk_id not in members:
                lines.append(
                    {
                        "name": name_of(users.get(clerk_id)) or str(clerk_id),
                        "role": "",
                        "open": c["open"],
                        "overdue": c["overdue"],
                    }
                )
        department = catalog.departments.get(dept)
        tables.append(
            {
                "department": department.name if department else dept,
                "lines": lines,
                "unassigned_open": unassigned.get("open", 0),
                "unassigned_overdue": unassigned.get("overdue", 0),
            }
        )
    return render(request, "backoffice/load.html", {"tables": tables})


def _user_id(value: str) -> int:
    """A clerk's row id as the select sent it; -1 (nobody) for 「²」 or 20 digits."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 12 else -1
