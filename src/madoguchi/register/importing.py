"""Import a register file: all of it or none of it, as a diff against what is held.

1. The importer checks the whole file (``Importer.check``); any problem, or a
   個人番号, and nothing is written: not a person, not an ``Import``, not an audit
   entry. The database is as it was.
2. Then, in one transaction (the town's row locked, so two imports of one town
   wait for each other), the file is read again as a stream and written in batches
   of ``BATCH`` persons: each compared with the person held under the same 宛名番号.
   New persons are created, changed ones updated, the others only marked as seen.
   Nobody is deleted; a person held but not in the file is counted (``not_in_file``)
   and left as they were.
3. One audit entry with the counts (no personal values), in the same transaction.

``dry_run`` does all of it and rolls back: the counts are exactly what an import
would do.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from madoguchi.common import audit
from madoguchi.register.importers.registry import FACTS, HOUSEHOLD_FACTS, Check, Record, registry
from madoguchi.register.models import Import, Person
from madoguchi.register.values import Status
from madoguchi.towns.context import require_town

BATCH = 2000
COUNTS = (
    "new",
    "returned",
    "moved_out",
    "died",
    "household_changed",
    "changed",
    "unchanged",
    "not_in_file",
)

Progress = Callable[[str, int, int | None], None]  # (phase, done, total or None)


class ImporterNotReady(Exception):
    """The importer is not configured; the message is Japanese."""


@dataclass
class Outcome:
    check: Check
    sha256: str
    dry_run: bool = False
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    imported: Import | None = None  # None when refused or a dry run

    @property
    def refused(self) -> bool:
        return not self.check.ok


def import_file(
    path: Path,
    *,
    importer: str = "madoguchi-csv",
    actor=None,
    run_by: str = "",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Outcome:
    """Check ``path`` with ``importer``, then (if it has no problem) import it into
    the active town. ``actor``: the signed-in user, or None for the command line."""
    reader = registry.get(importer)
    if problems := reader.check_config():
        raise ImporterNotReady("。".join(problems))
    path = Path(path)
    started = timezone.now()
    outcome = Outcome(check=Check(), sha256=_sha256(path), dry_run=dry_run)
    outcome.check = reader.check(path, progress=_phase(progress, "check", None))
    if outcome.refused:
        return outcome
    with transaction.atomic():
        town = require_town()
        _lock(town)
        run = Import.objects.create(
            importer=importer,
            file_name=path.name[:255],
            sha256=outcome.sha256,
            encoding=outcome.check.encoding,
            rows=outcome.check.rows,
            warnings=len(outcome.check.warnings),
            by=actor if getattr(actor, "is_authenticated", False) else None,
            run_by=run_by[:150],
            started_at=started,
            finished_at=started,
        )
        done = 0
        records = reader.records(path)
        while batch := list(islice(records, BATCH)):
            _apply(batch, run, outcome.counts)
            done += len(batch)
            if progress:
                progress("write", done, outcome.check.rows)
        outcome.counts["not_in_file"] = Person.objects.exclude(last_import=run).count()
        for name, value in outcome.counts.items():
            setattr(run, name, value)
        run.finished_at = timezone.now()
        run.save()
        audit.record(
            actor,
            "create",
            "register.Import",
            run.pk,
            kind="register_import",
            importer=importer,
            encoding=run.encoding,
            sha256=run.sha256,
            rows=run.rows,
            dry_run=dry_run,
            **outcome.counts,
        )
        if dry_run:
            transaction.set_rollback(True)
        else:
            outcome.imported = run
    return outcome


def _phase(progress: Progress | None, phase: str, total: int | None):
    if progress is None:
        return None
    return lambda done: progress(phase, done, total)


def _lock(town) -> None:
    """Hold the town's row until commit: one import of a town at a time."""
    from madoguchi.towns.models import Town

    Town.objects.select_for_update().filter(pk=town.pk).exists()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _apply(batch: list[Record], run: Import, counts: dict[str, int]) -> None:
    held = {p.number: p for p in Person.objects.filter(number__in=[r.number for r in batch])}
    created, updated, seen = [], [], []
    for record in batch:
        person = held.get(record.number)
        if person is None:
            counts["new"] += 1
            created.append(
                Person(**asdict(record), first_import=run, last_import=run, changed_import=run)
            )
            continue
        differs = [f for f in FACTS if getattr(person, f) != getattr(record, f)]
        if not differs:
            counts["unchanged"] += 1
            seen.append(person.pk)
            continue
        counts[_kind(person, record, differs)] += 1
        for name in differs:
            setattr(person, name, getattr(record, name))
        person.last_import = run
        person.changed_import = run
        updated.append(person)
    Person.objects.bulk_create(created)
    if updated:
        Person.objects.bulk_update(updated, [*FACTS, "last_import", "changed_import"])
    if seen:
        Person.objects.filter(pk__in=seen).update(last_import=run)


def _kind(person: Person, record: Record, differs: list[str]) -> str:
    """Which count a changed person goes to (the first that applies)."""
    if "status" in differs:
        if record.status == Status.DIED:
            return "died"
        if record.status == Status.MOVED_OUT:
            return "moved_out"
        return "returned"  # 転出 (or a 死亡 corrected) back to 住民
    if any(f in differs for f in HOUSEHOLD_FACTS):
        return "household_changed"
    return "changed"
