"""Issue 12, moving in, out and within: what the guide lists, asks and dates after the
example catalogue was compared with municipalities' own pages."""

import re
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest

from madoguchi.catalog.loader import load
from madoguchi.catalog.situation import with_answers
from tests.catalog.checklist import asked, by_id, guide
from tests.conftest import situation

DAY = "2026-11-20"

MOVES = [
    "moving-in-registration",
    "moving-out-registration",
    "moving-within-registration",
    "mynumber-card-address-update",
    "kokuho-enroll",
    "kouki-enroll",
    "kouki-address-change",
    "kouki-move-out",
    "care-insurance-move-in",
    "care-certification-transfer",
    "pension-type-change",
    "school-transfer",
    "school-leaving-certificates",
    "school-entry-next-april",
    "seal-registration",
    "dog-registration-change",
    "dog-registration-change-microchip",
    "disability-certificate-address-change",
    "water-service",
]


def set_option(city: Path, name: str, value: bool) -> None:
    path = city / "municipality.yaml"
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(rf"(?m)^(  {name}): \w+$", rf"\1: {str(value).lower()}", text)
    assert n == 1
    path.write_text(new, encoding="utf-8")


# --- Sources and plain names -----------------------------------------------------------


def test_every_move_procedure_names_its_law_and_official_pages(catalog, city):
    # Both variants of each option: the example (options off) and a copy with them on.
    set_option(city, "dog_microchip_tokurei", True)
    set_option(city, "city_water_service", True)
    procedures = catalog.procedures | load(city).procedures
    for pid in MOVES:
        proc = procedures[pid]
        assert proc.sources is not None and proc.sources.law, pid
        assert proc.plain_name is not None, pid
        assert proc.sources.pages, pid
        for page in proc.sources.pages:
            assert urlparse(page.url).hostname.endswith(".jp"), (pid, page.url)
            assert page.checked >= date(2026, 11, 29), (pid, page.url)


# --- 犬: the change notice, and the microchip 特例 ---------------------------------------


def dog_owner(event="move_in"):
    return situation(event=event, event_date=DAY, has_dog=True, members=[{"role": "self"}])


def test_the_dog_change_notice_cites_the_change_article_not_the_tag_reissue(catalog):
    dog = by_id(guide(catalog, dog_owner()))["dog-registration-change"]
    assert "施行規則第9条" in dog.legal_basis
    assert "第6条" not in dog.legal_basis
    assert dog.deadline == date(2026, 12, 21)  # 30 days (12/20 is a Sunday)


def test_without_the_microchip_tokurei_the_change_goes_to_the_city(catalog):
    procs = by_id(guide(catalog, dog_owner("move_within")))
    assert "dog-registration-change-microchip" not in procs
    assert procs["dog-registration-change"].department == "環境衛生課"


def test_under_the_microchip_tokurei_the_change_goes_to_the_national_database(city):
    set_option(city, "dog_microchip_tokurei", True)
    procs = by_id(guide(load(city), dog_owner()))
    assert "dog-registration-change" not in procs
    chip = procs["dog-registration-change-microchip"]
    assert chip.status == "required"
    assert "マイクロチップ情報登録" in chip.online_note
    assert "39条の7" in chip.legal_basis
    assert chip.deadline == date(2026, 12, 21)


# --- 国民年金: only when joining -----------------------------------------------------------


def mover(**member):
    return situation(event="move_in", event_date=DAY, members=[{"role": "self", **member}])


def test_an_address_change_alone_needs_no_pension_procedure(catalog):
    s = mover(birth_date="1990-01-01", insurance="kokuho", joins_national_pension=False)
    assert "pension-type-change" not in by_id(guide(catalog, s))


def test_joining_the_national_pension_is_asked_and_then_required(catalog):
    s = mover(birth_date="1990-01-01", insurance="kokuho")
    result = guide(catalog, s)
    assert by_id(result)["pension-type-change"].status == "may_apply"
    assert "pension-type-change" in asked(result)["joins_national_pension"]
    s = with_answers(s, [("joins_national_pension", 0, True)])
    pension = by_id(guide(catalog, s))["pension-type-change"]
    assert pension.status == "required"
    # Counted from the day the status changed, not the move: no date is printed.
    assert pension.promptly and pension.deadline is None
    assert "会社をやめた" in pension.plain_name


def test_an_employee_is_not_asked_about_joining(catalog):
    result = guide(catalog, mover(birth_date="1990-01-01", insurance="shaho"))
    assert "joins_national_pension" not in asked(result)


# --- 後期高齢者医療: the 負担区分等証明書 only from another prefecture ------------------------


def elderly(**household):
    return situation(
        event="move_in",
        event_date=DAY,
        members=[{"role": "self", "birth_date": "1945-05-05", "insurance": "kouki"}],
        **household,
    )


def test_the_previous_prefecture_is_asked_only_of_a_household_with_a_kouki_member(catalog):
    result = guide(catalog, elderly())
    assert set(asked(result)["moved_from_other_prefecture"]) == {
        "kouki-enroll",
        "kouki-address-change",
    }
    young = guide(catalog, mover(birth_date="1990-01-01", insurance="shaho"))
    assert "moved_from_other_prefecture" not in asked(young)


def test_from_another_prefecture_the_certificate_is_brought(catalog):
    procs = by_id(guide(catalog, elderly(moved_from_other_prefecture=True)))
    assert "kouki-address-change" not in procs
    enrol = procs["kouki-enroll"]
    assert enrol.status == "required"
    assert any("負担区分等証明書" in b and "前の住所の市区町村" in b for b in enrol.bring)
    assert enrol.deadline == date(2026, 12, 4)


def test_from_within_gunma_no_certificate_is_asked_for(catalog):
    procs = by_id(guide(catalog, elderly(moved_from_other_prefecture=False)))
    assert "kouki-enroll" not in procs
    change = procs["kouki-address-change"]
    assert change.status == "required"
    assert not any("負担区分等証明書" in b for p in procs.values() for b in p.bring)


def test_a_kouki_member_moving_out_of_gunma_is_given_the_certificate(catalog):
    s = situation(
        event="move_out",
        event_date=DAY,
        members=[{"role": "self", "birth_date": "1945-05-05", "insurance": "kouki"}],
    )
    out = by_id(guide(catalog, s))["kouki-move-out"]
    assert "負担区分等証明書" in out.explanation and "渡します" in out.explanation
    assert "県外" in out.plain_name


# --- 介護保険: the 受給資格証明書 only when certified ----------------------------------------


def test_the_certification_carry_over_is_asked_only_of_the_certified(catalog):
    uncertified = by_id(
        guide(catalog, mover(birth_date="1950-01-01", insurance="kouki", care_certified=False))
    )
    assert uncertified["care-insurance-move-in"].status == "required"
    assert "care-certification-transfer" not in uncertified
    assert not any("受給資格証明書" in b for b in uncertified["care-insurance-move-in"].bring)

    certified = by_id(
        guide(catalog, mover(birth_date="1950-01-01", insurance="kouki", care_certified=True))
    )
    carry = certified["care-certification-transfer"]
    assert carry.status == "required"
    assert carry.deadline == date(2026, 12, 4)  # 介護保険法36条: 14 days
    assert any("前の市区町村の介護保険の窓口でもらう" in b for b in carry.bring)


# --- 学校 ------------------------------------------------------------------------------


def family(event):
    return situation(
        event=event,
        event_date=DAY,
        members=[
            {"role": "self", "birth_date": "1985-05-05"},
            {"role": "child", "birth_date": "2016-06-06"},
        ],
    )


def test_the_school_transfer_notice_has_one_issuer(catalog):
    transfer = by_id(guide(catalog, family("move_in")))["school-transfer"]
    assert transfer.department == "学校教育課"
    text = transfer.explanation + " ".join(transfer.bring)
    assert "学校教育課で" in text and "転入学通知書" in text
    assert not any("転入学通知書" in b for b in transfer.bring)  # given, not brought
    assert "市民課での届出のときに受け取ります" not in text


def test_before_moving_out_the_current_school_gives_its_certificates(catalog):
    procs = by_id(guide(catalog, family("move_out")))
    papers = procs["school-leaving-certificates"]
    assert papers.status == "required"
    assert "市役所ではありません" in papers.place
    assert "在学証明書" in papers.explanation and "教科書給与証明書" in papers.explanation
    assert "school-transfer" not in procs


# --- 転出・転居・転入 -----------------------------------------------------------------------


def test_moving_out_says_what_is_local_practice_and_what_ends_by_itself(catalog):
    out = by_id(guide(catalog, family("move_out")))["moving-out-registration"]
    assert "30日前" in out.deadline_rule and "マイナポータル" in out.deadline_rule
    assert out.deadline == date(2026, 12, 4)
    assert "印鑑登録は転出届で自動的に廃止" in out.explanation
    assert any("印鑑登録証" in b for b in out.bring)
    assert any("子ども医療費" in b for b in out.bring)


def test_moving_within_asks_for_the_insurance_and_medical_cards(catalog):
    within = by_id(guide(catalog, family("move_within")))["moving-within-registration"]
    bring = " ".join(within.bring)
    for card in ("国民健康保険", "後期高齢者医療", "子ども医療費", "保険証の代わりに届いたカード"):
        assert card in bring


def test_the_card_based_move_in_has_both_limits(catalog):
    procs = by_id(guide(catalog, mover(birth_date="1990-01-01", has_mynumber_card=True)))
    registration = procs["moving-in-registration"]
    assert "30日以内" in registration.deadline_rule
    assert registration.deadline == date(2026, 12, 4)
    card = procs["mynumber-card-address-update"]
    assert "署名用電子証明書" in card.explanation and "照会書" in card.explanation
    assert "同じ世帯" in card.explanation
    assert any("6〜16文字" in b for b in card.bring)


# --- 障害者手帳・福祉医療 --------------------------------------------------------------------


@pytest.mark.parametrize("event", ["move_in", "move_within"])
def test_a_disability_certificate_is_asked_about_and_then_required(catalog, event):
    s = situation(event=event, event_date=DAY, members=[{"role": "self"}])
    result = guide(catalog, s)
    assert "disability-certificate-address-change" in asked(result)["has_disability_certificate"]
    s = with_answers(s, [("has_disability_certificate", 0, True)])
    proc = by_id(guide(catalog, s))["disability-certificate-address-change"]
    assert proc.status == "required"
    assert proc.department == "障害福祉課"
    assert "福祉医療" in proc.explanation


# --- 水道 ------------------------------------------------------------------------------


def test_where_the_water_is_not_the_citys_it_is_one_line_under_other_offices(catalog):
    result = guide(catalog, family("move_in"))
    assert "water-service" not in by_id(result)
    others = {o.id: o for o in result.other_offices}
    assert "企業団" in others["water-supply-authority"].where


def test_a_town_that_runs_its_water_lists_it_as_its_own_procedure(city):
    set_option(city, "city_water_service", True)
    water = by_id(guide(load(city), family("move_out")))["water-service"]
    assert water.department == "水道課"
    assert water.deadline is None and "3日前" in water.deadline_rule
