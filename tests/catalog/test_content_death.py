"""おくやみ: what the guide lists, asks and dates after a death (issue 12).

Checked against municipalities' own pages (each procedure's ``sources``): the
cremation permit that becomes the burial permit, the city crematorium, the two
property-tax notices, the pension claims at the town or the pension office, the
certificates to return, the refund of high medical costs and the moped.
"""

from datetime import date

import pytest

from madoguchi.catalog.loader import load
from tests.catalog.checklist import by_id, guide, statuses
from tests.conftest import situation

DAY = "2026-11-20"  # a Friday

# What every household below has already told, so that only the point of each test
# is left open.
TOLD = {
    "single_parent": False,
    "has_dog": False,
    "owns_real_estate": False,
    "owns_moped": False,
}
DECEASED = {
    "role": "deceased",
    "head_of_household": False,
    "care_certified": False,
    "receives_child_allowance": False,
    "receives_child_rearing_allowance": False,
    "has_disability_certificate": False,
}

DEATH_PROCEDURES = [
    "death-registration",
    "cremation-permit",
    "crematorium-use",
    "head-of-household-change",
    "kokuho-withdraw",
    "kokuho-funeral-expenses",
    "kouki-withdraw",
    "kouki-funeral-expenses",
    "care-insurance-withdraw",
    "property-heir-notice",
    "property-current-owner-notice",
    "pension-death-notice",
    "pension-death-notice-national",
    "pension-unpaid-claim",
    "survivors-basic-pension",
    "widow-pension",
    "death-lump-sum",
    "disability-certificate-return",
    "welfare-medical-card-return",
    "high-cost-medical-heirs",
    "moped-deregistration",
]


def death(deceased: dict, *others: dict, **household):
    return situation(
        event="death",
        event_date=DAY,
        members=[DECEASED | deceased, *others],
        **(TOLD | household),
    )


# An 82-year-old on 後期高齢者医療 with a pension; a 50-year-old on the city's 国保 who
# paid their own contributions; a 42-year-old employee who leaves two children.
def elderly(**more):
    return {"birth_date": "1944-02-10", "insurance": "kouki", "receives_pension": True} | more


def self_employed(**more):
    return {"birth_date": "1976-05-01", "insurance": "kokuho", "receives_pension": False} | more


ADULT = {"role": "self", "birth_date": "1970-08-08", "insurance": "shaho"}


# --- 死亡届・火葬 -----------------------------------------------------------------


def test_the_death_registration_is_made_by_a_relative_the_funeral_home_only_carries_it(catalog):
    reg = by_id(guide(catalog, death(elderly(), ADULT)))["death-registration"]
    assert reg.deadline == date(2026, 11, 26)  # 7 days counting the day of death
    assert "親族" in reg.explanation and "葬儀社" in reg.explanation
    assert "届出人" in reg.online_note
    assert reg.plain_name


def test_the_cremation_permit_comes_back_stamped_for_the_interment_and_not_within_24_hours(
    catalog,
):
    permit = by_id(guide(catalog, death(elderly(), ADULT)))["cremation-permit"]
    assert permit.deadline == date(2026, 11, 26)  # with the death registration
    assert "24時間" in permit.explanation
    assert "埋葬許可証" in permit.explanation and "納骨" in permit.explanation
    english = by_id(guide(catalog, death(elderly(), ADULT), "en"))["cremation-permit"]
    assert "24 hours" in english.explanation


def test_the_city_crematorium_is_booked_with_the_death_registration(catalog):
    use = by_id(guide(catalog, death(elderly(), ADULT)))["crematorium-use"]
    assert use.status == "required"
    assert use.department_id == "shimin"
    assert use.deadline == date(2026, 11, 26)
    assert any("使用料" in b for b in use.bring)


def test_a_town_without_its_own_crematorium_has_no_crematorium_procedure(city):
    municipality = city / "municipality.yaml"
    text = municipality.read_text(encoding="utf-8")
    assert "city_crematorium: true" in text
    municipality.write_text(text.replace("city_crematorium: true", "city_crematorium: false"))
    other = load(city)
    found = statuses(other, death(elderly(), ADULT))
    assert "crematorium-use" not in found
    assert found["cremation-permit"] == "required"


# --- 世帯主 -------------------------------------------------------------------------


def test_the_new_head_of_household_can_be_named_at_the_death_registration_counter(catalog):
    s = death(elderly(head_of_household=True), ADULT, ADULT | {"role": "spouse"})
    change = by_id(guide(catalog, s))["head-of-household-change"]
    assert change.deadline == date(2026, 12, 4)
    assert change.department_id == "shimin"
    assert "死亡届" in change.explanation


# --- 固定資産税 ---------------------------------------------------------------------


def test_land_in_the_city_brings_both_property_tax_notices_the_declaration_within_3_months(
    catalog,
):
    procs = by_id(guide(catalog, death(elderly(), ADULT, owns_real_estate=True)))
    assert procs["property-heir-notice"].status == "required"
    assert procs["property-heir-notice"].promptly
    owners = procs["property-current-owner-notice"]
    assert owners.status == "required"
    assert owners.department_id == "zeimu"
    # 3 months from 11/20 end on 2027-02-20, a Saturday: the next open day.
    assert owners.deadline == date(2027, 2, 22)
    assert "亡くなった方がこの市内に土地や建物を持っていた" in owners.reasons


def test_without_land_in_the_city_neither_property_notice(catalog):
    found = statuses(catalog, death(elderly(), ADULT))
    assert "property-heir-notice" not in found
    assert "property-current-owner-notice" not in found


def test_the_real_estate_question_is_about_the_deceaseds_land_in_this_city(catalog):
    result = guide(catalog, death(elderly(), ADULT, owns_real_estate=None))
    asked = {q.id: q for q in result.questions}
    question = asked["owns-real-estate"]
    assert question.text == "亡くなった方は、この市の中に土地や建物を持っていましたか"
    assert set(question.decides) == {"property-heir-notice", "property-current-owner-notice"}
    assert by_id(result)["property-current-owner-notice"].status == "may_apply"


# --- 年金 ---------------------------------------------------------------------------


def test_the_pension_notices_go_to_the_pension_office_or_the_city_for_basic_pension_only(
    catalog,
):
    procs = by_id(guide(catalog, death(elderly(pension_kind="employees"), ADULT)))
    notice = procs["pension-death-notice"]
    assert notice.department_id == "nenkin-jimusho"
    assert notice.deadline == date(2026, 11, 30)
    national = by_id(guide(catalog, death(elderly(pension_kind="national_only"), ADULT)))
    notice = national["pension-death-notice-national"]
    assert notice.department_id == "hoken-nenkin" and "保険年金課" in notice.explanation
    assert "市役所の手続きではありません" not in notice.explanation
    unpaid = procs["pension-unpaid-claim"]
    assert "保険年金課" in unpaid.explanation
    assert unpaid.deadline == date(2031, 11, 20)


def test_a_pension_recipient_leaves_no_widows_pension_or_death_lump_sum(catalog):
    found = statuses(catalog, death(elderly(), ADULT))
    assert "widow-pension" not in found and "death-lump-sum" not in found
    assert "survivors-basic-pension" not in found  # no child under 18


def test_someone_who_received_no_pension_may_leave_a_widows_pension_or_a_lump_sum(catalog):
    widow = ADULT | {"sex": "female"}  # 56 on the day of the death: under 65
    procs = by_id(guide(catalog, death(self_employed(sex="male"), widow)))
    assert procs["widow-pension"].status == "optional"
    # 寡婦年金 is the wife's, after her husband: not after a wife's death, and asked
    # about while the deceased's sex is unknown.
    assert "widow-pension" not in by_id(guide(catalog, death(self_employed(sex="female"), widow)))
    unknown = by_id(guide(catalog, death(self_employed(), widow)))
    assert unknown["widow-pension"].status == "may_apply"
    assert procs["death-lump-sum"].status == "optional"
    assert procs["death-lump-sum"].deadline == date(2028, 11, 20)  # 2 years
    assert procs["widow-pension"].deadline == date(2031, 11, 20)  # 5 years
    assert procs["widow-pension"].department_id == "hoken-nenkin"
    assert "どちらか一方" in procs["death-lump-sum"].explanation


def test_too_young_to_have_paid_36_months_or_10_years(catalog):
    found = statuses(catalog, death(self_employed(birth_date="2004-01-01"), ADULT))
    assert "death-lump-sum" not in found  # 22: fewer than 36 months since turning 20
    found = statuses(catalog, death(self_employed(birth_date="2000-01-01"), ADULT))
    assert found["death-lump-sum"] == "optional"  # 26
    assert "widow-pension" not in found  # fewer than 10 years since turning 20


def test_whether_the_deceased_received_a_pension_is_asked_in_the_past(catalog):
    s = death(self_employed(receives_pension=None), ADULT)
    result = guide(catalog, s)
    asked = {q.id: q for q in result.questions}
    assert asked["receives-pension"].text == "亡くなった方は年金を受け取っていましたか"
    assert {"widow-pension", "death-lump-sum", "pension-death-notice"} <= set(
        asked["receives-pension"].decides
    )


def test_children_under_18_bring_the_survivors_basic_pension(catalog):
    employee = {"birth_date": "1984-03-03", "insurance": "shaho", "receives_pension": False}
    spouse = {"role": "spouse", "birth_date": "1986-06-06", "insurance": "shaho"}
    # 18 at the last 31 March (born 2008-03-01) is past the end of the year after 18.
    older = {"role": "child", "birth_date": "2008-03-01", "insurance": "shaho"}
    younger = {"role": "child", "birth_date": "2016-07-07", "insurance": "shaho"}
    procs = by_id(guide(catalog, death(employee, spouse, older, younger)))
    pension = procs["survivors-basic-pension"]
    assert pension.status == "required"
    assert pension.deadline == date(2031, 11, 20)
    assert "18歳になった年度の末(3月31日)までの子どもがいる" in pension.reasons
    # Where to claim depends on the deceased's pension: said, not guessed.
    assert "年金事務所" in pension.explanation and "保険年金課" in pension.explanation
    found = statuses(catalog, death(employee, spouse, older))
    assert "survivors-basic-pension" not in found


def test_without_the_deceaseds_age_the_survivors_pension_may_apply_with_its_condition(catalog):
    child = {"role": "child", "birth_date": "2016-07-07", "insurance": "shaho"}
    result = guide(catalog, death({"insurance": "shaho", "receives_pension": False}, child))
    pension = by_id(result)["survivors-basic-pension"]
    assert pension.status == "may_apply"
    assert pension.open_conditions == ["亡くなった方が20歳以上だった(国民年金に入る年齢)"]


# --- 手帳・医療証・高額療養費 ---------------------------------------------------------


def test_a_disability_certificate_and_the_welfare_medical_card_are_returned(catalog):
    procs = by_id(guide(catalog, death(elderly(has_disability_certificate=True), ADULT)))
    certificate = procs["disability-certificate-return"]
    assert certificate.status == "required"
    assert certificate.department_id == "shogai-fukushi"
    assert certificate.promptly
    card = procs["welfare-medical-card-return"]
    assert card.status == "optional"
    assert card.department_id == "hoken-nenkin"


def test_without_a_certificate_nothing_to_return_and_unknown_it_is_asked(catalog):
    found = statuses(catalog, death(elderly(), ADULT))
    assert "disability-certificate-return" not in found
    assert "welfare-medical-card-return" not in found
    result = guide(catalog, death(elderly(has_disability_certificate=None), ADULT))
    asked = {q.id: q for q in result.questions}
    question = asked["has-disability-certificate"]
    assert question.text == "亡くなった方は障害者手帳(身体・療育・精神)を持っていましたか"
    assert question.member == 0


def test_the_heirs_may_claim_high_medical_costs_of_the_citys_insurance(catalog):
    for deceased in (elderly(), self_employed()):
        refund = by_id(guide(catalog, death(deceased, ADULT)))["high-cost-medical-heirs"]
        assert refund.status == "optional"
        assert refund.deadline is None and "2年" in refund.deadline_rule
    employee = {"birth_date": "1984-03-03", "insurance": "shaho", "receives_pension": False}
    assert "high-cost-medical-heirs" not in statuses(catalog, death(employee, ADULT))


# --- 原付 ---------------------------------------------------------------------------


def test_a_moped_is_deregistered_or_transferred_at_the_taxation_division(catalog):
    moped = by_id(guide(catalog, death(elderly(), ADULT, owns_moped=True)))["moped-deregistration"]
    assert moped.status == "required"
    assert moped.department_id == "zeimu"
    assert moped.deadline is None and "4月1日" in moped.deadline_rule
    assert "moped-deregistration" not in statuses(catalog, death(elderly(), ADULT))
    result = guide(catalog, death(elderly(), ADULT, owns_moped=None))
    assert "owns-moped" in {q.id for q in result.questions}


# --- 健康保険の質問 -----------------------------------------------------------------


def test_the_insurance_question_separates_a_national_health_insurance_society(catalog):
    result = guide(catalog, death({"birth_date": "1960-01-01"}, ADULT))
    question = next(q for q in result.questions if q.id == "insurance" and q.member == 0)
    labels = {c.value: c.label for c in question.choices}
    assert labels["kokuho"] == "市の国民健康保険"
    assert "国民健康保険組合" in labels["shaho"]
    assert "資格情報のお知らせ" in question.help
    assert "国民健康保険組合" in question.help


# --- ほかの窓口と出典 ---------------------------------------------------------------


def test_what_is_not_the_citys_is_one_line_under_other_offices(catalog):
    result = guide(catalog, death(elderly(), ADULT))
    others = {o.id: o for o in result.other_offices}
    for office in (
        "final-income-tax-return",
        "inheritance-registration",
        "inheritance-renunciation",
        "inheritance-tax",
        "survivors-employees-pension",
    ):
        assert others[office].where
    assert "家庭裁判所" in others["inheritance-renunciation"].where
    assert not set(others) & {p.id for p in result.procedures}


@pytest.mark.parametrize("procedure", DEATH_PROCEDURES)
def test_every_death_procedure_says_where_it_comes_from_and_its_plain_name(catalog, procedure):
    proc = catalog.procedures[procedure]
    assert proc.sources is not None and proc.sources.law
    assert proc.plain_name is not None and proc.plain_name.en
    for page in proc.sources.pages:
        assert page.checked >= date(2026, 11, 29)  # re-checked pages carry a later date
        host = page.url.split("/")[2]
        assert host.endswith((".lg.jp", ".go.jp", ".jp")), host
