"""What the residents app knows about the applicant, in the shapes a form stores
(catalog/form_schema.py): the household profile and the verified identity.

The residents app owns those tables; this module only calls its public functions.
"""

from __future__ import annotations

from madoguchi.common.text_input import postal_code_for_address, tidy_kana, tidy_name


def _name(name: str, kana: str) -> dict | None:
    return {"name": name, "kana": kana} if (name or kana) else None


def _address(postal_code: str, address: str) -> dict | None:
    return {"postal_code": postal_code, "address": address} if (postal_code or address) else None


def profile_values(user) -> dict:
    """Profile items by name (PROFILE_ITEMS); the account's address as ``email``."""
    from madoguchi.residents.profile import profile_for

    values: dict = {"email": user.email}
    profile = profile_for(user, audit_as=user, purpose="application_prefill")
    if profile is None:
        return values
    values.update(
        name=_name(profile.name or "", profile.name_kana or ""),
        birth_date=profile.birth_date.isoformat() if profile.birth_date else None,
        sex=profile.sex or None,
        address=_address((profile.postal_code or "").replace("-", ""), profile.address or ""),
        phone=profile.phone or None,
    )
    return {k: v for k, v in values.items() if v is not None}


def household_values(user) -> list[dict]:
    """The profile's household (names, kana, birth dates…), without the resident."""
    from madoguchi.residents.profile import profile_for

    profile = profile_for(user)  # the caller's profile_values has recorded the view
    if profile is None:
        return []
    people = []
    for member in profile.members or []:
        person = {k: v for k, v in member.items() if v not in (None, "")}
        if person.get("name"):
            person["name"] = tidy_name(person["name"])
        try:
            person["name_kana"] = tidy_kana(person.get("name_kana") or "")
        except ValueError:  # kept from before the check: leave it for the resident
            person.pop("name_kana", None)
        people.append(person)
    return people


def identity_values(user) -> tuple[str, dict] | None:
    """(provider id, IDENTITY_ITEMS) from a verified identity, or None."""
    from madoguchi.residents.identity import verified_identity_for

    identity = verified_identity_for(user)
    if identity is None:
        return None
    values = facts_values(
        identity.name, identity.name_kana, identity.birth_date, identity.sex, identity.address
    )
    return identity.provider, values


def facts_values(name: str, name_kana: str, birth_date, sex: str, address: str) -> dict:
    """The four facts (and a ふりがな, when known) in the shapes a form stores: of a
    verified identity online, or of an applicant at the counter."""
    try:
        kana = tidy_kana(name_kana) if name_kana else ""
    except ValueError:  # a provider's kana we cannot read: leave it for the resident
        kana = ""
    values = {
        "name": _name(tidy_name(name), kana) if name else None,
        "birth_date": birth_date.isoformat() if birth_date else None,
        "sex": sex or None,
        # A My Number card gives no 〒: looked up from the address (else asked).
        "address": _address(
            postal_code_for_address(address) or "" if address else "",
            address or "",
        ),
    }
    return {k: v for k, v in values.items() if v is not None}
