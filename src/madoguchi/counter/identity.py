"""Who the visit's applicant is: the four facts from the My Number card (verified),
or typed by the clerk from another identity document when there is no card.

Typed facts go through the same form-field kinds as the online forms (氏名 and its
ふりがな, a 和暦 or 西暦 birth date, an address with its 〒), so a walk-in's data is
checked by the same rules. The facts are the applicant's own record
(``applications.Applicant``), never the signed-in clerk's identity.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from madoguchi.applications.models import Applicant, IdentitySource
from madoguchi.catalog.form_schema import FormSpec
from madoguchi.common import audit
from madoguchi.common.text_input import postal_code_for_address
from madoguchi.counter.models import Visit

SEX = [
    {"value": "female", "label": {"ja": "女", "en": "Female"}},
    {"value": "male", "label": {"ja": "男", "en": "Male"}},
]

# The four facts and the contact, as a form of the catalogue's kinds.
FACTS_FORM = FormSpec.model_validate(
    {
        "version": 1,
        "fields": [
            {"id": "name", "kind": "name", "label": {"ja": "氏名", "en": "Name"}},
            {
                "id": "birth_date",
                "kind": "date",
                "label": {"ja": "生年月日", "en": "Date of birth"},
            },
            {
                "id": "sex",
                "kind": "choice",
                "label": {"ja": "性別", "en": "Sex"},
                "required": False,
                "choices": SEX,
            },
            {"id": "address", "kind": "address", "label": {"ja": "住所", "en": "Address"}},
            {
                "id": "phone",
                "kind": "phone",
                "label": {"ja": "日中の連絡先(電話)", "en": "Daytime phone"},
                "required": False,
                "help": {
                    "ja": "担当課から確認の連絡をするときに使います。",
                    "en": "The department calls this number if it has a question.",
                },
            },
        ],
    }
)


def _save(visit: Visit, applicant: Applicant, by, source: str) -> Applicant:
    with transaction.atomic():
        applicant.save()
        Visit.objects.filter(pk=visit.pk).update(applicant=applicant)
        visit.applicant = applicant
        # Who identified whom, for which visit, and how; never the facts themselves.
        audit.record(
            by,
            "verify" if source == IdentitySource.CARD else "identify",
            "applications.Applicant",
            str(applicant.public_id),
            visit=str(visit.public_id),
            source=str(source),
        )
    return applicant


def record_typed(visit: Visit, values: dict, *, by) -> Applicant:
    """Keep the facts the clerk typed (``FACTS_FORM``'s clean values)."""
    name = values.get("name") or {}
    address = values.get("address") or {}
    applicant = visit.applicant if visit.applicant_id else Applicant()
    if applicant.source == IdentitySource.CARD:
        applicant = Applicant()  # a card-verified record is never overwritten by typing
    applicant.name = name.get("name", "")
    applicant.name_kana = name.get("kana", "")
    applicant.birth_date = date.fromisoformat(values["birth_date"])
    applicant.sex = values.get("sex") or ""
    applicant.postal_code = address.get("postal_code", "").replace("-", "")
    applicant.address = address.get("address", "")
    applicant.phone = values.get("phone") or applicant.phone
    applicant.source = IdentitySource.TYPED
    applicant.verified_at = None
    applicant.entered_by = by
    return _save(visit, applicant, by, IdentitySource.TYPED)


def record_card(
    visit: Visit, *, name: str, address: str, birth_date: date, sex: str | None, by
) -> Applicant:
    """Keep the four facts read from the applicant's card: verified, as written on
    the card. A card has no ふりがな and no 〒: the 〒 is looked up from the address
    (else asked on the forms); a ふりがな and a phone already given are kept (the
    card is read again, or after the facts were typed)."""
    applicant = visit.applicant if visit.applicant_id else Applicant()
    applicant.name, applicant.address = name, address
    applicant.birth_date, applicant.sex = birth_date, sex or ""
    applicant.postal_code = (postal_code_for_address(address) or "").replace("-", "")
    applicant.source = IdentitySource.CARD
    applicant.verified_at = timezone.now()
    applicant.entered_by = by
    return _save(visit, applicant, by, IdentitySource.CARD)


def facts_initial(applicant: Applicant | None) -> dict:
    """The typed form's first values (a correction of what was typed before)."""
    if applicant is None or applicant.source != IdentitySource.TYPED:
        return {}
    return applicant.typed_values()
