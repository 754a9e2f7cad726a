"""The resident's side of an online application: start from a procedure, fill the
form over as many visits as needed (saved as a draft), review, submit, receipt.

Every page works without JavaScript; each POST saves and redirects (POST/redirect/
GET) unless the page must show mistakes. Every view of an application is limited to
its owner (``access``) and every view or change of its data is audited.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.applications import drafting, duplicates, files, unsent_input
from madoguchi.applications.access import owned
from madoguchi.applications.display import rows
from madoguchi.applications.entry_form import ApplicationForm
from madoguchi.applications.models import Application, Status
from madoguchi.applications.mypage import applications_of
from madoguchi.applications.people import identity_values
from madoguchi.applications.prefill import locked_values
from madoguchi.applications.submission import NotReady, submit
from madoguchi.applications.unsent_input import keep_when_signed_out
from madoguchi.catalog import guide_state
from madoguchi.catalog.form_schema import FormSpec
from madoguchi.catalog.registry import current_catalog
from madoguchi.common import audit, sessions


def _procedure(procedure_id: str):
    proc = current_catalog().procedures.get(procedure_id)
    if proc is None or not proc.applies_online:
        raise Http404(_("この手続きはオンラインで申請できません"))
    return proc


def _identity(user):
    found = identity_values(user)
    return (None, "") if found is None else (found[1], found[0])


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, procedure_id: str) -> HttpResponse:
    """What the procedure is and what is needed; 「申請を始める」 makes the draft (or
    opens the one already started: two taps or two tabs make one draft)."""
    proc = _procedure(procedure_id)
    event = request.GET.get("event") or request.POST.get("event") or ""
    checklist = request.GET.get("checklist") or request.POST.get("checklist") or ""
    sent = _sent_before(request.user, proc.id)
    confirmed = request.POST.get("again") == "yes"
    if request.method == "GET" or not request.user.is_authenticated or (sent and not confirmed):
        if request.method == "POST" and not request.user.is_authenticated:
            login = reverse("account_login")
            return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
        context = {"proc": proc, "event": event, "checklist": checklist, "sent": sent}
        if request.method == "POST":  # sent already, and the second one not confirmed
            context["confirm_error"] = True
            return render(request, "applications/start.html", context, status=400)
        return render(request, "applications/start.html", context)
    draft = _new_draft(request, proc, event, checklist)
    return redirect("applications:edit", draft.public_id)


def _sent_before(user, procedure_id: str) -> list:
    """The resident's sent applications of the procedure that still count, when no
    draft of it is open (resuming one asks nothing): a second one is confirmed first."""
    if not user.is_authenticated:
        return []
    if Application.objects.filter(
        owner=user, procedure_id=procedure_id, status=Status.DRAFT
    ).exists():
        return []
    return duplicates.sent_by(user, [procedure_id]).get(procedure_id, [])


def _situation(request, event: str, checklist: str):
    """The guide's answers to fill the form from: a checklist saved on MyPage, or
    the one just made (kept in the session)."""
    if checklist:
        from madoguchi.residents.checklists import situation_for

        try:
            return situation_for(request.user, uuid.UUID(checklist))
        except ValueError:
            return None
    if event in current_catalog().life_events:
        return guide_state.load(request, event)
    return None


def _new_draft(request, proc, event: str, checklist: str = "") -> Application:
    return drafting.open_draft(request.user, proc, _situation(request, event, checklist))


def _form_for(app: Application, spec: FormSpec, identity, *, data=None, draft=True):
    return ApplicationForm(
        spec,
        data=data,
        values=app.data,
        draft=draft,
        verified=locked_values(spec, identity),
        attachments=files.by_field(app),
    )


@keep_when_signed_out
@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, public_id) -> HttpResponse:
    app = owned(request, public_id)
    if not app.is_draft:
        return redirect("applications:detail", app.public_id)
    spec = app.spec
    identity, _provider = _identity(request.user)
    if request.method == "GET" and (kept := unsent_input.take(request, app.public_id)):
        _restore(request, app, spec, identity, kept)
    if request.method == "GET":
        audit.record(request.user, "view", "application", str(app.public_id))
        form = _form_for(app, spec, identity, data=app.draft_input or None)
        if app.draft_input:
            form.is_valid()
        return _edit_page(request, app, spec, form)
    return _edit_post(request, app, spec, identity)


def _edit_post(request, app, spec, identity) -> HttpResponse:
    raw = drafting.typed(request.POST)
    action = request.POST.get("action", "save")
    anchor = ""
    if request.POST.get("add_row"):
        drafting.add_row(raw, spec, request.POST["add_row"])
        anchor = f"group-{request.POST['add_row']}"
    if request.POST.get("remove_row"):
        drafting.remove_row(raw, spec, request.POST["remove_row"])
        anchor = f"group-{request.POST['remove_row'].partition(':')[0]}"
    if request.POST.get("lookup"):
        drafting.lookup_address(raw, request.POST["lookup"])
        anchor = f"field-{request.POST['lookup']}"  # the address's fieldset
    if request.POST.get("remove_file"):
        _remove_file(app, request.POST["remove_file"])
        anchor = "files"
    review = action == "review" and not anchor
    form = _form_for(app, spec, identity, data=raw, draft=True)
    form.is_valid()
    try:
        file_problems = drafting.save(app, form, raw, request.FILES)
    except drafting.AlreadySubmitted:
        return redirect("applications:detail", app.public_id)
    audit.record(
        request.user,
        "change",
        "application",
        str(app.public_id),
        **drafting.fields_named(spec, raw),
    )
    check = _form_for(app, spec, identity, data=raw, draft=not review)
    ok = check.is_valid()
    check.file_errors.update(file_problems)
    # A button (add a row, look up an address…) comes back to its place; what is
    # wrong elsewhere is shown there too (the GET checks the saved input again).
    if file_problems or (not ok and not anchor):
        return _edit_page(request, app, spec, check, status=200)
    if review:
        # If another tab saves other input meanwhile, the digests differ and the
        # submission checks everything again.
        app.draft_input = raw
        Application.objects.filter(pk=app.pk).update(reviewed_digest=app.input_digest())
        return redirect("applications:review", app.public_id)
    if not anchor:
        messages.success(request, _("下書きを保存しました。続きはマイページからいつでも書けます。"))
    url = reverse("applications:edit", args=[app.public_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _restore(request, app, spec, identity, kept: dict) -> None:
    """Save what was typed before the sign-in ended, as 「下書きを保存」 would."""
    raw = {str(k): str(v) for k, v in kept["input"].items()}
    form = _form_for(app, spec, identity, data=raw, draft=True)
    form.is_valid()
    try:
        drafting.save(app, form, raw, MultiValueDict())
    except drafting.AlreadySubmitted:
        return
    audit.record(
        request.user,
        "change",
        "application",
        str(app.public_id),
        fields=sorted({k.split("__")[0].split("-")[0] for k in raw}),
        restored=True,
    )
    unsent_input.say_restored(request, kept)


def _remove_file(app: Application, file_id: str) -> None:
    with transaction.atomic():
        attachment = app.attachments.filter(
            public_id__in=[file_id] if _uuid(file_id) else []
        ).first()
        if (
            attachment is not None
            and Application.objects.select_for_update().get(pk=app.pk).is_draft
        ):
            files.remove(attachment)
            audit.record(
                app.owner,
                "delete",
                "attachment",
                str(attachment.public_id),
                application=str(app.public_id),
            )


def _uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _edit_page(request, app, spec, form, status=200) -> HttpResponse:
    proc = current_catalog().procedures.get(app.procedure_id)
    return render(
        request,
        "applications/edit.html",
        {
            "app": app,
            "spec": spec,
            "form": form,
            "entries": form.entries(),
            "problems": form.problems(),
            "proc": proc,
            "intro": spec.intro.get(get_language() or "ja") if spec.intro else "",
        },
        status=status,
    )


@login_required
def review(request: HttpRequest, public_id) -> HttpResponse:
    app = owned(request, public_id)
    if not app.is_draft:
        return redirect("applications:detail", app.public_id)
    spec = app.spec
    proc = current_catalog().procedures.get(app.procedure_id)
    identity, _provider = _identity(request.user)
    check = _form_for(app, spec, identity, data=app.draft_input or None, draft=False)
    if not app.draft_input or not check.is_valid():
        return redirect("applications:edit", app.public_id)
    audit.record(request.user, "view", "application", str(app.public_id))
    locked = locked_values(spec, identity)
    needs_identity = bool(proc and proc.requires_identity and identity is None)
    return render(
        request,
        "applications/review.html",
        {
            "app": app,
            "rows": rows(spec, check.values(), files.by_field(app), set(locked)),
            "declaration": spec.declaration.get(get_language() or "ja") if spec.declaration else "",
            "needs_identity": needs_identity,
            "proc": proc,
            "same_sent": duplicates.sent_same(request.user, app.procedure_id, spec, check.values()),
        },
    )


@login_required
@require_POST
def send(request: HttpRequest, public_id) -> HttpResponse:
    """「この内容で送信する」. The submission itself finds the resident's draft (or
    the application it already became: a second tap gets the same receipt)."""
    identity, provider = _identity(request.user)
    try:
        outcome = submit(
            public_id,
            request.user,
            identity=identity,
            identity_provider=provider,
            declared=request.POST.get("agree") == "yes",
            language=get_language() or "ja",
            also=lambda: sessions.save_with(request),
        )
    except Application.DoesNotExist:
        raise Http404 from None
    except NotReady as exc:
        if "declaration" in exc.reasons:
            messages.error(
                request,
                _("送信する前に、内容に間違いがないことを確かめて、チェックを入れてください。"),
            )
        return redirect("applications:review", public_id)
    return redirect("applications:done", outcome.application.public_id)


@login_required
def done(request: HttpRequest, public_id) -> HttpResponse:
    app = owned(request, public_id)
    if app.is_draft:
        return redirect("applications:edit", app.public_id)
    return render(request, "applications/done.html", {"app": app})


@login_required
def detail(request: HttpRequest, public_id) -> HttpResponse:
    app = owned(request, public_id)
    if app.is_draft:
        return redirect("applications:edit", app.public_id)
    from madoguchi.applications import correspondence
    from madoguchi.applications.views_correspondence import reply_draft

    spec = app.spec
    audit.record(request.user, "view", "application", str(app.public_id))
    current = files.by_field(app)
    correction = correspondence.open_correction(app)
    return render(
        request,
        "applications/detail.html",
        {
            "app": app,
            "rows": rows(spec, app.data, current),
            "history": app.history.all(),
            "attachments": [a for found in current.values() for a in found],
            "thread": correspondence.thread_entries(app),
            "correction": correction,
            "correction_labels": (
                correspondence.field_labels(app, correction.field_ids) if correction else []
            ),
            "reply_body": reply_draft(request, app),
        },
    )


@login_required
def listing(request: HttpRequest) -> HttpResponse:
    return render(
        request, "applications/list.html", applications_of(request.user, request.GET.get("page"))
    )


@login_required
@require_http_methods(["GET", "POST"])
def discard(request: HttpRequest, public_id) -> HttpResponse:
    """Throw a draft away (its files too), after a page that says what goes: a POST
    without that page's ``confirm`` only shows the page. A submitted application stays."""
    app = owned(request, public_id)
    if not app.is_draft:
        return redirect("applications:detail", app.public_id)
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        proc = current_catalog().procedures.get(app.procedure_id)
        return render(
            request,
            "applications/discard.html",
            {"app": app, "proc": proc, "files": app.attachments.count()},
        )
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=app.pk)
        if app.is_draft:
            for attachment in app.attachments.all():
                files.remove(attachment)
            audit.record(request.user, "delete", "application", str(app.public_id))
            app.history.all().delete()
            app.delete()
            messages.success(request, _("下書きを消しました。"))
    return redirect("applications:list")
