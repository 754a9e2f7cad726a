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
    "low-birth-weight-notice": False,
    # The おくやみ counter's forms (a death), the family's procedures.
    "kokuho-funeral-expenses": True,
    "kouki-funeral-expenses": False,
    "head-of-household-change": False,
    "care-insurance-withdraw": False,
    "high-cost-medical-heirs": False,
    "property-current-owner-notice": False,
    "kouki-withdraw": False,
    "kokuho-withdraw": False,
    "welfare-medical-card-return": False,
    # The birth counter's too.
    "kokuho-childbirth-lump-sum": False,
}
# Forms the town takes at the counter only (``online: false``): printed there, not
# offered on the web.
COUNTER_ONLY = {
    "kouki-funeral-expenses",
    "head-of-household-change",
    "care-insurance-withdraw",
    "high-cost-medical-heirs",
    "property-current-owner-notice",
    "kouki-withdraw",
    "kokuho-withdraw",
    "welfare-medical-card-return",
    "kokuho-childbirth-lump-sum",
}
MYNUMBER = re.compile(r"個人番号|マイナンバー(?!カード)|mynumber(?!_card)|my_number|kojin", re.I)


def forms(catalog):
    return {pid: p.form for pid, p in catalog.procedures.items() if p.form}


def test_the_procedures_with_forms(catalog):
    assert set(forms(catalog)) == set(WITH_FORMS)
    for pid, identity in WITH_FORMS.items():
        proc = catalog.procedures[pid]
        assert proc.requires_identity is identity, pid
        assert proc.online is (pid not in COUNTER_ONLY), pid
        assert proc.applies_online is proc.online, pid


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


def _death_forms(catalog):
    return {pid: p.form for pid, p in catalog.procedures.items() if p.form and "death" in p.events}


def test_the_family_after_a_death_has_its_forms(catalog):
    # Besides the forms that also serve a death (児童手当, 犬の登録の変更).
    assert set(DEATH_FORMS) <= set(_death_forms(catalog)) and len(DEATH_FORMS) >= 6


DEATH_FORMS = sorted((COUNTER_ONLY - {"kokuho-childbirth-lump-sum"}) | {"kokuho-funeral-expenses"})


@pytest.mark.parametrize("pid", DEATH_FORMS)
def test_a_death_form_keeps_the_deceased_and_the_applicant_apart(catalog, pid):
    """The deceased's name comes from ``deceased``, the applicant's (the bereaved)
    from the verified identity; never one field from both."""
    form = catalog.procedures[pid].form
    sources = {f.prefill for f in form.fields if f.prefill}
    assert {"identity.name", "identity.address"} <= sources, pid
    named = {f.prefill for f in form.all_fields() if f.prefill}
    assert named & {"deceased.name", "member.name"}, pid  # the deceased, by name
    # The applicant's fields are the identity's alone; the deceased's never are.
    for f in form.all_fields():
        if f.id.startswith("applicant_") and f.kind in ("name", "address"):
            assert f.prefill.startswith("identity."), (pid, f.id)
        if f.prefill and f.prefill.startswith("deceased."):
            assert not f.id.startswith("applicant_"), (pid, f.id)


def test_the_heirs_are_a_group_of_their_own(catalog):
    owners = catalog.procedures["property-current-owner-notice"].form.field("owners")
    assert owners.kind == "group" and owners.min_items == 1 and not owners.each_member
    assert not any(sub.prefill for sub in owners.fields)  # typed: the guide has no heirs
    heirs = catalog.procedures["high-cost-medical-heirs"].form.field("other_heirs")
    assert heirs.kind == "group" and not heirs.required


def test_money_goes_to_a_bank_account_field(catalog):
    """Every 振込先 is one ``bank_account`` field (codes checked), never loose text."""
    for pid, form in forms(catalog).items():
        for f in form.all_fields():
            if "口座" in f.label.ja:
                assert f.kind == "bank_account", (pid, f.id)


def test_the_birth_visit_has_the_low_birth_weight_notice(catalog):
    form = catalog.procedures["low-birth-weight-notice"].form
    babies = form.field("babies")
    assert babies.each_member == ["newborn"]
    weight = next(f for f in babies.fields if f.id == "birth_weight")
    assert weight.prefill == "member.birth_weight_g" and weight.max_value == 2499
