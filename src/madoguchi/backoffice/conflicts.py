"""Conflicts of interest: nobody decides their own application or their household's.

A staff member may read such an application (it is in their department's queue),
but not act on it: take it, be given it, move its status, ask for a 補正 or write
to the applicant. The department's supervisor gives it to another clerk.

Who is "the household": accounts are not linked to each other (a household is
only what a resident types: ``residents.Profile.members`` has no names), so the
staff member is compared with the people the application names, by what we know
of them from their own account (its name), their household profile and their
verified identity (氏名・住所, from ``residents``' public functions):

* ``own``: they made it (the application's owner is them);
* ``household``: a person the application names (every ``name`` field, also in
  groups such as the children) has their name, or an address on it is theirs.

A same-named stranger is also stopped: the cost is one reassignment by the
supervisor, while a missed conflict is a decision nobody may trust.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from django.shortcuts import render
from django.utils.translation import gettext as _

from madoguchi.applications.models import Application
from madoguchi.common import audit

OWN, HOUSEHOLD = "own", "household"
_DASHES = re.compile(r"[‐‑‒–—―−ーｰ－-]")


@dataclass(frozen=True)
class Conflict:
    kind: str  # OWN or HOUSEHOLD

    @property
    def message(self) -> str:
        if self.kind == OWN:
            return _(
                "この申請はあなた自身が出したものです。公正に扱うため、担当・審査・補正依頼・"
                "申請者への連絡はできません。係長・課長がほかの職員に割り振ります。"
            )
        return _(
            "この申請には、あなたの氏名または住所が書かれています(あなたか、同じ世帯の方の申請と"
            "考えられます)。公正に扱うため、担当・審査・補正依頼・申請者への連絡はできません。"
            "係長・課長がほかの職員に割り振ります。"
        )


def _plain(text: object) -> str:
    """Compared as written, ignoring width, spaces and the kind of dash."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return _DASHES.sub("-", re.sub(r"\s+", "", text))


def _named_in(app: Application) -> tuple[set[str], set[str]]:
    """The names and addresses written anywhere in the application."""
    names: set[str] = set()
    addresses: set[str] = set()

    def collect(fields, values: dict) -> None:
        for field in fields:
            value = values.get(field.id)
            if field.kind == "group":
                for row in value if isinstance(value, list) else []:
                    if isinstance(row, dict):
                        collect(field.fields, row)
            elif field.kind == "name" and isinstance(value, dict):
                names.add(_plain(value.get("name")))
            elif field.kind == "address" and isinstance(value, dict):
                addresses.add(_plain(value.get("address")))

    collect(app.spec.fields, app.data or {})
    return names - {""}, addresses - {""}


def _known_of(user) -> tuple[set[str], set[str]]:
    """The staff member's own names and addresses (account, profile, identity)."""
    from madoguchi.residents.identity import verified_identity_for
    from madoguchi.residents.profile import profile_for

    names = {f"{user.last_name}{user.first_name}"}
    addresses: set[str] = set()
    for known in (profile_for(user), verified_identity_for(user)):
        if known is not None:
            names.add(known.name)
            addresses.add(known.address)
    return {_plain(n) for n in names} - {""}, {_plain(a) for a in addresses} - {""}


def conflict_of(user, app: Application) -> Conflict | None:
    """Why ``user`` must not act on ``app``, or None."""
    if app.owner_id == user.pk:
        return Conflict(OWN)
    names, addresses = _named_in(app)
    own_names, own_addresses = _known_of(user)
    if names & own_names or addresses & own_addresses:
        return Conflict(HOUSEHOLD)
    return None


def refuse(request, app: Application, conflict: Conflict, tried: str):
    """403 with the reason, and the attempt in the audit log."""
    audit.record(
        request, "change", "application", app.public_id,
        by="staff", refused="conflict_of_interest", conflict=conflict.kind, tried=tried,
    )  # fmt: skip
    return render(
        request,
        "backoffice/conflict.html",
        {"app": app, "conflict": conflict},
        status=403,
    )


def no_conflict(view):
    """For a view acting on one application (``public_id``), after ``staff_required``:
    refuses (403, audited) anyone in a conflict with it."""

    @functools.wraps(view)
    def wrapper(request, public_id, *args, **kwargs):
        from madoguchi.backoffice.access import application_for

        app = application_for(request.user, public_id)
        conflict = conflict_of(request.user, app)
        if conflict is not None:
            return refuse(request, app, conflict, view.__name__)
        return view(request, public_id, *args, **kwargs)

    return wrapper
