"""Who applied, as the back office names them: the 氏名 of the form's applicant field.

The applicant field is the form's top-level ``name`` field filled from the verified
identity or the profile (``prefill: identity.name`` / ``profile.name``): once the
identity is verified it holds the identity's name, locked. A form without one names
the applicant with its first top-level ``name`` field.
"""

from __future__ import annotations

from madoguchi.catalog.form_schema import FormField, FormSpec

APPLICANT_PREFILLS = ("identity.name", "profile.name")


def applicant_field(spec: FormSpec) -> FormField | None:
    names = [f for f in spec.fields if f.kind == "name"]
    return next((f for f in names if f.prefill in APPLICANT_PREFILLS), names[0] if names else None)


def applicant_name(spec: FormSpec, data: dict) -> str:
    """「高橋 太郎」, or "" when the form or the values have no name."""
    f = applicant_field(spec)
    value = (data or {}).get(f.id) if f else None
    return (value.get("name") or "")[:200] if isinstance(value, dict) else ""


def refresh(app) -> list[str]:
    """Set the columns read from ``app.data`` (the applicant's name, the subject's
    key); returns their names, for ``save(update_fields=…)``."""
    from madoguchi.applications.duplicates import subject_key

    spec = app.spec
    app.applicant_name = applicant_name(spec, app.data)
    app.subject_key = subject_key(spec, app.data)
    return ["applicant_name", "subject_key"]
