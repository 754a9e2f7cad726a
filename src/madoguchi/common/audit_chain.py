"""The audit log as a hash chain: each entry keeps the previous entry's hash
(``prev_hash``) and its own (``hash``: SHA-256 over its fields and ``prev_hash``
as canonical JSON). The triggers refuse changes; the chain shows them if someone
got past the triggers anyway (``./dev audit verify``).

``link`` fills in both hashes of a new entry; the caller holds the lock
(``lock``) from reading the last hash until its transaction commits, so two
writers never link to the same entry (a fork).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.utils.translation import gettext as _

# pg_advisory_xact_lock's key: "audit" in ASCII, so it is not mistaken for another lock.
LOCK_KEY = 0x6175646974


def canonical(entry: Any) -> bytes:
    """What the hash covers: every field but the id and the hash itself, as JSON with
    sorted keys, no spaces, UTF-8, and the time in UTC with microseconds."""
    at = entry.at
    if isinstance(at, datetime):
        at = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    fields = {
        "at": at,
        "actor": entry.actor_id,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "detail": entry.detail,
        "ip_hash": entry.ip_hash,
        "prev_hash": entry.prev_hash,
    }
    # Entries written since there are towns cover their town too (those from before
    # have none, and the log is never rewritten to give them one).
    if getattr(entry, "town_id", None) is not None:
        fields["town"] = entry.town_id
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(entry: Any) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def lock(connection) -> None:
    """Hold the chain's end until the transaction ends (PostgreSQL). SQLite needs
    nothing: its transactions here begin IMMEDIATE, one writer at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def link(entry: Any, last_hash: str) -> None:
    entry.prev_hash = last_hash or ""
    entry.hash = entry_hash(entry)


@dataclass(frozen=True)
class Problem:
    entry_id: int
    kind: str  # "edited", "gap" or "link"
    message: str


def first_problem(entries) -> tuple[int, Problem | None]:
    """Walk ``entries`` (in id order) and return how many were read and the first
    problem: an entry whose fields no longer give its hash (edited), an entry whose
    previous-hash is not the entry before it with ids missing between (a removed
    entry), or the same with no id missing (the link itself was changed)."""
    count = 0
    previous = None
    for entry in entries:
        count += 1
        if entry_hash(entry) != entry.hash:
            return count, Problem(
                entry.pk,
                "edited",
                _("ID %(id)s の記録は、書き換えられています(内容がハッシュと合いません)。")
                % {"id": entry.pk},
            )
        expected = previous.hash if previous is not None else ""
        if entry.prev_hash != expected:
            if previous is None or entry.pk != previous.pk + 1:
                since = _("最初") if previous is None else f"ID {previous.pk}"
                return count, Problem(
                    entry.pk,
                    "gap",
                    _(
                        "ID %(id)s の前の記録が消されています(%(since)s と ID %(id)s の間に"
                        "あったはずの記録がありません)。"
                    )
                    % {"id": entry.pk, "since": since},
                )
            return count, Problem(
                entry.pk,
                "link",
                _("ID %(id)s の記録は、前の記録(ID %(prev)s)とのつながりが切れています。")
                % {"id": entry.pk, "prev": previous.pk},
            )
        previous = entry
    return count, None
