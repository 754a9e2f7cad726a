"""満年齢 (年齢計算ニ関スル法律) and the fiscal-year age used for 18歳年度末 and 学齢."""

from datetime import date

import polars as pl
import pytest

from madoguchi.catalog.facts import derived_member_columns


def ages(born: date, on: date) -> tuple[int, int]:
    frame = pl.DataFrame({"birth_date": [born], "event_date": [on]})
    row = frame.select(derived_member_columns(pl.col("event_date"))).row(0)
    return row[0], row[1]


def age(born: date, on: date) -> int:
    """満年齢 (年齢計算ニ関スル法律), as the rules derive ``age``."""
    return ages(born, on)[0]


def test_one_is_a_year_older_from_the_day_before_the_birthday():
    born = date(1961, 11, 21)
    assert age(born, date(2026, 11, 19)) == 64
    assert age(born, date(2026, 11, 20)) == 65  # 65歳に達する日
    assert age(born, date(2026, 11, 21)) == 65


def test_leap_day_birthdays_age_on_february_28th():
    born = date(2008, 2, 29)
    assert age(born, date(2026, 2, 27)) == 17
    assert age(born, date(2026, 2, 28)) == 18


@pytest.mark.parametrize(
    ("born", "on", "fiscal_age"),
    [
        # Turns 18 in June 2026: still counted as under 18 until 2027-03-31.
        (date(2008, 6, 1), date(2027, 3, 31), 17),
        (date(2008, 6, 1), date(2027, 4, 1), 18),
        # Born 4/1: reaches 18 on 3/31 (the day before) → its year ends that very day.
        (date(2008, 4, 1), date(2026, 3, 31), 17),
        (date(2008, 4, 1), date(2026, 4, 1), 18),
        # Born 4/2: reaches 18 on 4/1, inside the new fiscal year → under 18 all year.
        (date(2008, 4, 2), date(2027, 3, 31), 17),
        # 早生まれ: born 2019-04-01 is in the school year that starts 2025-04-01 (age 6).
        (date(2019, 4, 1), date(2025, 4, 1), 6),
        (date(2019, 4, 2), date(2025, 4, 1), 5),
    ],
)
def test_fiscal_age_is_the_age_reached_before_the_fiscal_year_began(born, on, fiscal_age):
    assert ages(born, on)[1] == fiscal_age


def test_unknown_birth_date_gives_unknown_ages():
    frame = pl.DataFrame(
        {"birth_date": [None], "event_date": [date(2026, 11, 20)]},
        schema={"birth_date": pl.Date, "event_date": pl.Date},
    )
    row = frame.select(derived_member_columns(pl.col("event_date"))).row(0)
    assert row == (None, None)


def test_every_fact_is_defined_once_with_its_labels():
    from madoguchi.catalog.facts import ALL_FIELDS, HOUSEHOLD_FACTS, MEMBER_FACTS
    from madoguchi.common.errors_ja import field_label

    for fact in [*ALL_FIELDS.values(), *HOUSEHOLD_FACTS.values(), *MEMBER_FACTS.values()]:
        assert fact.label_ja and fact.label_en, fact.name
        assert fact.label_ja != fact.name
    # The error messages' names come from the same definition.
    assert field_label(("members", 0, "insurance")).endswith(ALL_FIELDS["insurance"].label_ja)
    assert MEMBER_FACTS["role"].choice_label("deceased") == "亡くなった方"
    assert MEMBER_FACTS["role"].choice_label("deceased", "en") == "the deceased"


def test_the_catalogue_guide_shows_the_facts_as_defined():
    """docs/catalogue.md's table is the one ``./dev catalog facts`` makes."""
    import re
    from pathlib import Path

    from madoguchi.catalog.facts import facts_markdown

    docs = (Path(__file__).resolve().parents[2] / "docs" / "catalogue.md").read_text()
    block = re.search(r"<!-- facts:begin[^\n]*-->\n(.*?)<!-- facts:end -->", docs, re.S)
    assert block and block.group(1) == facts_markdown()
