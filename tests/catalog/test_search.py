"""Finding a procedure by name: かな・カナ・漢字、全角・半角 alike."""

import pytest

from madoguchi.catalog.loader import load
from madoguchi.catalog.search import (
    all_procedures,
    hit,
    normalise,
    reading,
    search_procedures,
)
from tests.catalog.test_loader import edit

REISSUE = "care-insurance-card-reissue"


def ids(catalog, query):
    return [p.id for p in search_procedures(catalog, query)]


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("ｶｲｺﾞ ﾎｹﾝ", "かいごほけん"),
        ("カイゴ", "かいご"),
        ("ＫＯＫＵＨＯ", "kokuho"),
        ("要介護・要支援", "要介護要支援"),
        ("デイサービス", "でいさーびす"),
    ],
)
def test_normalise(written, normal):
    assert normalise(written) == normal


def test_reading_of_kanji():
    assert reading("再交付") == "さいこうふ"
    assert reading("かいご") == "かいご"


@pytest.mark.parametrize("query", ["かいご", "カイゴ", "ｶｲｺﾞ", "介護", "さいこうふ", "ｻｲｺｳﾌ"])
def test_kana_katakana_kanji_and_half_width_find_the_reissue(catalog, query):
    assert REISSUE in ids(catalog, query)


def test_keywords_find_what_the_name_does_not_say(catalog):
    # 「保険証」「なくした」 are in the procedure's keywords, not in its name.
    assert ids(catalog, "なくした")[0] == REISSUE
    assert REISSUE in ids(catalog, "保険証")


def test_a_keyword_mends_a_wrong_reading(catalog):
    # pykakasi reads 要介護 as 「ようすけご」; the YAML's keywords add 「ようかいご」.
    assert reading("要介護") != "ようかいご"
    assert ids(catalog, "ようかいご") == ["care-certification-application"]


def test_every_term_must_match(catalog):
    assert ids(catalog, "かいご さいこうふ") == [REISSUE]
    assert ids(catalog, "かいご いぬ") == []


def test_a_reading_matches_only_from_the_start_of_a_word(catalog):
    # 世帯主(せたい|ぬし)holds 「いぬ」 in the middle of its reading: not a dog.
    assert ids(catalog, "いぬ") == ["dog-registration-change"]
    assert ids(catalog, "犬") == ["dog-registration-change"]


def test_the_name_itself_ranks_first(catalog):
    assert ids(catalog, "転出届")[0] == "moving-out-registration"
    assert ids(catalog, "てんしゅつ")[0] == "moving-out-registration"


def test_english_names_are_found(catalog):
    assert "kokuho-enroll" in ids(catalog, "national health insurance")


def test_an_empty_query_finds_nothing(catalog):
    assert ids(catalog, "") == []
    assert ids(catalog, " \u3000 ") == []


def test_all_procedures_in_reading_order(catalog):
    listed = all_procedures(catalog)
    assert len(listed) == len(catalog.procedures)
    readings = [reading(p.name.ja) for p in listed]
    assert readings == sorted(readings)


def test_the_index_is_built_once_per_catalogue(catalog):
    search_procedures(catalog, "かいご")
    index = catalog.derived["search_index"]
    search_procedures(catalog, "いぬ")
    assert catalog.derived["search_index"] is index


def test_a_procedure_not_offered_is_not_found(city):
    edit(city / "municipality.yaml", "dog_microchip_tokurei: false", "dog_microchip_tokurei: true")
    town = load(city)
    found = ids(town, "いぬ")
    assert "dog-registration-change" not in found
    assert "dog-registration-change-microchip" in found


def test_hit(catalog):
    found = hit(catalog, catalog.procedures[REISSUE], "en")
    assert found.name == "Reissue of the long-term care insurance card"
    assert found.department == "Long-term Care Insurance Division"
    assert found.has_form and found.requires_identity
    assert found.url == f"/procedures/{REISSUE}/"
