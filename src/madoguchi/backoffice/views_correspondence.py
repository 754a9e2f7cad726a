"""The department's side of the correspondence, drawn on the back office's detail
page by ``backoffice/_correspondence.html``: send a message (with files), ask for a
補正 naming the fields, download a message's file.

Every view is department-scoped (``application_for``: 404 outside the clerk's
departments). A refused request (a stale page, an empty note) keeps what the clerk
typed in the session, and the form shows it again with the reason.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from madoguchi.applications import correspondence, files, workflow
from madoguchi.applications.models import MESSAGE_FILES, Attachment
from madoguchi.applications.serving import serve_attachment
from madoguchi.backoffice.access import application_for, staff_required
from madoguchi.backoffice.conflicts import no_conflict

# Session keys of what the clerk typed when it could not be sent.
MESSAGE_DRAFT = "madoguchi-office-message-{}"
CORRECTION_DRAFT = "madoguchi-office-correction-{}"


def detail_url(app) -> str:
    """The back office's page of the application (the queue's detail page)."""
    try:
        url = reverse("backoffice:detail", args=[app.public_id])
    except NoReverseMatch:  # the detail page is not there (yet)
        url = f"/office/applications/{app.public_id}/"
    return url + "#correspondence"


def _resident_language() -> str:
    # The resident's language is not kept: mails to them are in the site's language.
    return settings.LANGUAGE_CODE.split("-")[0]


@staff_required
@require_POST
@no_conflict
def send_message(request: HttpRequest, public_id) -> HttpResponse:
    app = application_for(request.user, public_id)
    body = request.POST.get("body", "")
    try:
        correspondence.post_message(
            app,
            author=request.user,
            from_staff=True,
            body=body,
            uploads=request.FILES.getlist("attachment"),
            language=_resident_language(),
        )
    except (correspondence.Refused, files.FileRefused) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
        request.session[MESSAGE_DRAFT.format(app.public_id)] = body
        return redirect(detail_url(app))
    messages.success(request, _("メッセージを送りました。申請者にはメールでお知らせしました。"))
    return redirect(detail_url(app))


@staff_required
@require_POST
@no_conflict
def request_correction(request: HttpRequest, public_id) -> HttpResponse:
    app = application_for(request.user, public_id)
    field_ids = request.POST.getlist("fields")
    note = request.POST.get("note", "")
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    try:
        correspondence.request_correction(
            app,
            actor=request.user,
            field_ids=field_ids,
            note=note,
            expected_revision=revision,
            language=_resident_language(),
        )
    except (correspondence.Refused, workflow.MoveRefused) as exc:
        messages.error(request, exc.message)
        request.session[CORRECTION_DRAFT.format(app.public_id)] = {
            "fields": field_ids,
            "note": note,
        }
        return redirect(detail_url(app))
    messages.success(request, _("補正を依頼しました。申請者にはメールでお知らせしました。"))
    return redirect(detail_url(app))


@never_cache
@staff_required
def message_file(request: HttpRequest, public_id, file_id) -> HttpResponse:
    """A file sent with a message, as a download (audited)."""
    app = application_for(request.user, public_id)
    found = get_object_or_404(
        Attachment, public_id=file_id, application=app, field_id=MESSAGE_FILES
    )
    return serve_attachment(request, found)
