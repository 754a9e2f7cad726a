"""The example catalogue's online forms: what they ask, in both languages, and never
the 個人番号 (the city looks it up itself)."""

import re

import pytest

from madoguchi.catalog.form_checks import asks_for_mynumber

WITH_FORMS = {
    # procedure id → requires_identity (the reasons are in each YAML's comments)
    "child-allowance-claim": True,
    "child-medical-subsidy": True,
    "kokuho-enroll": True,
    "dog-registration-change": False,
    "moving-out-registration": True,
    "care-insurance-card-reissue": True,
    "care-certification-application": True,
}
MYNUMBER = re.compile(r"個人番号|マイナンバー(?!カード)|mynumber(?!_card)|my_number|kojin", re.I)


def forms(catalog):
    return {pid: p.form for pid, p in catalog.procedures.items() if p.form}


def test_the_procedures_with_forms(catalog):
    assert set(forms(catalog)) == set(WITH_FORMS)
    for pid, identity in WITH_FORMS.items():
        proc = catalog.procedures[pid]
        assert proc.online and proc.requires_identity is identity, pid


@pytest.mark.parametrize("pid", sorted(WITH_FORMS))
def test_no_form_asks_for_the_individual_number(catalog, pid):
    for field in catalog.procedures[pid].form.all_fields():
        assert not asks_for_mynumber(field), (pid, field.id)
        assert not MYNUMBER.search(f"{field.id} {field.label.ja} {field.label.en}"), field.id


@pytest.mark.parametrize("pid", sorted(WITH_FORMS))
def test_every_form_text_has_english(catalog, pid):
    form = catalog.procedures[pid].form
    texts = [form.intro, form.declaration]
    for field in form.all_fields():
        texts += [field.label, field.help, field.unit] + [c.label for c in field.choices]
    for text in texts:
        assert text is None or text.en, (pid, text)


def test_identity_fills_the_applicants_name_address_and_birth_date(catalog):
    for pid, identity in WITH_FORMS.items():
        filled = {f.prefill for f in catalog.procedures[pid].form.fields}
        wanted = {"identity.name", "identity.address", "identity.birth_date"}
        assert (wanted <= filled) is identity, pid


def test_forms_start_from_what_the_guide_knows(catalog):
    claim = catalog.procedures["kokuho-enroll"].form
    assert claim.field("reason_date").prefill == "situation.event_date"
    members = claim.field("members")
    assert members.kind == "group" and "newborn" in members.each_member
    assert members.fields[1].prefill == "member.birth_date"


def test_care_procedures_are_found_by_name_only(catalog):
    for pid in ("care-insurance-card-reissue", "care-certification-application"):
        proc = catalog.procedures[pid]
        assert proc.events == {} and proc.keywords and proc.sources.law
    certification = catalog.procedures["care-certification-application"].form
    diseases = certification.field("specified_disease").choices
    assert len(diseases) == 16  # 介護保険法施行令第2条
