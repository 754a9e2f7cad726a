"""A phone number is stored as people read it (canonical_phone, at entry), so the
pages and the CSV show it without parsing it again; one stored before (digits
alone) is shown exactly as before, and migration 0011 rewrites those."""

from __future__ import annotations

import random
from importlib import import_module

import phonenumbers
import pytest

from madoguchi.applications.kinds.registry import of
from madoguchi.catalog.form_schema import FormField
from madoguchi.common.text_input import canonical_phone, format_phone, tidy_phone

PREFIXES = ["010", "0120", "050", "070", "080", "090", "0800", "0570", "0990", "03", "06",
            "011", "0112", "0277", "0422", "098", "0980", "0120", "020", "060", "00"]  # fmt: skip
PHONE = FormField.model_validate({"id": "tel", "kind": "phone", "label": "電話番号"})


def as_libphonenumber_writes(digits: str) -> str:
    """What reading a stored number gave before: libphonenumber's national form."""
    try:
        number = phonenumbers.parse(digits, "JP")
    except phonenumbers.NumberParseException:
        return digits
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def random_numbers(count: int = 4000, seed: int = 16) -> list[str]:
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        prefix = rng.choice(PREFIXES)
        length = rng.choice((10, 11))
        found.append(
            prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix)))
        )
    return found


def test_reading_a_stored_number_gives_what_it_gave_before_on_many_numbers():
    accepted = 0
    for digits in random_numbers():
        before = as_libphonenumber_writes(digits)
        # A value stored before (digits alone) is read as before: the fallback path.
        assert format_phone(digits) == before, digits
        assert of(PHONE).csv_cells(PHONE, digits, {}) == {(): before}
        assert of(PHONE).display(PHONE, digits, {}) == [before]
        try:
            tidy_phone(digits)
        except ValueError:
            with pytest.raises(ValueError):  # refused alike
                canonical_phone(digits)
            continue
        accepted += 1
        stored = canonical_phone(digits)  # what entry stores now
        assert stored in (before, digits), digits  # digits: 00…, another country's form
        assert format_phone(stored) == before  # read as is: the canonical path
        assert of(PHONE).csv_cells(PHONE, stored, {}) == {(): before}
        assert of(PHONE).to_initial(PHONE, stored, "tel") == {"tel": before}
    assert accepted > 500  # the sample reaches numbers in use, not only refusals


@pytest.mark.parametrize(
    "typed", ["090-1234-5678", "０９０－１２３４－５６７８", "(090) 1234 5678", "09012345678"]
)
def test_the_phone_field_stores_the_number_as_people_read_it(typed):
    field = of(PHONE).form_fields(PHONE, "tel", {"required": True})["tel"]
    assert field.clean(typed) == "090-1234-5678"
    with pytest.raises(Exception, match="使われていない"):
        field.clean("011-123-4567")


@pytest.mark.django_db
def test_the_migration_rewrites_numbers_stored_as_digits_in_values_and_versions(takahashi):
    from django.apps import apps

    from madoguchi.applications.models import ApplicationVersion

    from .conftest import claim_post
    from .test_submission import new_draft, send

    app = new_draft(takahashi, post=claim_post())
    send(app, takahashi)
    app.refresh_from_db()
    shown = format_phone(app.data["phone"])
    # As stored before 2026-12: digits alone, in the values and the sent version.
    digits = app.data["phone"].replace("-", "")
    app.data["phone"] = digits
    app.save(update_fields=["data"])
    ApplicationVersion.objects.create(
        application=app, number=1, data=app.data, made_by=takahashi,
        made_at=app.submitted_at, reason="submitted",
    )  # fmt: skip
    import_module("madoguchi.applications.migrations.0012_phones_as_written").canonicalise(
        apps, None
    )
    app.refresh_from_db()
    assert app.data["phone"] == shown == as_libphonenumber_writes(digits)
    assert ApplicationVersion.objects.get(application=app).data["phone"] == shown
