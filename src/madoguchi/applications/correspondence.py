"""The correspondence between the department and the resident about a sent
application: messages both ways (with files), the 補正依頼 and the correction.

Called by the resident's pages (``views``) and by the back office. Each function
works in one transaction, writes the audit log (who, and names only: never what was
written) and queues one mail to the resident after the commit (``tasks.notify_message``:
it says only that there is something on MyPage).

A 補正依頼 names top-level fields of the application's form. The resident can then
change exactly those: every other field is ``locked`` to its current value, so it is
not an input at all, and the new values are merged over the current ones field by
field. The values are versioned (``ApplicationVersion``): the submitted ones are
version 1 (made on the first 補正依頼), each correction adds one, and
``Application.data`` is the newest. Nothing is overwritten.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.applications import applicant, files, workflow
from madoguchi.applications.entry_form import ApplicationForm
from madoguchi.applications.models import (
    MESSAGE_FILES,
    Application,
    ApplicationVersion,
    Attachment,
    CorrectionRequest,
    Message,
    MessageKind,
    Status,
    VersionReason,
)
from madoguchi.common import audit

# Files sent with a message: what a resident photographs or scans.
MESSAGE_ACCEPT = ("pdf", "jpeg", "png")
MESSAGE_MAX_BYTES = 10 * 1024 * 1024
MESSAGE_MAX_FILES = 3
BODY_MAX_CHARS = 4000


class Refused(Exception):
    """The request cannot be done; ``message`` says why, for the page."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CorrectionInvalid(Exception):
    """The corrected values are not right: ``form`` has the errors (nothing was kept)."""

    def __init__(self, form: ApplicationForm):
        super().__init__("correction has errors")
        self.form = form


def _notify(app: Application, language: str, kind: str) -> None:
    from madoguchi.applications.tasks import notify_message

    pk = app.pk
    transaction.on_commit(lambda: notify_message.enqueue(pk, language, kind))


# -- messages ----------------------------------------------------------------------


def post_message(
    application: Application,
    *,
    author,
    from_staff: bool,
    body: str,
    uploads=(),
    language: str = "ja",
) -> Message:
    """Add a message to the thread, with up to ``MESSAGE_MAX_FILES`` files (checked
    like the form's files). Raises ``Refused`` (empty, too long, a draft) or
    ``files.FileRefused`` (then nothing is kept)."""
    body = (body or "").strip()
    uploads = [u for u in uploads if u]
    if not body:
        raise Refused(_("メッセージを書いてください。"))
    if len(body) > BODY_MAX_CHARS:
        raise Refused(_("メッセージは%(n)d文字までです。") % {"n": BODY_MAX_CHARS})
    if len(uploads) > MESSAGE_MAX_FILES:
        raise Refused(_("ファイルは%(n)d個までです。") % {"n": MESSAGE_MAX_FILES})
    with files.atomic_with_files():
        app = Application.objects.select_for_update().get(pk=application.pk)
        if app.is_draft:
            raise Refused(_("送信前の申請にはメッセージを送れません。"))
        message = Message.objects.create(
            application=app, author=author, from_staff=from_staff, body=body
        )
        _store_message_files(app, message, uploads)
        audit.record(
            author,
            "create",
            "application",
            str(app.public_id),
            message=message.pk,
            from_staff=from_staff,
            files=len(uploads),
        )
        _notify(app, language, "message" if from_staff else "reply")
    return message


def _store_message_files(app: Application, message: Message, uploads) -> None:
    # ``store`` counts the files of a field over the whole application: allow this
    # message's few on top of those already sent.
    already = app.attachments.filter(field_id=MESSAGE_FILES).count()
    limits = files.Limits(MESSAGE_ACCEPT, MESSAGE_MAX_BYTES, already + MESSAGE_MAX_FILES)
    for upload in uploads:
        attachment = files.store(app, MESSAGE_FILES, upload, limits)
        attachment.message = message
        attachment.save(update_fields=["message"])


def thread(application: Application):
    """The messages, oldest first, with their authors, files and 補正依頼."""
    return (
        application.messages.select_related("author", "correction")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


# -- 補正依頼 ------------------------------------------------------------------------


def top_level_ids(application: Application) -> list[str]:
    return [f.id for f in application.spec.fields]


def open_correction(application: Application) -> CorrectionRequest | None:
    """The 補正依頼 waiting for the resident, if the application is at 補正依頼中."""
    if application.status != Status.CORRECTION:
        return None
    return (
        application.correction_requests.filter(answered_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )


def _ensure_original(app: Application) -> None:
    """Version 1, the values as submitted, if not kept yet."""
    if not app.versions.exists():
        ApplicationVersion.objects.create(
            application=app,
            number=1,
            data=app.data,
            made_by=app.owner,
            made_at=app.submitted_at or app.created_at,
            reason=VersionReason.SUBMITTED,
        )


def request_correction(
    application: Application,
    *,
    actor,
    field_ids: list[str],
    note: str,
    expected_revision: int,
    language: str = "ja",
) -> CorrectionRequest:
    """審査中 → 補正依頼中: ask the resident to correct ``field_ids`` (top-level ids of
    the application's form), saying why in ``note`` (shown to the resident). Raises
    ``Refused`` (no field, an unknown field) or ``workflow.MoveRefused`` (not 審査中,
    no note, or ``stale`` when someone changed the application meanwhile)."""
    known = top_level_ids(application)
    wanted = [i for i in known if i in set(field_ids)]  # form order, once each
    if not wanted:
        raise Refused(_("直してもらう項目を選んでください。"))
    if unknown := set(field_ids) - set(known):
        raise Refused(_("この申請書にない項目です: %(ids)s") % {"ids": ", ".join(sorted(unknown))})
    note = (note or "").strip()
    with transaction.atomic():
        moved = workflow.move(
            application,
            Status.CORRECTION,
            actor=actor,
            by="staff",
            expected_revision=expected_revision,
            note=note,
        )
        app = moved.application
        _ensure_original(app)
        correction = CorrectionRequest.objects.create(
            application=app, requested_by=actor, field_ids=wanted, note=note
        )
        Message.objects.create(
            application=app,
            author=actor,
            from_staff=True,
            kind=MessageKind.CORRECTION_REQUEST,
            body=note,
            correction=correction,
        )
        audit.record(
            actor,
            "create",
            "application",
            str(app.public_id),
            correction_request=correction.pk,
            fields=wanted,
        )
        _notify(app, language, "correction")
    application.refresh_from_db()
    return correction


def correction_form(
    application: Application,
    correction: CorrectionRequest,
    *,
    data=None,
    attachments: dict[str, list] | None = None,
) -> ApplicationForm:
    """The form with only ``correction.field_ids`` as inputs; every other top-level
    field is locked to its current value."""
    requested = set(correction.field_ids)
    spec = application.spec
    locked = {f.id: application.data.get(f.id) for f in spec.fields if f.id not in requested}
    return ApplicationForm(
        spec,
        data=data,
        values=application.data,
        draft=False,
        locked=locked,
        attachments=attachments if attachments is not None else current_attachments(application),
    )


def current_attachments(application: Application) -> dict[str, list]:
    """The form's files that the current values name (not the messages' files nor
    those a later version replaced)."""
    by_id = {str(a.public_id): a for a in application.attachments.exclude(field_id=MESSAGE_FILES)}
    out: dict[str, list] = {}
    for f in application.spec.fields:
        if f.kind == "file":
            out[f.id] = [by_id[i] for i in application.data.get(f.id) or [] if i in by_id]
    return out


def submit_correction(
    application: Application,
    *,
    user,
    post,
    files: dict | None = None,
    expected_revision: int,
    language: str = "ja",
) -> ApplicationVersion:
    """補正依頼中 → 審査中: the resident sends the requested fields corrected.

    ``post`` is the page's input (a QueryDict or a dict), ``files`` the uploads (a
    MultiValueDict, or a dict of lists) for requested file fields: new files replace
    that field's files in the new version (the old ones stay with the old version).
    Only the requested fields can change, whatever the request holds. Raises
    ``CorrectionInvalid`` (the form, with its errors), ``workflow.MoveRefused``
    (not 補正依頼中, or ``stale``) or ``Application.DoesNotExist`` (not the owner's)."""
    from madoguchi.applications import files as stored_files
    from madoguchi.applications.drafting import typed, upload_limits

    uploads = files or {}
    with stored_files.atomic_with_files():
        app = Application.objects.select_for_update().get(pk=application.pk, owner=user)
        if app.revision != expected_revision:
            raise workflow.MoveRefused(
                _(
                    "この申請は、ほかの画面で先に更新されました。最新の内容を確かめてから、もう一度送ってください。"
                ),
                stale=True,
            )
        correction = open_correction(app)
        if correction is None:
            raise workflow.MoveRefused(_("この申請には、いま直すところはありません。"))
        requested = set(correction.field_ids)
        spec = app.spec
        attachments = current_attachments(app)
        file_errors: dict[str, list[str]] = {}
        limits = upload_limits(spec)
        for field_id, field_limits in limits.items():
            new = _uploads_for(uploads, field_id)
            if field_id not in requested or not new:
                continue
            already = app.attachments.filter(field_id=field_id).count()
            room = files_limits(field_limits, already)
            kept = []
            for upload in new[: field_limits.max_files]:
                try:
                    kept.append(stored_files.store(app, field_id, upload, room))
                except stored_files.FileRefused as exc:
                    file_errors.setdefault(field_id, []).append(str(exc))
            attachments[field_id] = kept
        raw = typed(post) if hasattr(post, "getlist") else dict(post)
        form = correction_form(app, correction, data=raw, attachments=attachments)
        ok = form.is_valid()
        for field_id, errors in file_errors.items():
            form.file_errors.setdefault(field_id, []).extend(errors)
        if not ok or file_errors:
            raise CorrectionInvalid(form)
        corrected = form.values()
        # Only the requested fields take new values; the rest stay exactly as they were.
        data = dict(app.data)
        for field_id in correction.field_ids:
            if field_id in corrected:
                data[field_id] = corrected[field_id]
            else:
                data.pop(field_id, None)  # emptied (an optional field)
        changed = sorted(k for k in correction.field_ids if data.get(k) != app.data.get(k))
        workflow.move(
            app,
            Status.IN_REVIEW,
            actor=user,
            by="resident",
            expected_revision=expected_revision,
            note=_("修正を送りました"),
        )
        _ensure_original(app)
        number = (app.versions.order_by("-number").values_list("number", flat=True).first()) + 1
        now = timezone.now()
        version = ApplicationVersion.objects.create(
            application=app,
            number=number,
            data=data,
            made_by=user,
            made_at=now,
            reason=VersionReason.CORRECTED,
            correction=correction,
        )
        app.data = data
        read_from_data = applicant.refresh(app)
        Application.objects.filter(pk=app.pk).update(
            data=data, updated_at=now, **{k: getattr(app, k) for k in read_from_data}
        )
        CorrectionRequest.objects.filter(pk=correction.pk).update(answered_at=now)
        Message.objects.create(
            application=app,
            author=user,
            from_staff=False,
            kind=MessageKind.CORRECTED,
            correction=correction,
        )
        audit.record(
            user,
            "change",
            "application",
            str(app.public_id),
            correction_request=correction.pk,
            version=number,
            fields=changed,
        )
        _notify(app, language, "corrected")
    application.refresh_from_db()
    return version


def files_limits(limits: files.Limits, already: int) -> files.Limits:
    """``store`` counts a field's files over the whole application: the new version
    may have as many as the form allows, beside the old version's."""
    return files.Limits(limits.accept, limits.max_bytes, already + limits.max_files)


def _uploads_for(uploads, field_id: str) -> list:
    if hasattr(uploads, "getlist"):
        return [u for u in uploads.getlist(field_id) if u]
    found = uploads.get(field_id) or []
    return [u for u in (found if isinstance(found, list | tuple) else [found]) if u]


def version_attachments(application: Application) -> dict[str, Attachment]:
    """Every form file of the application by public id (any version's)."""
    return {str(a.public_id): a for a in application.attachments.exclude(field_id=MESSAGE_FILES)}


# -- for the pages -----------------------------------------------------------------


def field_labels(application: Application, field_ids) -> list[str]:
    """The labels of ``field_ids`` in the current language, in the form's order."""
    from django.utils.translation import get_language

    lang = get_language() or "ja"
    wanted = set(field_ids or [])
    return [f.label.get(lang) for f in application.spec.fields if f.id in wanted]


def thread_entries(application: Application) -> list[Message]:
    """The thread for a page: each message with ``labels`` (the fields of its
    補正依頼, if any) and ``files`` (its attachments)."""
    out = []
    for message in thread(application):
        message.labels = (
            field_labels(application, message.correction.field_ids) if message.correction else []
        )
        message.files = list(message.attachments.all())
        out.append(message)
    return out
