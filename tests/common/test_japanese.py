from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.common.japanese import (
    NoSuchDate,
    era_date,
    era_parts,
    format_date,
    normalize,
    parse_date,
    wareki,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", date(2026, 11, 20)),
        ("2026/11/20", date(2026, 11, 20)),
        ("２０２６年１１月２０日", date(2026, 11, 20)),
        ("令和8年11月20日", date(2026, 11, 20)),
        ("令和８年１１月２０日", date(2026, 11, 20)),
        ("R8.11.20", date(2026, 11, 20)),
        ("r8/11/20", date(2026, 11, 20)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("S64.1.7", date(1989, 1, 7)),
        ("H1.1.8", date(1989, 1, 8)),
        ("昭和20年8月15日", date(1945, 8, 15)),
    ],
)
def test_dates_as_residents_write_them(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2026-02-30", "という日付はありません"),
        ("平成31年5月1日", "元号と年を確認"),  # 平成 ended on 4/30
        ("S64.1.8", "元号と年を確認"),  # 昭和 ended on 1/7
        ("きのう", "日付として読めません"),
    ],
)
def test_impossible_dates_are_explained(text, words):
    with pytest.raises(ValueError) as caught:
        parse_date(text)
    assert words in str(caught.value)


def test_wareki_and_display():
    assert wareki(date(2019, 5, 1)) == "令和元年5月1日"
    assert wareki(date(2026, 12, 3)) == "令和8年12月3日"
    assert wareki(date(1989, 1, 7)) == "昭和64年1月7日"
    assert format_date(date(2026, 12, 3)) == "2026年12月3日(木)"
    assert format_date(date(2026, 12, 3), "en") == "Thu 3 Dec 2026"


@given(st.dates(min_value=date(1912, 8, 1), max_value=date(2100, 12, 31)))
def test_wareki_round_trips(day):
    assert parse_date(wareki(day)) == day


def test_normalize_width():
    assert normalize(" ＡＢＣ１２３ ｶﾀｶﾅ ") == "ABC123 カタカナ"


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("昭和", 17, 3, 5), date(1942, 3, 5)),
        (("昭和", 64, 1, 7), date(1989, 1, 7)),
        (("平成", 1, 1, 8), date(1989, 1, 8)),
        (("令和", 1, 5, 1), date(2019, 5, 1)),
        (("西暦", 2026, 11, 20), date(2026, 11, 20)),
    ],
)
def test_era_dates_from_the_four_boxes(parts, expected):
    assert era_date(*parts) == expected


@pytest.mark.parametrize(
    ("parts", "reason", "said"),
    [
        (("昭和", 65, 1, 1), "after_era", "昭和は昭和64年1月7日までで、次の日から平成です"),
        (("平成", 31, 5, 1), "after_era", "平成は平成31年4月30日までで、次の日から令和です"),
        (("令和", 1, 4, 30), "before_era", "令和は令和元年5月1日からです"),
        (("令和", 8, 2, 30), "no_such_day", "令和8年2月30日という日はありません"),
        (("西暦", 2026, 2, 30), "no_such_day", "2026年2月30日という日はありません"),
    ],
)
def test_era_dates_that_do_not_exist_say_why(parts, reason, said):
    with pytest.raises(NoSuchDate) as caught:
        era_date(*parts)
    assert caught.value.reason == reason
    assert said in str(caught.value)


@given(st.dates(min_value=date(1873, 1, 1), max_value=date(2199, 12, 31)))
def test_era_parts_round_trip(day):
    assert era_date(*era_parts(day)) == day


def test_jdate_of_a_moment_is_the_day_in_japan(settings):
    """本人確認 at 00:40 on 30 November in Japan is 15:40 on the 29th in UTC; MyPage
    said 「11月29日に本人確認をしました」 next to a receipt of 11月30日 00:40."""
    from datetime import UTC, datetime

    from madoguchi.common.templatetags.japanese import jdate, jdatetime

    settings.TIME_ZONE = "Asia/Tokyo"
    moment = datetime(2026, 11, 29, 15, 40, tzinfo=UTC)
    assert jdatetime(moment) == "2026年11月30日(月) 00:40"
    assert jdate(moment) == "2026年11月30日(月)"
