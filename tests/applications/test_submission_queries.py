"""What one online submission costs the database, pinned so it cannot silently
grow: the resident's final POST reads the session, the user and the identity, then
takes the draft, checks its digest, takes a 受付番号, writes the application, the
people it is about, its history, the audit entry and the session in ONE transaction; the receipt mail then
reads its row and marks it sent."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from madoguchi.applications.models import Application, Status
from madoguchi.common.models import AuditEvent

from .conftest import claim_post
from .test_views import start, verify

# 14 statements, BEGIN and COMMIT; PostgreSQL also takes the audit chain's lock.
# It was 19 (SQLite) and three commits before issue 16. The 14th is the INSERT of
# the people the application is about (duplicates.keep_people), so that the queue
# finds applications sharing a child in its rows' own query.
MAX_QUERIES = 16


def ready_draft(user) -> tuple[Client, Application]:
    verify(user)
    client = Client()
    client.force_login(user)
    app = start(client)
    url = reverse("applications:edit", args=[app.public_id])
    assert client.post(url, claim_post(action="review")).url.endswith("/review/")
    client.get(reverse("applications:review", args=[app.public_id]))
    return client, app


@pytest.mark.django_db(transaction=True)
def test_a_submission_is_one_transaction_of_few_statements(
    takahashi, files_dir, settings, django_assert_max_num_queries
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client, app = ready_draft(takahashi)
    session_key = client.session.session_key
    # A minute left of the idle limit: the submission must move it on again.
    Session.objects.filter(pk=session_key).update(expire_date=timezone.now() + timedelta(60))
    url = reverse("applications:submit", args=[app.public_id])
    with (
        django_assert_max_num_queries(MAX_QUERIES + (connection.vendor == "postgresql")),
        mock.patch.object(connection, "commit", wraps=connection.commit) as commit,
    ):
        done = client.post(url, {"agree": "yes"})
    assert done.status_code == 302 and done.url.endswith("/done/")
    assert commit.call_count == 1  # the mail's mark is the only other write (autocommit)
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED and app.receipt_number and app.receipt_mailed_at
    assert app.history.filter(status_to=Status.SUBMITTED).count() == 1
    assert AuditEvent.objects.filter(action="submit", target_id=str(app.public_id)).count() == 1
    assert len(mail.outbox) == 1
    # The session was saved with the submission: the idle limit counts from now.
    expiry = Session.objects.get(pk=session_key).expire_date
    assert expiry > timezone.now() + timedelta(seconds=settings.MADOGUCHI_LOGIN_IDLE_SECONDS - 60)


@pytest.mark.django_db(transaction=True)
def test_a_refused_submission_still_saves_the_session(takahashi, files_dir, settings):
    """Without the declaration ticked nothing is submitted; the page still counts
    as the resident's last activity (the middleware saves the session)."""
    client, app = ready_draft(takahashi)
    session_key = client.session.session_key
    Session.objects.filter(pk=session_key).update(expire_date=timezone.now() + timedelta(60))
    response = client.post(reverse("applications:submit", args=[app.public_id]), {})
    assert response.url.endswith("/review/")
    app.refresh_from_db()
    assert app.status == Status.DRAFT and not app.receipt_number
    expiry = Session.objects.get(pk=session_key).expire_date
    assert expiry > timezone.now() + timedelta(seconds=settings.MADOGUCHI_LOGIN_IDLE_SECONDS - 60)


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_takes_the_mail_in_the_submissions_commit(
    takahashi, files_dir, settings
):
    """With the production queue (django_tasks_db) the receipt mail's row commits
    with the submission: one commit, and nothing queued for a refused one."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client, app = ready_draft(takahashi)
    url = reverse("applications:submit", args=[app.public_id])
    assert client.post(url, {}).url.endswith("/review/")  # the declaration not ticked
    assert not DBTaskResult.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, {"agree": "yes"}).url.endswith("/done/")
    sql = [q["sql"] for q in queries.captured_queries]
    table = DBTaskResult._meta.db_table
    (insert,) = [i for i, s in enumerate(sql) if s.startswith(f'INSERT INTO "{table}"')]
    assert sql.count("COMMIT") == 1 and insert < sql.index("COMMIT")
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path.endswith("send_receipt")
    assert queued.args_kwargs["args"][0] == app.pk
    assert Application.objects.get(pk=app.pk).receipt_mailed_at is None  # the worker sends it
