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

from madoguchi.applications import correspondence, drafting, files, unsent_input, workflow
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


STAGED = "madoguchi-correction-{}"  # the session key of a correction under review


def _staged(request, app) -> correspondence.Staged | None:
    return correspondence.Staged.from_session(request.session.get(STAGED.format(app.public_id)))


def _staged_files(staged) -> dict[str, list[str]]:
    return staged.files if staged is not None else {}


@unsent_input.keep_when_signed_out(promise=unsent_input.INTO_CORRECTION)
@login_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, public_id) -> HttpResponse:
    """The requested fields as inputs. Sending checks them and shows the review page
    (``correct_review``); nothing is sent from here."""
    app = owned(request, public_id)
    correction = correspondence.open_correction(app)
    kept = unsent_input.take(request, app.public_id) if request.method == "GET" else None
    if correction is None:
        if not app.is_draft:
            messages.info(request, _("この申請には、いま直すところはありません。"))
        return redirect("applications:detail", app.public_id)
    staged = _staged(request, app)
    if request.method == "GET":
        audit.record(request.user, "view", "application", str(app.public_id), page="correct")
        if kept is not None:
            return _shown_again(request, app, correction, kept)
        if staged is not None and staged.revision == app.revision:
            # Back from the review page (「修正する」): what was typed, not the old values.
            form = correspondence.correction_form(app, correction, data=staged.post)
            form.is_valid()
            return _page(request, app, correction, form, staged=staged)
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
        checked = correspondence.stage_correction(
            app,
            user=request.user,
            post=raw,
            files=request.FILES,
            expected_revision=revision,
            staged=_staged_files(staged),
        )
    except correspondence.CorrectionInvalid as exc:
        return _page(request, app, correction, exc.form, staged=staged)
    except workflow.MoveRefused as exc:
        return _refused(request, app, correction, exc, raw)
    request.session[STAGED.format(app.public_id)] = checked.as_session()
    return redirect("applications:correct_review", app.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def correct_review(request: HttpRequest, public_id) -> HttpResponse:
    """What will be sent: each requested field, before → after, and the new files;
    「修正する」 goes back with the input kept, 「この内容で送る」 sends it."""
    app = owned(request, public_id)
    correction = correspondence.open_correction(app)
    staged = _staged(request, app)
    if correction is None:
        request.session.pop(STAGED.format(app.public_id), None)
        return redirect("applications:detail", app.public_id)
    if staged is None:
        return redirect("applications:correct", app.public_id)
    if request.method == "GET":
        form = correspondence.correction_form(
            app, correction, data=staged.post, attachments=_with_staged(app, staged)
        )
        if not form.is_valid():
            return redirect("applications:correct", app.public_id)
        audit.record(request.user, "view", "application", str(app.public_id), page="correct_review")
        return render(
            request,
            "applications/correct_review.html",
            {
                "app": app,
                "correction": correction,
                "changes": _changes(app, correction, form.values(), _with_staged(app, staged)),
                "revision": staged.revision,
            },
        )
    try:
        correspondence.submit_correction(
            app,
            user=request.user,
            post=staged.post,
            expected_revision=staged.revision,
            language=get_language() or "ja",
            staged=staged.files,
        )
    except correspondence.CorrectionInvalid as exc:
        return _page(request, app, correction, exc.form, staged=staged)
    except workflow.MoveRefused as exc:
        return _refused(request, app, correction, exc, staged.post)
    request.session.pop(STAGED.format(app.public_id), None)
    messages.success(request, _("修正を送りました。"))
    return redirect("applications:detail", app.public_id)


def _shown_again(request, app, correction, kept: dict) -> HttpResponse:
    """What was typed before the sign-in ended, back in the form, checked but not
    sent. The revision it was typed against goes with it: if the application moved
    meanwhile, sending says so (as for a stale page) instead of overwriting."""
    raw = {str(k): str(v) for k, v in kept["input"].items()}
    revision = raw.pop("revision", None)
    form = correspondence.correction_form(app, correction, data=raw)
    form.is_valid()
    unsent_input.say_shown_again(request, kept)
    return _page(request, app, correction, form, revision=revision)


def _refused(request, app, correction, exc, raw) -> HttpResponse:
    messages.error(request, exc.message)
    request.session.pop(STAGED.format(app.public_id), None)
    if not exc.stale:
        return redirect("applications:detail", app.public_id)
    app.refresh_from_db()
    form = correspondence.correction_form(app, correction, data=raw)
    return _page(request, app, correction, form)


def _with_staged(app, staged) -> dict[str, list]:
    """The files the form would now send: the staged ones over the current ones."""
    found = correspondence.current_attachments(app)
    by_id = correspondence.version_attachments(app)
    for field_id, ids in staged.files.items():
        kept = [by_id[i] for i in ids if i in by_id]
        if kept:
            found[field_id] = kept
    return found


def _changes(app, correction, corrected: dict, attachments: dict) -> list[dict]:
    """Each requested field: its label, the lines now and the lines to be sent."""
    spec = app.spec
    requested = set(correction.field_ids)
    new = dict(app.data)
    for field_id in correction.field_ids:
        if field_id in corrected:
            new[field_id] = corrected[field_id]
        else:
            new.pop(field_id, None)
    before = rows(spec, app.data, correspondence.current_attachments(app))
    after = rows(spec, new, attachments)
    return [
        {
            "label": old.label,
            "old": old,
            "new": fresh,
            "changed": app.data.get(f.id) != new.get(f.id),
            "file": f.kind == "file",
        }
        for f, old, fresh in zip(spec.fields, before, after, strict=True)
        if f.id in requested
    ]


def _page(request, app, correction, form, *, revision=None, staged=None) -> HttpResponse:
    requested = set(correction.field_ids)
    current = correspondence.current_attachments(app)
    chosen = _staged_names(app, staged)
    entries = []
    for entry in form.entries():
        if entry.spec.id not in requested:
            continue
        if entry.spec.kind == "file":
            # New files replace the field's files in the new version; the current
            # ones are listed apart (they stay with the earlier version).
            entry.current = current.get(entry.spec.id, [])
            entry.chosen = chosen.get(entry.spec.id, [])
            entry.attachments = []
        entries.append(entry)
    spec = app.spec
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


def _staged_names(app, staged) -> dict[str, list[str]]:
    """The names of files chosen before going back from the review page, by field."""
    if staged is None or not staged.files:
        return {}
    by_id = correspondence.version_attachments(app)
    return {
        field_id: [by_id[i].original_name for i in ids if i in by_id]
        for field_id, ids in staged.files.items()
    }
