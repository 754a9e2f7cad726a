"""The guide on the example catalogue: every rule of CATALOGUE.md, by life event."""

from datetime import date

import pytest

from madoguchi.catalog.guide import run_guide
from madoguchi.catalog.situation import Situation, with_answers
from tests.catalog.checklist import TODAY, by_id, guide, statuses
from tests.conftest import situation

DAY = "2026-11-20"


# --- 出生 ---------------------------------------------------------------------------


def test_takahashi_birth_checklist(catalog, takahashi_birth):
    result = guide(catalog, takahashi_birth)
    procs = by_id(result)
    assert {k: p.status for k, p in procs.items()} == {
        "birth-registration": "required",
        "low-birth-weight-notice": "required",
        "newborn-visit-card": "required",
        "child-allowance-claim": "required",
        "child-medical-subsidy": "required",
        "kokuho-enroll": "required",
        "kokuho-childbirth-lump-sum": "required",
        "pregnancy-support-benefit": "optional",
        "pension-maternity-exemption": "required",
    }
    assert procs["birth-registration"].deadline == date(2026, 12, 3)
    # 12/5 is a Saturday: the 児童手当 deadline moves to Monday 12/7.
    assert procs["child-allowance-claim"].deadline == date(2026, 12, 7)
    assert "土曜日" in procs["child-allowance-claim"].deadline_note
    assert procs["kokuho-enroll"].deadline == date(2026, 12, 4)
    assert procs["kokuho-childbirth-lump-sum"].deadline == date(2028, 11, 20)
    assert procs["newborn-visit-card"].deadline is None
    assert procs["newborn-visit-card"].deadline_rule.startswith("速やかに")
    assert "出生体重が2,500グラム未満の赤ちゃんがいる" in procs["low-birth-weight-notice"].reasons
    assert result.questions == []
    # Required first, most urgent first: 「速やかに」 is due now, then the soonest date.
    prompt = [p.id for p in result.procedures if p.promptly]
    assert {"low-birth-weight-notice", "newborn-visit-card"} <= set(prompt)
    assert [p.id for p in result.procedures][len(prompt)] == "birth-registration"


def test_a_heavier_baby_needs_no_low_weight_notice(catalog, takahashi_birth):
    members = [m.model_dump() for m in takahashi_birth.members]
    members[2]["birth_weight_g"] = 2500
    s = takahashi_birth.model_copy(update={"members": None})
    s = situation(**(s.model_dump() | {"members": members}))
    assert "low-birth-weight-notice" not in statuses(catalog, s)


def test_birth_when_parents_already_receive_child_allowance(catalog):
    s = situation(
        event="birth",
        event_date=DAY,
        members=[
            {"role": "self", "insurance": "shaho", "receives_child_allowance": True},
            {"role": "child", "birth_date": "2020-05-01"},
        ],
    )
    st = statuses(catalog, s)
    assert st["child-allowance-change"] == "required"
    assert "child-allowance-claim" not in st
    assert "kokuho-enroll" not in st and "kokuho-childbirth-lump-sum" not in st


def test_birth_with_nothing_known_asks_what_decides(catalog):
    result = guide(catalog, situation(event="birth", event_date=DAY))
    procs = by_id(result)
    assert procs["birth-registration"].status == "required"
    assert procs["low-birth-weight-notice"].status == "may_apply"
    assert procs["low-birth-weight-notice"].open_conditions == [
        "出生体重が2,500グラム未満の赤ちゃんがいる"
    ]
    asked = {(q.id, q.member_label) for q in result.questions}
    assert ("birth-weight", "生まれた子") in asked
    assert ("single-parent", None) in asked
    # Unknown facts are never false: nothing that could apply is left out.
    assert {"kokuho-enroll", "child-allowance-claim", "child-rearing-allowance"} <= procs.keys()


def test_single_parent_birth_gets_child_rearing_allowance(catalog):
    s = situation(
        event="birth",
        event_date=DAY,
        single_parent=True,
        members=[
            {
                "role": "self",
                "insurance": "shaho",
                "receives_child_allowance": False,
                "receives_child_rearing_allowance": False,
            }
        ],
    )
    assert statuses(catalog, s)["child-rearing-allowance"] == "required"


# --- 転入・転居・転出 -----------------------------------------------------------------


def test_saito_move_in_checklist(catalog, saito_move_in):
    procs = by_id(guide(catalog, saito_move_in))
    st = {k: p.status for k, p in procs.items()}
    assert st["moving-in-registration"] == "required"
    assert procs["moving-in-registration"].deadline == date(2026, 12, 4)
    assert st["mynumber-card-address-update"] == "required"
    assert st["school-transfer"] == "required"
    assert st["child-medical-subsidy"] == "required"
    assert st["seal-registration"] == "optional"
    # 齊藤さん received child allowance from the previous city; that ends with the move,
    # so a new claim is needed here all the same.
    assert st["child-allowance-claim"] == "required"
    assert "child-allowance-change" not in st
    for absent in (
        "kokuho-enroll",
        "pension-type-change",
        "kouki-enroll",
        "care-insurance-move-in",
        "dog-registration-change",
    ):
        assert absent not in st


def test_move_in_of_an_elderly_couple(catalog):
    s = situation(
        event="move_in",
        event_date=DAY,
        has_dog=True,
        moved_from_other_prefecture=True,
        members=[
            {
                "role": "self",
                "birth_date": "1948-03-03",
                "insurance": "kouki",
                "has_mynumber_card": False,
                "care_certified": True,
            },
            {
                "role": "spouse",
                "birth_date": "1958-10-10",
                "insurance": "kokuho",
                "has_mynumber_card": False,
                "care_certified": False,
            },
        ],
    )
    procs = by_id(guide(catalog, s))
    assert procs["kouki-enroll"].status == "required"
    assert procs["care-insurance-move-in"].status == "required"
    assert procs["kokuho-enroll"].status == "required"
    assert "pension-type-change" not in procs  # 68 is past 59
    assert procs["dog-registration-change"].deadline == date(2026, 12, 21)  # 30 days, Monday
    assert "school-transfer" not in procs


def test_pension_applies_from_20_to_59(catalog):
    def for_birth(born):
        return statuses(
            catalog,
            situation(
                event="move_in",
                event_date=DAY,
                members=[{"role": "self", "birth_date": born, "insurance": "none"}],
            ),
        )

    assert "pension-type-change" in for_birth("2006-11-20")  # 20 on the event date
    assert "pension-type-change" not in for_birth("2006-11-22")  # still 19
    assert "pension-type-change" in for_birth("1966-11-22")  # 59
    assert "pension-type-change" not in for_birth("1966-11-21")  # 60 from 11/20


def test_school_age_follows_the_school_year(catalog):
    def school(born):
        return "school-transfer" in statuses(
            catalog,
            situation(
                event="move_within", event_date=DAY, members=[{"role": "child", "birth_date": born}]
            ),
        )

    assert school("2019-04-01")  # 早生まれ: first grade since April 2025... now 2nd grade
    assert school("2020-04-01")  # entered in April 2026
    assert not school("2020-04-02")  # enters in April 2027
    assert school("2011-04-02")  # 3rd year of junior high until March 2027
    assert not school("2011-04-01")  # finished junior high in March 2026


def test_move_within_with_child_allowance_and_card(catalog):
    s = situation(
        event="move_within",
        event_date=DAY,
        has_dog=False,
        members=[
            {
                "role": "self",
                "birth_date": "1980-01-01",
                "receives_child_allowance": True,
                "has_mynumber_card": True,
                "has_disability_certificate": False,
            }
        ],
    )
    st = statuses(catalog, s)
    assert st == {
        "moving-within-registration": "required",
        "child-allowance-change": "required",
        "mynumber-card-address-update": "required",
    }


def test_move_out(catalog):
    s = situation(
        event="move_out",
        event_date=DAY,
        members=[
            {
                "role": "self",
                "birth_date": "1955-01-01",
                "insurance": "kokuho",
                "receives_child_allowance": False,
                "care_certified": False,
            }
        ],
    )
    procs = by_id(guide(catalog, s))
    assert set(procs) == {"moving-out-registration", "kokuho-withdraw", "care-insurance-withdraw"}
    assert procs["moving-out-registration"].deadline == date(2026, 12, 4)


def test_move_out_of_a_child_allowance_recipient(catalog):
    s = situation(
        event="move_out",
        event_date=DAY,
        members=[{"role": "self", "receives_child_allowance": True}],
    )
    assert statuses(catalog, s)["child-allowance-end"] == "required"


# --- 婚姻 ---------------------------------------------------------------------------


def test_marriage_has_no_deadline(catalog):
    result = guide(catalog, situation(event="marriage", event_date=DAY, members=[]))
    assert [(p.id, p.deadline) for p in result.procedures] == [("marriage-registration", None)]
    assert "期限はありません" in result.procedures[0].deadline_rule
    assert result.questions == []


# --- 死亡 ---------------------------------------------------------------------------


@pytest.fixture
def tanaka_death() -> Situation:
    """田中さんの父(82歳・世帯主・後期高齢者医療・要介護)が 2026-11-20 に亡くなった。"""
    return situation(
        event="death",
        event_date=DAY,
        owns_real_estate=True,
        has_dog=False,
        single_parent=False,
        members=[
            {
                "role": "deceased",
                "birth_date": "1944-02-10",
                "insurance": "kouki",
                "head_of_household": True,
                "care_certified": True,
                "receives_child_allowance": False,
                "receives_pension": True,
                "pension_kind": "employees",
            },
            {"role": "self", "birth_date": "1970-08-08", "insurance": "shaho"},
            {"role": "spouse", "birth_date": "1972-12-12", "insurance": "shaho"},
        ],
    )


def test_tanaka_death_checklist(catalog, tanaka_death):
    procs = by_id(guide(catalog, tanaka_death))
    assert {k: p.status for k, p in procs.items()} == {
        "death-registration": "required",
        "cremation-permit": "required",
        "head-of-household-change": "required",
        "kouki-withdraw": "required",
        "kouki-funeral-expenses": "required",
        "care-insurance-withdraw": "required",
        "property-heir-notice": "required",
        "pension-death-notice": "required",
        "pension-unpaid-claim": "required",
        # Issue 12: the city crematorium, the present owners of the land, the refund of
        # high medical costs to the heirs; a disability certificate and a moped not yet told.
        "crematorium-use": "required",
        "property-current-owner-notice": "required",
        "high-cost-medical-heirs": "optional",
        "disability-certificate-return": "may_apply",
        "welfare-medical-card-return": "may_apply",
        "moped-deregistration": "may_apply",
    }
    assert procs["death-registration"].deadline == date(2026, 11, 26)
    # The pension office is the place, not the city hall.
    assert procs["pension-death-notice"].department_id == "nenkin-jimusho"
    assert "市役所ではありません" in procs["pension-unpaid-claim"].place
    assert procs["cremation-permit"].deadline == date(2026, 11, 26)  # with the death registration
    assert procs["head-of-household-change"].deadline == date(2026, 12, 4)
    assert "残る世帯員のうち15歳以上の方が2人以上いる" in procs["head-of-household-change"].reasons


def test_head_of_household_change_needs_two_remaining_aged_15(catalog, tanaka_death):
    members = [m.model_dump() for m in tanaka_death.members]
    members[2]["birth_date"] = "2012-01-01"  # the second one left is 14
    s = situation(**(tanaka_death.model_dump() | {"members": members}))
    assert "head-of-household-change" not in statuses(catalog, s)


def test_kokuho_death_gets_funeral_expenses_without_a_date(catalog):
    s = situation(
        event="death",
        event_date=DAY,
        members=[
            {
                "role": "deceased",
                "birth_date": "1960-01-01",
                "insurance": "kokuho",
                "head_of_household": False,
                "care_certified": False,
                "receives_child_allowance": False,
            }
        ],
    )
    procs = by_id(guide(catalog, s))
    assert procs["kokuho-withdraw"].status == "required"
    assert procs["kokuho-funeral-expenses"].deadline is None
    assert "2年" in procs["kokuho-funeral-expenses"].deadline_rule


# --- Questions and answers ------------------------------------------------------------


def test_answering_the_questions_settles_every_open_procedure(catalog):
    s = situation(event="move_in", event_date=DAY, members=[{"role": "self"}])
    result = guide(catalog, s)
    assert result.questions
    answers = {
        "birth_date": date(1990, 5, 5),
        "insurance": "kokuho",
        "has_mynumber_card": True,
        "care_certified": False,
        "receives_child_allowance": False,
        "single_parent": False,
        "has_dog": False,
        "role": "self",
        "has_disability_certificate": False,
        "joins_national_pension": True,
        "moved_from_other_prefecture": False,
        "receives_child_rearing_allowance": False,
        "pregnant": False,
        "sex": "female",  # asked with the pregnancy (not asked of those recorded male)
    }
    for _ in range(5):
        if not result.questions:
            break
        s = with_answers(s, [(q.fact, q.member, answers[q.fact]) for q in result.questions])
        result = guide(catalog, s)
    assert result.questions == []
    assert all(p.status != "may_apply" for p in result.procedures)
    assert {"kokuho-enroll", "pension-type-change", "mynumber-card-address-update"} <= {
        p.id for p in result.procedures
    }


def test_questions_are_only_those_that_change_the_result(catalog, takahashi_birth):
    # Everything that matters is known: a dog or real estate is never asked about a
    # birth, and a household with a spouse listed is not asked if it is a single parent.
    s = situation(**(takahashi_birth.model_dump() | {"single_parent": None}))
    result = guide(catalog, s)
    assert [q.id for q in result.questions] == []
    alone = [m for m in s.model_dump()["members"] if m["role"] != "spouse"]
    s = situation(**(s.model_dump() | {"members": alone}))
    result = guide(catalog, s)
    assert [q.id for q in result.questions] == ["single-parent"]
    assert result.questions[0].decides == ["child-rearing-allowance"]


def test_questions_about_the_deceased_are_in_the_past_tense(catalog):
    s = situation(
        event="death",
        event_date=DAY,
        members=[{"role": "deceased", "birth_date": "1960-01-01"}, {"role": "self"}],
    )
    texts = {(q.id, q.member): q.text for q in guide(catalog, s).questions}
    assert texts[("receives-pension", 0)] == "亡くなった方は年金を受け取っていましたか"
    assert texts[("insurance", 0)] == "亡くなった方の健康保険は何でしたか"
    english = {(q.id, q.member): q.text for q in guide(catalog, s, "en").questions}
    assert english[("insurance", 0)] == "Health insurance: the deceased"


def test_without_an_event_date_there_are_no_dates_and_it_is_asked(catalog):
    result = guide(catalog, situation(event="move_in", members=[{"role": "self"}]))
    assert all(p.deadline is None for p in result.procedures)
    assert result.questions[0].fact == "event_date"


def test_english_names(catalog, takahashi_birth):
    result = run_guide(catalog, takahashi_birth, "en", today=TODAY)
    names = {p.id: p.name for p in result.procedures}
    assert names["birth-registration"] == "Birth registration"
    assert by_id(result)["birth-registration"].department == "Citizens Division"
    assert by_id(result)["birth-registration"].reasons == ["a child was born"]
    # 持ち物 and the legal basis are English too on English pages.
    birth = by_id(result)["birth-registration"]
    assert birth.legal_basis == "Family Register Act Art. 49, Art. 43"
    assert birth.bring[0].startswith("Birth registration form")
    assert all(
        not any("\u3040" <= ch <= "\u30ff" for ch in b) for p in result.procedures for b in p.bring
    )
    japanese = run_guide(catalog, takahashi_birth, "ja", today=TODAY)
    assert by_id(japanese)["birth-registration"].reasons == ["子どもが生まれた"]


def test_nobody_aged_75_or_over_is_asked_about_national_health_insurance(catalog):
    s = situation(
        event="death",
        event_date=DAY,
        members=[
            {"role": "deceased", "birth_date": "1944-02-10"},
            {"role": "self", "birth_date": "1970-01-01"},
        ],
    )
    result = guide(catalog, s)
    procs = by_id(result)
    assert procs["kouki-withdraw"].status == "required"
    assert "kokuho-withdraw" not in procs and "kokuho-funeral-expenses" not in procs
    assert all(q.fact != "insurance" for q in result.questions)


def test_a_certified_member_of_unknown_age_needs_the_care_procedure(catalog):
    # Certification itself implies 40 or over: the unknown age does not leave it open.
    s = situation(
        event="move_in", event_date=DAY, members=[{"role": "self", "care_certified": True}]
    )
    # Since issue 12 the carry-over of a certification is its own procedure (介護保険法36条);
    # joining as a 65-or-over insured person (care-insurance-move-in) still depends on the age.
    assert statuses(catalog, s)["care-certification-transfer"] == "required"


def test_nobody_under_40_is_asked_about_care_certification(catalog):
    s = situation(
        event="move_in", event_date=DAY, members=[{"role": "self", "birth_date": "2000-01-01"}]
    )
    result = guide(catalog, s)
    assert "care-insurance-move-in" not in by_id(result)
    assert all(q.fact != "care_certified" for q in result.questions)


def test_facts_given_without_a_role_still_count(catalog):
    s = situation(event="move_within", event_date=DAY, members=[{"receives_child_allowance": True}])
    assert statuses(catalog, s)["child-allowance-change"] == "required"
    s = situation(event="move_in", event_date=DAY, members=[{"birth_date": "2015-01-01"}])
    assert statuses(catalog, s)["child-medical-subsidy"] == "required"


def test_a_newborn_already_on_national_health_insurance_needs_enrolment(catalog):
    s = situation(
        event="birth",
        event_date=DAY,
        members=[
            {"role": "self", "insurance": "shaho"},
            {"role": "newborn", "insurance": "kokuho"},
        ],
    )
    assert statuses(catalog, s)["kokuho-enroll"] == "required"
    # Without that, the baby's (undecided) insurance is not asked about.
    s = situation(event="birth", event_date=DAY, members=[{"role": "self", "insurance": "shaho"}])
    assert "kokuho-enroll" not in statuses(catalog, s)


@pytest.mark.parametrize(
    "event", ["birth", "move_in", "move_out", "move_within", "marriage", "death"]
)
def test_procedures_found_by_name_are_in_no_checklist(catalog, event):
    by_name = {p.id for p in catalog.procedures.values() if not p.events}
    assert {"care-insurance-card-reissue", "care-certification-application"} <= by_name
    elderly = situation(
        event=event,
        event_date="2026-11-20",
        members=[
            {"role": "self", "birth_date": "1940-01-01", "insurance": "kouki"},
            {"role": "deceased" if event == "death" else "spouse", "birth_date": "1942-01-01"},
        ],
    )
    listed = {p.id for p in run_guide(catalog, elderly, today=TODAY).procedures}
    assert listed and not listed & by_name
