"""Changing a draft from the edit page: what each button of the page does to the
typed input before it is saved (add or remove a repeat, fill an address from its
postal code), and saving it with its files."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.http import QueryDict

from madoguchi.applications import files
from madoguchi.applications.entry_form import ApplicationForm
from madoguchi.applications.models import Application, Status, StatusChange
from madoguchi.catalog.form_schema import FormSpec
from madoguchi.catalog.registry import current_catalog
from madoguchi.common import audit
from madoguchi.common.forms import row_index
from madoguchi.common.text_input import address_for_postal_code

_PREFECTURE = re.compile(r"^(東京都|北海道|(?:京都|大阪)府|.{2,3}県)")
# Inputs that are buttons or tokens, not answers.
_NOT_ANSWERS = {"csrfmiddlewaretoken", "action", "add_row", "remove_row", "lookup", "remove_file"}


class AlreadySubmitted(Exception):
    pass


def typed(post: QueryDict) -> dict[str, str]:
    return {k: v for k, v in post.items() if k not in _NOT_ANSWERS}


def fields_named(spec: FormSpec, names) -> dict:
    """For the audit log: the form's top-level field ids that input ``names`` belong
    to (``claimant_name__kana``, ``birth_date_era``, ``children-0-…``), and how many
    names belong to none. The names are the sender's to choose: never stored as sent."""
    ids = sorted((f.id for f in spec.fields), key=len, reverse=True)  # longest first
    found: set[str] = set()
    unknown = 0
    for name in names:
        match = next((i for i in ids if name == i or name.startswith((f"{i}_", f"{i}-"))), None)
        if match is None:
            unknown += 1
        else:
            found.add(match)
    return {"fields": sorted(found), **({"unknown_fields": unknown} if unknown else {})}


def add_row(raw: dict, spec: FormSpec, group_id: str) -> None:
    group = spec.field(group_id)
    if group is None or group.kind != "group":
        return
    key = f"{group_id}-TOTAL_FORMS"
    total = _int(raw.get(key))
    if total < group.max_items:
        raw[key] = str(total + 1)


def remove_row(raw: dict, spec: FormSpec, value: str) -> None:
    """``value`` is ``<group>:<index>``: drop that repeat and renumber the rest."""
    group_id, _, index = value.partition(":")
    group = spec.field(group_id)
    if group is None or group.kind != "group":
        return
    total = _int(raw.get(f"{group_id}-TOTAL_FORMS"))
    drop = row_index(index, total)
    if drop is None:
        return
    row = re.compile(rf"^{re.escape(group_id)}-(\d+)-(.+)$")
    kept: dict[str, str] = {}
    for key in list(raw):
        m = row.match(key)
        if not m:
            continue
        value_ = raw.pop(key)
        i = int(m.group(1))
        if i != drop:
            kept[f"{group_id}-{i - (i > drop)}-{m.group(2)}"] = value_
    raw.update(kept)
    raw[f"{group_id}-TOTAL_FORMS"] = str(total - 1)


def lookup_address(raw: dict, prefix: str) -> bool:
    """Fill ``<prefix>__address`` from ``<prefix>__postal``; False if unknown."""
    from madoguchi.common.text_input import tidy_postal_code

    try:
        code = tidy_postal_code(raw.get(f"{prefix}__postal", ""))
    except ValueError:
        return False
    found = address_for_postal_code(code)
    current = raw.get(f"{prefix}__address", "").strip()
    if found and not current.startswith(found):
        # Empty: the town. Only the 番地・建物 typed: the town before them. A whole
        # address typed (it names a prefecture): the resident's, left as it is.
        if not current or not _PREFECTURE.match(current):
            raw[f"{prefix}__address"] = f"{found}{current}"
    return True


def _int(value) -> int:
    """A row count as the page sent it; anything else (「²」, 30 digits) is 0."""
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()) or len(value) > 6:
        return 0
    return int(value)


def upload_limits(spec: FormSpec) -> dict[str, files.Limits]:
    return {
        f.id: files.Limits(tuple(f.accept), f.max_size_mb * 1024 * 1024, f.max_files)
        for f in spec.fields
        if f.kind == "file"
    }


def save(app: Application, form: ApplicationForm, raw: dict, uploads) -> dict[str, list[str]]:
    """Keep the typed input, the right values and the new files, in one transaction.

    Returns file problems by field. A refused file changes nothing else.
    """
    problems: dict[str, list[str]] = {}
    limits = upload_limits(form.spec)
    with files.atomic_with_files():
        locked_app = Application.objects.select_for_update().get(pk=app.pk)
        if not locked_app.is_draft:
            raise AlreadySubmitted  # sent from another tab meanwhile: change nothing
        for field_id, field_limits in limits.items():
            for upload in uploads.getlist(field_id):
                try:
                    files.store(locked_app, field_id, upload, field_limits)
                except files.FileRefused as exc:
                    problems.setdefault(field_id, []).append(str(exc))
        form.attachments = files.by_field(locked_app)
        locked_app.draft_input = raw
        locked_app.data = form.values()
        locked_app.save(update_fields=["draft_input", "data", "updated_at"])
    app.refresh_from_db()
    return problems


def open_draft(user, proc, situation=None) -> Application:
    """The resident's draft of ``proc``: the one already started, or a new one with
    what the city knows filled in (the guide's answers, the profile, a verified
    identity). Two taps or two tabs open the same draft."""
    from madoguchi.applications.people import household_values, identity_values, profile_values
    from madoguchi.applications.prefill import Known, initial_values

    found = Application.objects.filter(owner=user, procedure_id=proc.id, status=Status.DRAFT)
    if (draft := found.first()) is not None:
        return draft
    catalog = current_catalog()
    identity = identity_values(user)
    known = Known(
        situation=situation,
        profile=profile_values(user),
        identity=identity[1] if identity else None,
        members=household_values(user),
    )
    try:
        with transaction.atomic():
            app = Application.objects.create(
                owner=user,
                municipality_code=catalog.municipality.code,
                procedure_id=proc.id,
                procedure_name=proc.name.ja,
                department_id=proc.department,
                form_version=proc.form.version,
                form_spec=proc.form.model_dump(mode="json", by_alias=True),
                data=initial_values(proc.form, known),
                event=situation.event if situation is not None else "",
            )
            StatusChange.objects.create(application=app, actor=user, status_to=Status.DRAFT)
            audit.record(user, "create", "application", str(app.public_id), procedure=proc.id)
    except IntegrityError:  # the other tap made it first
        return found.get()
    return app
