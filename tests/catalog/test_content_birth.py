"""Birth, children and marriage, as municipalities' own pages describe them (issue 12).

Each test builds a household, runs the guide and checks what it lists, asks and dates.
"""

from datetime import date

import pytest

from madoguchi.catalog.loader import load
from tests.catalog.checklist import by_id, guide, statuses
from tests.conftest import situation

DAY = "2026-11-20"


def asked(result) -> dict[str, list[str]]:
    """Question id → the procedures its answer decides."""
    return {q.id: q.decides for q in result.questions}


MOTHER = {
    "role": "spouse",
    "birth_date": "1993-01-08",
    "sex": "female",
    "insurance": "kokuho",
    "receives_child_allowance": False,
    "receives_child_rearing_allowance": False,
}
FATHER = {
    "role": "self",
    "birth_date": "1992-06-15",
    "sex": "male",
    "insurance": "shaho",
    "receives_child_allowance": False,
    "receives_child_rearing_allowance": False,
}
BABY = {"role": "newborn", "birth_weight_g": 3000}


def birth(*members, **household):
    return situation(event="birth", event_date=DAY, members=list(members), **household)


# --- 出生: 出産育児一時金 ------------------------------------------------------------------


def test_with_direct_payment_and_nothing_left_the_lump_sum_is_not_listed(catalog):
    s = birth(FATHER, MOTHER, BABY, childbirth_grant_to_claim=False)
    assert "kokuho-childbirth-lump-sum" not in statuses(catalog, s)


def test_the_lump_sum_is_asked_about_when_it_is_not_known_whether_anything_is_left(catalog):
    result = guide(catalog, birth(FATHER, MOTHER, BABY))
    assert by_id(result)["kokuho-childbirth-lump-sum"].status == "may_apply"
    assert "kokuho-childbirth-lump-sum" in asked(result)["childbirth-grant-to-claim"]
    claimed = guide(catalog, birth(FATHER, MOTHER, BABY, childbirth_grant_to_claim=True))
    lump = by_id(claimed)["kokuho-childbirth-lump-sum"]
    assert lump.status == "required"
    assert lump.deadline == date(2028, 11, 20)
    assert "出産したお母さんが国民健康保険に加入している" in lump.reasons


def test_the_lump_sum_follows_the_mother_not_a_father_on_kokuho(catalog):
    # The father is on 国保, the mother on her employer's insurance: that insurer pays.
    father = FATHER | {"insurance": "kokuho"}
    mother = MOTHER | {"insurance": "shaho"}
    s = birth(father, mother, BABY, childbirth_grant_to_claim=True)
    assert "kokuho-childbirth-lump-sum" not in statuses(catalog, s)


def test_the_sex_of_the_parents_is_asked_when_unknown(catalog):
    father = {k: v for k, v in FATHER.items() if k != "sex"} | {"insurance": "kokuho"}
    mother = {k: v for k, v in MOTHER.items() if k != "sex"}
    result = guide(catalog, birth(father, mother, BABY, childbirth_grant_to_claim=True))
    assert by_id(result)["kokuho-childbirth-lump-sum"].status == "may_apply"
    assert "kokuho-childbirth-lump-sum" in asked(result)["sex"]


# --- 出生: 支援給付・年金・未熟児 -----------------------------------------------------------


def test_every_birth_lists_the_second_support_payment_without_a_date(catalog):
    result = guide(catalog, birth(FATHER, MOTHER, BABY))
    benefit = by_id(result)["pregnancy-support-benefit"]
    # Optional: many towns take the second notice in the 8th month of pregnancy.
    assert benefit.status == "optional"
    assert benefit.deadline is None
    assert "赤ちゃん訪問" in benefit.deadline_rule
    assert benefit.plain_name.startswith("赤ちゃんが生まれたあとにもらえる給付金")


def test_a_mother_on_the_national_pension_gets_the_maternity_exemption(catalog):
    procs = by_id(guide(catalog, birth(FATHER, MOTHER, BABY)))
    assert procs["pension-maternity-exemption"].status == "required"
    assert procs["pension-maternity-exemption"].department_id == "hoken-nenkin"


@pytest.mark.parametrize(
    "mother",
    [
        MOTHER | {"insurance": "shaho"},  # an employee or a dependant spouse (第2号・第3号)
        MOTHER | {"birth_date": "1965-01-01"},  # 61: no longer in the National Pension
        MOTHER | {"sex": "male"},  # only the parent who gave birth
    ],
)
def test_no_maternity_exemption_outside_category_1(catalog, mother):
    assert "pension-maternity-exemption" not in statuses(catalog, birth(FATHER, mother, BABY))


def test_an_uninsured_mother_is_on_the_national_pension_too(catalog):
    mother = MOTHER | {"insurance": "none"}
    assert statuses(catalog, birth(mother, BABY))["pension-maternity-exemption"] == "required"


def test_a_baby_of_2000_g_or_less_gets_premature_infant_care(catalog):
    procs = by_id(guide(catalog, birth(FATHER, MOTHER, BABY | {"birth_weight_g": 2000})))
    assert procs["premature-infant-medical-care"].status == "required"
    assert procs["premature-infant-medical-care"].promptly
    assert procs["low-birth-weight-notice"].status == "required"
    heavier = statuses(catalog, birth(FATHER, MOTHER, BABY | {"birth_weight_g": 2001}))
    assert "premature-infant-medical-care" not in heavier
    assert heavier["low-birth-weight-notice"] == "required"


def test_a_birth_registered_elsewhere_is_still_handled_here(catalog):
    reg = by_id(guide(catalog, birth(FATHER, MOTHER, BABY)))["birth-registration"]
    assert "ほかの市区町村で出生届を出したときも" in reg.explanation


# --- 児童手当 ---------------------------------------------------------------------------


def death(*members, **household):
    return situation(event="death", event_date=DAY, members=list(members), **household)


RECIPIENT_DIED = {
    "role": "deceased",
    "birth_date": "1985-05-05",
    "insurance": "shaho",
    "receives_child_allowance": True,
}
WIDOW = {"role": "self", "birth_date": "1987-09-30", "receives_child_allowance": False}
CHILD = {"role": "child", "birth_date": "2016-07-01"}


def test_when_the_recipient_dies_the_other_parent_claims_anew_within_15_days(catalog):
    procs = by_id(guide(catalog, death(RECIPIENT_DIED, WIDOW, CHILD)))
    claim = procs["child-allowance-claim"]
    assert claim.status == "required"
    # 15 days from the day after the death (11/20 → 12/5, a Saturday → Monday 12/7).
    assert claim.deadline == date(2026, 12, 7)
    assert any("亡くなった方が児童手当を受けていた" in r for r in claim.reasons)
    unpaid = procs["child-allowance-unpaid"]
    assert unpaid.status == "required"
    assert unpaid.deadline == date(2026, 12, 7)
    assert unpaid.plain_name
    # The allowance ends with the death: no 消滅届 on top.
    assert "child-allowance-end" not in procs


def test_no_new_claim_when_no_child_remains(catalog):
    procs = by_id(guide(catalog, death(RECIPIENT_DIED, WIDOW)))
    assert "child-allowance-claim" not in procs
    assert procs["child-allowance-unpaid"].status == "required"


def test_no_new_claim_when_the_deceased_did_not_receive_the_allowance(catalog):
    deceased = RECIPIENT_DIED | {"receives_child_allowance": False}
    procs = statuses(catalog, death(deceased, WIDOW, CHILD))
    assert "child-allowance-claim" not in procs
    assert "child-allowance-unpaid" not in procs


def test_moving_out_with_the_allowance_lists_the_termination_notice(catalog):
    s = situation(
        event="move_out",
        event_date=DAY,
        members=[{"role": "self", "receives_child_allowance": True}, CHILD],
    )
    end = by_id(guide(catalog, s))["child-allowance-end"]
    assert end.status == "required"
    assert end.plain_name == "児童手当をやめる届(市外へ引っ越すとき)"
    assert "施行規則第7条" in end.legal_basis


def test_a_town_that_ends_the_allowance_on_moving_out_by_itself_lists_no_notice(city):
    municipality = city / "municipality.yaml"
    text = municipality.read_text(encoding="utf-8")
    municipality.write_text(
        text.replace(
            "child_allowance_ends_on_move_out: false", "child_allowance_ends_on_move_out: true"
        ),
        "utf-8",
    )
    catalog = load(city)
    s = situation(
        event="move_out",
        event_date=DAY,
        members=[{"role": "self", "receives_child_allowance": True}, CHILD],
    )
    procs = statuses(catalog, s)
    assert "child-allowance-end" not in procs
    assert procs["child-medical-card-return"] == "required"


# --- 子ども医療費 -----------------------------------------------------------------------


def test_moving_out_with_a_child_returns_the_medical_card(catalog):
    s = situation(event="move_out", event_date=DAY, members=[WIDOW, CHILD])
    card = by_id(guide(catalog, s))["child-medical-card-return"]
    assert card.status == "required"
    assert "受給資格者証" in " ".join(card.bring)
    adult = situation(event="move_out", event_date=DAY, members=[WIDOW])
    assert "child-medical-card-return" not in statuses(catalog, adult)


def test_the_medical_subsidy_says_coverage_starts_from_the_birth_when_in_time(catalog):
    subsidy = by_id(guide(catalog, birth(FATHER, MOTHER, BABY)))["child-medical-subsidy"]
    assert "生まれた日・転入した日から" in subsidy.deadline_rule


# --- 児童扶養手当 -----------------------------------------------------------------------


def move_in(*members, **household):
    return situation(event="move_in", event_date=DAY, members=list(members), **household)


def test_a_current_recipient_who_moves_in_files_a_change_of_address_not_a_claim(catalog):
    parent = WIDOW | {"receives_child_rearing_allowance": True}
    procs = by_id(guide(catalog, move_in(parent, CHILD, single_parent=True)))
    assert "child-rearing-allowance" not in procs
    address = procs["child-rearing-allowance-address"]
    assert address.status == "required"
    assert address.deadline == date(2026, 12, 4)
    assert "前の市区町村" in " ".join(address.bring)


def test_a_new_single_parent_moving_in_claims_in_person(catalog):
    parent = WIDOW | {"receives_child_rearing_allowance": False}
    procs = by_id(guide(catalog, move_in(parent, CHILD, single_parent=True)))
    assert "child-rearing-allowance-address" not in procs
    claim = procs["child-rearing-allowance"]
    assert claim.status == "required"
    assert "代理の方は請求できません" in claim.online_note


def test_whether_one_already_receives_it_is_asked(catalog):
    result = guide(catalog, move_in(WIDOW, CHILD, single_parent=True))
    decides = asked(result)["receives-child-rearing-allowance"]
    assert {"child-rearing-allowance", "child-rearing-allowance-address"} <= set(decides)


def marriage(*members, **household):
    return situation(event="marriage", event_date=DAY, members=list(members), **household)


BRIDE = {
    "role": "self",
    "birth_date": "1994-04-04",
    "sex": "female",
    "insurance": "kokuho",
    "has_mynumber_card": True,
    "surname_changes": True,
    "receives_child_rearing_allowance": False,
    "joins_national_pension": False,
}
GROOM = {
    "role": "spouse",
    "birth_date": "1990-10-10",
    "sex": "male",
    "insurance": "shaho",
    "has_mynumber_card": True,
    "surname_changes": False,
    "receives_child_rearing_allowance": False,
    "joins_national_pension": False,
}


def test_marrying_ends_the_child_rearing_allowance_and_says_de_facto_too(catalog):
    bride = BRIDE | {"receives_child_rearing_allowance": True}
    end = by_id(guide(catalog, marriage(bride, GROOM)))["child-rearing-allowance-end"]
    assert end.status == "required"
    assert end.promptly
    assert "事実婚" in end.explanation
    assert "child-rearing-allowance-end" not in statuses(catalog, marriage(BRIDE, GROOM))


# --- 婚姻 ---------------------------------------------------------------------------


def test_a_marriage_with_a_surname_change(catalog):
    result = guide(catalog, marriage(BRIDE, GROOM))
    procs = by_id(result)
    card = procs["mynumber-card-name-change"]
    assert card.status == "required"
    assert card.deadline == date(2026, 12, 4)  # 14 days after the marriage registration
    assert "6〜16桁" in card.explanation
    assert procs["seal-reregistration"].status == "optional"
    # She may join his employee insurance as a dependant: leaving 国保 is listed, optional.
    assert procs["kokuho-marriage-withdraw"].status == "optional"
    assert procs["kokuho-marriage-withdraw"].deadline is None
    # Becoming a dependant spouse (第3号) is filed by his employer: nothing here.
    assert "pension-marriage" not in procs
    assert result.questions == []


def test_the_marriage_registration_does_not_move_anyone(catalog):
    reg = by_id(guide(catalog, marriage(BRIDE, GROOM)))["marriage-registration"]
    assert "住所は変わりません" in reg.explanation
    assert "転入届" in reg.explanation and "転居届" in reg.explanation
    assert reg.deadline_rule == "期限はありません(受理されると、届け出た日が結婚した日になります)"


def test_no_card_or_seal_procedure_when_no_surname_changes(catalog):
    bride = BRIDE | {"surname_changes": False}
    procs = statuses(catalog, marriage(bride, GROOM))
    assert "mynumber-card-name-change" not in procs
    assert "seal-reregistration" not in procs


def test_both_on_kokuho_need_no_withdrawal(catalog):
    groom = GROOM | {"insurance": "kokuho"}
    assert "kokuho-marriage-withdraw" not in statuses(catalog, marriage(BRIDE, groom))


def test_joining_the_national_pension_oneself_on_marriage(catalog):
    bride = BRIDE | {"joins_national_pension": True}
    pension = by_id(guide(catalog, marriage(bride, GROOM)))["pension-marriage"]
    assert pension.status == "required"
    assert "配偶者の勤め先が出します" in pension.explanation


def test_the_guide_asks_what_the_marriage_procedures_depend_on(catalog):
    bride = {"role": "self", "birth_date": "1994-04-04"}
    groom = {"role": "spouse", "birth_date": "1990-10-10"}
    result = guide(catalog, marriage(bride, groom))
    questions = asked(result)
    assert "mynumber-card-name-change" in questions["surname-changes"]
    assert "pension-marriage" in questions["joins-national-pension"]
    assert "child-rearing-allowance-end" in questions["receives-child-rearing-allowance"]


# --- 転入 -----------------------------------------------------------------------------


def test_moving_in_with_a_small_child_offers_a_nursery_place(catalog):
    toddler = {"role": "child", "birth_date": "2023-05-05"}
    procs = statuses(catalog, move_in(WIDOW, toddler))
    assert procs["nursery-application"] == "optional"
    pupil = statuses(catalog, move_in(WIDOW, CHILD))
    assert "nursery-application" not in pupil


def test_a_pregnant_woman_moving_in_exchanges_her_checkup_vouchers(catalog):
    woman = WIDOW | {"sex": "female", "pregnant": True}
    vouchers = by_id(guide(catalog, move_in(woman)))["prenatal-checkup-vouchers"]
    assert vouchers.status == "required"
    assert vouchers.promptly
    assert "前の市区町村" in " ".join(vouchers.bring)
    assert "prenatal-checkup-vouchers" not in statuses(
        catalog, move_in(woman | {"pregnant": False})
    )


# --- 出典・やさしい名前 -----------------------------------------------------------------

OWN = [
    "birth-registration",
    "low-birth-weight-notice",
    "newborn-visit-card",
    "child-allowance-claim",
    "child-allowance-change",
    "child-allowance-end",
    "child-allowance-unpaid",
    "child-medical-subsidy",
    "child-medical-card-return",
    "child-rearing-allowance",
    "child-rearing-allowance-address",
    "child-rearing-allowance-end",
    "kokuho-childbirth-lump-sum",
    "pregnancy-support-benefit",
    "pension-maternity-exemption",
    "premature-infant-medical-care",
    "nursery-application",
    "prenatal-checkup-vouchers",
    "marriage-registration",
    "mynumber-card-name-change",
    "kokuho-marriage-withdraw",
    "pension-marriage",
    "seal-reregistration",
]


@pytest.mark.parametrize("proc_id", OWN)
def test_each_procedure_has_law_an_official_page_and_a_plain_name(catalog, proc_id):
    proc = catalog.procedures[proc_id]
    assert proc.sources is not None and proc.sources.law
    assert all(page.checked >= date(2026, 11, 29) for page in proc.sources.pages)
    official = (".lg.jp", ".go.jp", "city.", "town.", "vill.")
    assert any(any(o in page.url for o in official) for page in proc.sources.pages)
    assert proc.plain_name is not None
    assert proc.plain_name.get("en") != proc.plain_name.get("ja")
