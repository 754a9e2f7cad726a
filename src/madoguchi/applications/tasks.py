"""Mail sent for an application, as background tasks (django-tasks).

They are queued with the submitting transaction (``queue_with``), so a failed
submission sends nothing. By default tasks run in the web process right
after the response is decided (ImmediateBackend); production runs the
database-backed worker (docs/operations.md), which retries when the mail server
is down. Mail carries no personal data: the receipt number, the procedure and a
link to MyPage; the 申請書控え PDF is downloaded there after logging in.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.core.mail import EmailMessage
from django.db import router, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from madoguchi.applications.models import Application
from madoguchi.catalog.registry import current_catalog
from madoguchi.common.site import absolute_url
from madoguchi.towns.context import current_town
from madoguchi.towns.work import in_town


def queue_with(task, *args) -> None:
    """Queue ``task`` so that it runs only if the current transaction commits. The
    database queue (django_tasks_db) in the same database takes its row inside the
    transaction: it commits with it, in the same commit, and a process that dies
    right after the commit loses no mail. A backend that runs or sends the task at
    once (the in-process default) waits for the commit."""
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    same_database = router.db_for_write(DBTaskResult) == router.db_for_write(Application)
    if isinstance(task.get_backend(), DatabaseBackend) and same_database:
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def detail_url(app: Application, origin: str) -> str:
    """The application's MyPage page on the site the resident uses (common/site.py)."""
    return absolute_url(reverse("applications:detail", args=[app.public_id]), origin)


@contextmanager
def _its_town(application_pk: int):
    """The application's town: the request's when the task runs in it, else (the
    worker) the one the application belongs to, with its links' address."""
    if current_town() is not None:
        yield
        return
    app = Application.objects.all_towns().select_related("town").only("town").get(pk=application_pk)
    with in_town(app.town):
        yield


# What the receipt mail shows: never the form or its values (the JSON is not read).
RECEIPT_COLUMNS = (
    "public_id", "procedure_id", "procedure_name", "receipt_number", "submitted_at", "receipt_mailed_at",
    "owner__email",
)  # fmt: skip


@task()
def send_receipt(application_pk: int, language: str = "ja", origin: str = "") -> str:
    """``origin``: the site's address as the request that queued it saw it."""
    with _its_town(application_pk):
        return _send_receipt(application_pk, language, origin)


def _send_receipt(application_pk: int, language: str, origin: str) -> str:
    app = Application.objects.select_related("owner").only(*RECEIPT_COLUMNS).get(pk=application_pk)
    if app.receipt_mailed_at is not None:
        return "already sent"
    if app.owner is None:
        return "no account"  # a walk-in: the counter's printed copy is the receipt
    with translation.override(language):
        context = {
            "app": app,
            "municipality": current_catalog().municipality,
            "url": detail_url(app, origin),
        }
        subject = render_to_string("applications/mail/receipt_subject.txt", context)
        body = render_to_string("applications/mail/receipt_body.txt", context)
    EmailMessage(" ".join(subject.split()), body, to=[app.owner.email]).send()
    Application.objects.filter(pk=app.pk).update(receipt_mailed_at=timezone.now())
    return "sent"


# What a correspondence mail is about; each says only that, with the link.
NOTICES = ("message", "correction", "corrected", "reply", "decided")


@task()
def notify_message(
    application_pk: int, language: str = "ja", kind: str = "message", origin: str = ""
) -> str:
    """Tell the resident there is something on MyPage: a message or a 補正依頼 from
    the department (``message``, ``correction``), or that what they sent arrived
    (``corrected``, ``reply``). Only the 受付番号 and the link: no names, no values,
    no message text."""
    with _its_town(application_pk):
        return _notify(application_pk, language, kind, origin)


def _notify(application_pk: int, language: str, kind: str, origin: str) -> str:
    app = Application.objects.select_related("owner").get(pk=application_pk)
    if app.owner is None:
        return "no account"  # a walk-in: the department calls or writes to them
    if kind not in NOTICES:
        kind = "message"
    with translation.override(language):
        context = {
            "app": app,
            "kind": kind,
            "municipality": current_catalog().municipality,
            "url": detail_url(app, origin),
        }
        subject = render_to_string("applications/mail/notice_subject.txt", context)
        body = render_to_string("applications/mail/notice_body.txt", context)
    EmailMessage(" ".join(subject.split()), body, to=[app.owner.email]).send()
    return "sent"
