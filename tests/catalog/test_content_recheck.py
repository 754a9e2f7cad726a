"""The catalogue checked again against the law and towns' pages (issue 16).

Each test is a household for which the guide gave a wrong answer: a widow's pension for a
widow who was already 65, a pregnancy question about a little boy, one deadline for two
pension notices that have two, a claim period no town gives, a withdrawal from 国保 when
the employee spouse is leaving the job.
"""

from datetime import date

import pytest

from tests.catalog.checklist import by_id, guide, statuses
from tests.conftest import situation

DEATH_DAY = "2026-11-20"  # a Friday
TOLD = {"single_parent": False, "has_dog": False, "owns_real_estate": False, "owns_moped": False}
# 自営業の夫(50歳): 年金を受けずに亡くなった(寡婦年金の夫の条件を満たしうる)。
HUSBAND = {
    "role": "deceased",
    "sex": "male",
    "birth_date": "1976-05-01",
    "insurance": "kokuho",
    "receives_pension": False,
    "head_of_household": False,
    "care_certified": False,
    "receives_child_allowance": False,
    "receives_child_rearing_allowance": False,
    "has_disability_certificate": False,
}


def death(*members):
    return situation(event="death", event_date=DEATH_DAY, members=list(members), **TOLD)


def wife(birth_date, **more):
    return {"role": "self", "sex": "female", "birth_date": birth_date} | more


# --- 1. 寡婦年金: 妻が夫の死亡の当時65歳未満(国民年金法49条1項) --------------------------


def test_no_widows_pension_for_a_wife_who_was_65_when_her_husband_died(catalog):
    assert "widow-pension" not in statuses(catalog, death(HUSBAND, wife("1961-05-01")))


def test_a_wife_of_64_may_claim_the_widows_pension(catalog):
    assert statuses(catalog, death(HUSBAND, wife("1962-05-01")))["widow-pension"] == "optional"


def test_a_wife_whose_65th_birthday_is_the_next_day_is_already_65(catalog):
    # 年齢計算ニ関スル法律: one turns 65 on the day before the 65th birthday (国民年金の年齢).
    assert "widow-pension" not in statuses(catalog, death(HUSBAND, wife("1961-11-21")))
    assert "widow-pension" in statuses(catalog, death(HUSBAND, wife("1961-11-22")))


def test_only_a_woman_who_could_be_his_wife_counts(catalog):
    # The filer's own spouse is not the deceased's wife; nor is a girl too young to have
    # been married for 10 years (26 at the least).
    son = {"role": "self", "sex": "male", "birth_date": "1996-01-01"}
    daughter_in_law = {"role": "spouse", "sex": "female", "birth_date": "1997-01-01"}
    girl = {"role": "child", "sex": "female", "birth_date": "2019-01-01"}
    assert "widow-pension" not in statuses(catalog, death(HUSBAND, son, daughter_in_law, girl))
    mother = {"role": "parent", "sex": "female", "birth_date": "1970-01-01"}
    found = statuses(catalog, death(HUSBAND, son, daughter_in_law, mother))
    assert found["widow-pension"] == "optional"


def test_a_little_girl_is_not_asked_her_sex_for_the_widows_pension(catalog):
    girl = {"role": "child", "birth_date": "2019-01-01"}
    result = guide(catalog, death(HUSBAND, wife("1970-01-01"), girl))
    for q in result.questions:
        assert not (q.fact == "sex" and q.member == 2), q


def test_an_unknown_wifes_age_leaves_the_widows_pension_open(catalog):
    result = guide(catalog, death(HUSBAND, {"role": "self", "sex": "female"}))
    assert by_id(result)["widow-pension"].status == "may_apply"
    assert any(q.fact == "birth_date" and "widow-pension" in q.decides for q in result.questions)


# --- 2. 質問: 聞いても意味のない人には聞かない ------------------------------------------------


def move_in(*members):
    return situation(event="move_in", event_date="2026-11-20", members=list(members), has_dog=False)


def asked_about(result, fact):
    return {q.member for q in result.questions if q.fact == fact}


def test_the_pregnancy_question_is_not_asked_about_a_boy_of_7(catalog):
    mother = {"role": "self", "sex": "female", "birth_date": "1990-05-01"}
    boy = {"role": "child", "sex": "male", "birth_date": "2019-06-01"}
    father = {"role": "spouse", "sex": "male", "birth_date": "1988-03-01"}
    girl = {"role": "child", "sex": "female", "birth_date": "2024-06-01"}
    grandmother = {"role": "other", "sex": "female", "birth_date": "1940-01-01"}
    result = guide(catalog, move_in(mother, boy, father, girl, grandmother))
    assert asked_about(result, "pregnant") == {0}


def test_the_pregnancy_question_is_still_asked_when_sex_and_age_are_unknown(catalog):
    result = guide(catalog, move_in({"role": "self"}))
    assert 0 in asked_about(result, "pregnant")
    teen = {"role": "child", "sex": "female", "birth_date": "2012-03-01"}  # 中学生
    assert 0 in asked_about(guide(catalog, move_in(teen)), "pregnant")


def test_a_pregnant_woman_still_exchanges_her_vouchers(catalog):
    woman = {"role": "self", "sex": "female", "birth_date": "1990-05-01", "pregnant": True}
    assert statuses(catalog, move_in(woman))["prenatal-checkup-vouchers"] == "required"


def test_only_the_two_who_marry_are_asked_whether_their_surname_changes(catalog):
    members = [
        {"role": "self", "sex": "female", "birth_date": "1990-05-01"},
        {"role": "spouse", "sex": "male", "birth_date": "1988-03-01"},
        {"role": "child", "sex": "male", "birth_date": "2019-06-01"},
        {"role": "parent", "sex": "male", "birth_date": "1950-01-01"},
    ]
    result = guide(catalog, situation(event="marriage", event_date="2026-11-20", members=members))
    assert asked_about(result, "surname_changes") == {0, 1}
    assert asked_about(result, "has_mynumber_card") <= {0, 1}


# --- 3. 年金受給権者死亡届: 厚生年金は10日、国民年金だけなら14日 ------------------------------


def pensioner(**more):
    return (
        HUSBAND
        | {"birth_date": "1944-02-10", "insurance": "kouki", "receives_pension": True}
        | more
    )


CHILD_FILING = {"role": "self", "sex": "male", "birth_date": "1970-08-08", "insurance": "shaho"}


def test_an_employees_pension_is_stopped_within_10_days(catalog):
    procs = by_id(guide(catalog, death(pensioner(pension_kind="employees"), CHILD_FILING)))
    notice = procs["pension-death-notice"]
    assert notice.status == "required"
    assert notice.deadline == date(2026, 11, 30)  # 10 days after 11/20
    assert "10日以内" in notice.deadline_rule and "14日" not in notice.deadline_rule
    assert notice.department_id == "nenkin-jimusho"
    assert "pension-death-notice-national" not in procs


def test_the_national_pension_only_is_stopped_within_14_days_at_the_city_too(catalog):
    procs = by_id(guide(catalog, death(pensioner(pension_kind="national_only"), CHILD_FILING)))
    notice = procs["pension-death-notice-national"]
    assert notice.status == "required"
    assert notice.deadline == date(2026, 12, 4)  # 14 days after 11/20
    assert "14日以内" in notice.deadline_rule and "10日" not in notice.deadline_rule
    assert notice.department_id == "hoken-nenkin"
    assert "pension-death-notice" not in procs


def test_an_unknown_kind_of_pension_shows_both_deadlines_and_asks(catalog):
    result = guide(catalog, death(pensioner(), CHILD_FILING))
    procs = by_id(result)
    assert procs["pension-death-notice"].status == "may_apply"
    assert procs["pension-death-notice"].deadline == date(2026, 11, 30)
    assert procs["pension-death-notice-national"].status == "may_apply"
    assert procs["pension-death-notice-national"].deadline == date(2026, 12, 4)
    kind = next(q for q in result.questions if q.fact == "pension_kind")
    assert kind.text.endswith("含まれていましたか")  # asked in the past, about the deceased
    assert set(kind.decides) == {"pension-death-notice", "pension-death-notice-national"}


# --- 4. 妊婦のための支援給付(2回目): 期限は出産予定日の8週間前の日から2年 ------------------------


def test_the_second_support_payment_says_the_claim_period_towns_give(catalog):
    birth = situation(
        event="birth",
        event_date="2026-11-20",
        members=[{"role": "self", "sex": "female", "birth_date": "1992-06-15"}],
    )
    benefit = by_id(guide(catalog, birth))["pregnancy-support-benefit"]
    assert "出産予定日の8週間前の日から2年" in benefit.deadline_rule
    assert "生後4か月" not in benefit.deadline_rule
    assert benefit.deadline is None  # the due date is not known to the guide


# --- 5. 国保をやめる届(結婚): 勤めをやめる配偶者の扶養には入れない ------------------------------

BRIDE = {
    "role": "self",
    "birth_date": "1994-04-04",
    "sex": "female",
    "insurance": "kokuho",
    "has_mynumber_card": False,
    "surname_changes": True,
    "receives_child_rearing_allowance": False,
    "joins_national_pension": False,
}
GROOM = {
    "role": "spouse",
    "birth_date": "1990-10-10",
    "sex": "male",
    "insurance": "shaho",
    "has_mynumber_card": False,
    "surname_changes": False,
    "receives_child_rearing_allowance": False,
}


def marriage(*members):
    return situation(event="marriage", event_date="2026-11-20", members=list(members))


@pytest.mark.parametrize(("leaving", "listed"), [(True, False), (False, True)])
def test_no_withdrawal_from_kokuho_when_the_employee_spouse_leaves_the_job(
    catalog, leaving, listed
):
    found = statuses(catalog, marriage(BRIDE, GROOM | {"joins_national_pension": leaving}))
    assert ("kokuho-marriage-withdraw" in found) is listed


def test_the_withdrawal_cites_the_dependants_item_of_article_6(catalog):
    proc = catalog.procedures["kokuho-marriage-withdraw"]
    assert "第6条第5号" in proc.legal_basis.ja
    assert not any("第6条第1号(勤め先の保険の加入者・被扶養者" in law for law in proc.sources.law)


# --- 6. 条の番号 -------------------------------------------------------------------------------


def test_the_articles_that_could_not_be_verified_are_not_cited_by_number(catalog):
    kouki = catalog.procedures["kouki-move-out"]
    assert "施行規則第28条" not in kouki.legal_basis.ja
    assert "施行規則第26条" in kouki.legal_basis.ja
    disability = catalog.procedures["disability-certificate-address-change"]
    assert "施行令第9条" not in disability.legal_basis.ja
    assert not any("施行令第9条" in law for law in disability.sources.law)
    for pid in ("mynumber-card-address-update", "mynumber-card-name-change"):
        laws = " ".join(catalog.procedures[pid].sources.law)
        assert "第12条第1項第1号" in laws and "第15条" in laws, pid
