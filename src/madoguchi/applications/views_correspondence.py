"""The resident's side of the correspondence: the reply form on the detail page
and the correction page of a 補正依頼 (exactly the requested fields editable, the
rest shown read-only). Owner only (404 for anyone else); every view and change is
audited (the services write the changes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.applications import correspondence, drafting, files, workflow
from madoguchi.applications.access import owned
from madoguchi.applications.display import rows
from madoguchi.common import audit

REPLY_DRAFT = "madoguchi-reply-{}"  # the session key of a reply that was refused


def reply_draft(request: HttpRequest, app) -> str:
    """The text of a reply that could not be sent (shown again, once)."""
    return request.session.pop(REPLY_DRAFT.format(app.public_id), "")


@login_required
@require_POST
def reply(request: HttpRequest, public_id) -> HttpResponse:
    app = owned(request, public_id)
    url = reverse("applications:detail", args=[app.public_id])
    if app.is_draft:
        return redirect("applications:edit", app.public_id)
    body = request.POST.get("body", "")
    try:
        correspondence.post_message(
            app,
            author=request.user,
            from_staff=False,
            body=body,
            uploads=request.FILES.getlist("attachment"),
            language=get_language() or "ja",
        )
    except (correspondence.Refused, files.FileRefused) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
        request.session[REPLY_DRAFT.format(app.public_id)] = body
        return redirect(f"{url}#reply")
    messages.success(request, _("メッセージを送りました。"))
    return redirect(f"{url}#thread")


@login_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, public_id) -> HttpResponse:
    app = owned(request, public_id)
    correction = correspondence.open_correction(app)
    if correction is None:
        if not app.is_draft:
            messages.info(request, _("この申請には、いま直すところはありません。"))
        return redirect("applications:detail", app.public_id)
    if request.method == "GET":
        audit.record(request.user, "view", "application", str(app.public_id), page="correct")
        return _page(request, app, correction, correspondence.correction_form(app, correction))
    raw = drafting.typed(request.POST)
    raw.pop("revision", None)
    # The page's buttons that only change the page (a repeat, an address lookup).
    if request.POST.get("add_row") or request.POST.get("remove_row") or request.POST.get("lookup"):
        if request.POST.get("add_row") in correction.field_ids:
            drafting.add_row(raw, app.spec, request.POST["add_row"])
        if request.POST.get("remove_row", "").partition(":")[0] in correction.field_ids:
            drafting.remove_row(raw, app.spec, request.POST["remove_row"])
        if request.POST.get("lookup"):
            drafting.lookup_address(raw, request.POST["lookup"])
        form = correspondence.correction_form(app, correction, data=raw)
        return _page(request, app, correction, form, revision=request.POST.get("revision"))
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    try:
        correspondence.submit_correction(
            app,
            user=request.user,
            post=raw,
            files=request.FILES,
            expected_revision=revision,
            language=get_language() or "ja",
        )
    except correspondence.CorrectionInvalid as exc:
        return _page(request, app, correction, exc.form)
    except workflow.MoveRefused as exc:
        messages.error(request, exc.message)
        if not exc.stale:
            return redirect("applications:detail", app.public_id)
        app.refresh_from_db()
        form = correspondence.correction_form(app, correction, data=raw)
        return _page(request, app, correction, form)
    messages.success(request, _("修正を送りました。"))
    return redirect("applications:detail", app.public_id)


def _page(request, app, correction, form, *, revision=None) -> HttpResponse:
    requested = set(correction.field_ids)
    entries = []
    for entry in form.entries():
        if entry.spec.id not in requested:
            continue
        if entry.spec.kind == "file":
            # New files replace the field's files in the new version; the current
            # ones are listed apart (they stay with the earlier version).
            entry.current = entry.attachments
            entry.attachments = []
        entries.append(entry)
    spec = app.spec
    current = files.by_field(app)
    others = [
        row
        for f, row in zip(spec.fields, rows(spec, app.data, current), strict=True)
        if f.id not in requested
    ]
    return render(
        request,
        "applications/correct.html",
        {
            "app": app,
            "correction": correction,
            "labels": correspondence.field_labels(app, correction.field_ids),
            "entries": entries,
            "problems": form.problems(),
            "rows": others,
            "revision": revision or app.revision,
        },
    )
