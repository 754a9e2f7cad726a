"""Database sessions that can be saved inside a view's transaction.

Every signed-in page saves its session (SESSION_SAVE_EVERY_REQUEST: the idle limit
counts from the last save, residents/session_limit.py). A view that writes anyway
(the submission) saves the session in its own transaction with ``save_with``, so
the request commits once; the middleware's save after the view then finds the same
data already written in this request and skips it (it would only move the expiry
by the few milliseconds the response took).

    SESSION_ENGINE = "madoguchi.common.sessions"
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import router, transaction


class SessionStore(db.SessionStore):
    _written: bytes | None = None  # the data as committed by this request's save

    def _snapshot(self) -> bytes:
        return self.serializer().dumps(self._get_session())

    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None:
            super().save(must_create)
            return
        snapshot = self._snapshot()
        if snapshot == self._written:
            return
        using = router.db_for_write(self.model)
        if not transaction.get_connection(using).in_atomic_block:
            super().save()
            self._written = snapshot
            return
        # In the caller's transaction: one UPDATE, no savepoint (a failure fails
        # the caller's transaction, which is what it should do).
        obj = self.create_model_instance(self._get_session())
        updated = (
            self.model.objects.using(using)
            .filter(session_key=obj.session_key)
            .update(session_data=obj.session_data, expire_date=obj.expire_date)
        )
        if not updated:
            raise UpdateError
        # Counted as written only once committed: after a rollback the middleware saves.
        transaction.on_commit(lambda: setattr(self, "_written", snapshot), using=using)


def save_with(request) -> None:
    """Save the request's session in the current transaction (see above)."""
    session = getattr(request, "session", None)
    if isinstance(session, SessionStore) and session.session_key and not session.is_empty():
        session.save()
