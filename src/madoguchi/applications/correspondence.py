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

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.applications import applicant, duplicates, files, workflow
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
from madoguchi.common.site import public_origin
from madoguchi.common.text_input import tidy_free_text

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

    pk, origin = app.pk, public_origin()  # the mail's links go where the resident is
    transaction.on_commit(lambda: notify_message.enqueue(pk, language, kind, origin))


# -- messages ----------------------------------------------------------------------


def _check_text(text: str) -> None:
    """No control characters or bidi overrides in what the other side will read."""
    try:
        tidy_free_text(text)
    except ValueError as exc:
        raise Refused(str(exc)) from None


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
    _check_text(body)
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


def verified_values(application: Application) -> dict:
    """The values a verified identity filled at submission, by field (its kind says
    which inputs of each: the 氏名, not its ふりがな). A 補正 cannot change those:
    the application would still say 本人確認済み with other facts."""
    if not application.identity_provider:
        return {}
    return {
        f.id: application.data[f.id]
        for f in application.spec.fields
        if f.prefill_source == "identity" and application.data.get(f.id) is not None
    }


def correctable_ids(application: Application) -> list[str]:
    """The top-level fields a 補正依頼 may name: not those whose every input a
    verified identity filled."""
    from madoguchi.applications.kinds import of

    verified = verified_values(application)
    return [
        f.id for f in application.spec.fields if not (f.id in verified and of(f).fully_verified(f))
    ]


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
    if verified := [i for i in wanted if i not in correctable_ids(application)]:
        raise Refused(
            _(
                "%(labels)sは本人確認で確かめた内容なので、補正では直せません。"
                "違っているときは、申請者に本人確認をやり直してもらうよう、メッセージで"
                "お願いしてください。"
            )
            % {"labels": "、".join(field_labels(application, verified))}
        )
    note = (note or "").strip()
    _check_text(note)
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
        # A requested field's verified inputs (a name's 氏名) stay as verified.
        verified=verified_values(application),
        attachments=attachments if attachments is not None else files.by_field(application),
    )


def current_attachments(application: Application) -> dict[str, list]:
    """The form's files that the current values name (``files.by_field``; kept by
    this name for the callers of the correspondence)."""
    return files.by_field(application)


@dataclass
class Staged:
    """A correction checked and waiting for 「この内容で送る」: the page's input, the
    new files already stored (by field, public ids; not named by any version yet)
    and the revision it was checked against."""

    post: dict
    files: dict[str, list[str]]
    revision: int

    def as_session(self) -> dict:
        return {"post": self.post, "files": self.files, "revision": self.revision}

    @classmethod
    def from_session(cls, stored) -> Staged | None:
        try:
            return cls(dict(stored["post"]), dict(stored["files"]), int(stored["revision"]))
        except (KeyError, TypeError, ValueError):
            return None


def _locked_for_correction(app_pk: int, user, expected_revision: int):
    app = Application.objects.select_for_update().get(pk=app_pk, owner=user)
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
    return app, correction


def _staged_attachments(app: Application, requested: set[str], staged: dict) -> dict[str, list]:
    """The staged files that really are this application's, of requested fields."""
    ids = [i for field_id, found in (staged or {}).items() if field_id in requested for i in found]
    by_id = {
        str(a.public_id): a
        for a in app.attachments.filter(public_id__in=ids).exclude(field_id=MESSAGE_FILES)
    }
    out: dict[str, list] = {}
    for field_id, found in (staged or {}).items():
        kept = [by_id[i] for i in found if i in by_id and by_id[i].field_id == field_id]
        if field_id in requested and kept:
            out[field_id] = kept
    return out


def _checked(app, correction, post, uploads, staged) -> tuple[dict, dict[str, list]]:
    """The application's values with the requested fields corrected, and the files of
    the requested file fields (new uploads stored, else those staged before, else the
    current ones). Raises ``CorrectionInvalid``."""
    from madoguchi.applications import files as stored_files
    from madoguchi.applications.drafting import typed, upload_limits

    requested = set(correction.field_ids)
    spec = app.spec
    attachments = current_attachments(app)
    attachments.update(_staged_attachments(app, requested, staged))
    file_errors: dict[str, list[str]] = {}
    for field_id, field_limits in upload_limits(spec).items():
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
    return data, {k: v for k, v in attachments.items() if k in requested}


def stage_correction(
    application: Application,
    *,
    user,
    post,
    files: dict | None = None,
    expected_revision: int,
    staged: dict[str, list[str]] | None = None,
) -> Staged:
    """Check a correction before the resident confirms it (the review page): the
    values are checked as ``submit_correction`` would, the new files stored (they
    replace files ``staged`` earlier for the same field; a field without a new file
    keeps its staged ones). Nothing else changes. Raises like ``submit_correction``."""
    from madoguchi.applications import files as stored_files
    from madoguchi.applications.drafting import typed

    with stored_files.atomic_with_files():
        app, correction = _locked_for_correction(application.pk, user, expected_revision)
        _data, attachments = _checked(app, correction, post, files or {}, staged)
        kept = {k: [str(a.public_id) for a in v] for k, v in attachments.items()}
        current = {k: [str(a.public_id) for a in v] for k, v in current_attachments(app).items()}
        new_files = {k: v for k, v in kept.items() if v != current.get(k)}
        # Files staged before and now replaced belong to no version: remove them.
        dropped = {i for v in (staged or {}).values() for i in v} - {
            i for v in new_files.values() for i in v
        }
        if dropped:
            named = _named_files(app)
            for attachment in app.attachments.filter(public_id__in=list(dropped)).exclude(
                field_id=MESSAGE_FILES
            ):
                if str(attachment.public_id) not in named:
                    stored_files.remove(attachment)
        if new_files:
            audit.record(
                user,
                "create",
                "application",
                str(app.public_id),
                correction_request=correction.pk,
                staged_files=sorted(new_files),
            )
    raw = typed(post) if hasattr(post, "getlist") else dict(post)
    return Staged(post=raw, files=new_files, revision=expected_revision)


def _named_files(app: Application) -> set[str]:
    """Public ids of the files any version of the values names (never removed)."""
    file_ids = [f.id for f in app.spec.fields if f.kind == "file"]
    named: set[str] = set()
    for data in [app.data, *app.versions.values_list("data", flat=True)]:
        for field_id in file_ids:
            named.update(str(i) for i in (data or {}).get(field_id) or [])
    return named


def submit_correction(
    application: Application,
    *,
    user,
    post,
    files: dict | None = None,
    expected_revision: int,
    language: str = "ja",
    staged: dict[str, list[str]] | None = None,
) -> ApplicationVersion:
    """補正依頼中 → 審査中: the resident sends the requested fields corrected.

    ``post`` is the page's input (a QueryDict or a dict), ``files`` the uploads (a
    MultiValueDict, or a dict of lists) for requested file fields: new files replace
    that field's files in the new version (the old ones stay with the old version).
    ``staged`` names files stored by ``stage_correction`` (the review page), used for
    fields without a new upload. Only the requested fields can change, whatever the
    request holds. Raises ``CorrectionInvalid`` (the form, with its errors),
    ``workflow.MoveRefused`` (not 補正依頼中, or ``stale``) or
    ``Application.DoesNotExist`` (not the owner's)."""
    from madoguchi.applications import files as stored_files

    with stored_files.atomic_with_files():
        app, correction = _locked_for_correction(application.pk, user, expected_revision)
        data, _files = _checked(app, correction, post, files or {}, staged)
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
        duplicates.keep_people(app)
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
