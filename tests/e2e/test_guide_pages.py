"""The guide as a resident uses it: on a phone, in a real browser.

高橋さん (born 1990-04-01, 国保) has a 2,400 g baby on 2026-11-20; 齊藤さん moves in
with a primary-school child the same day. Every page is checked with axe-core and
photographed into ``test-artifacts/`` (see conftest.py).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import ROOT, Guide

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

README_SCREENSHOT = ROOT / "docs" / "screenshot-guide.png"


def procedure(page: Page, name: str) -> Locator:
    """The checklist entry whose heading is exactly ``name``."""
    return page.locator("li.procedure").filter(
        has=page.get_by_role("heading", name=name, exact=True)
    )


def question(page: Page, text: str) -> Locator:
    return page.get_by_role("group", name=text, exact=True)


def answer(page: Page, text: str, choice: str) -> None:
    question(page, text).get_by_label(choice, exact=True).check()


def start(guide: Guide, event_name: str, name: str) -> Page:
    """From the home page, choose the life event by its link."""
    guide.open("/", "home")
    return guide.click_link(event_name, name)


def fill_birth_start(page: Page) -> None:
    page.fill("input[name=event_date]", "2026-11-20")
    page.fill("input[name=m-0-birth_date]", "1990-04-01")


def answer_birth_questions(page: Page) -> None:
    answer(page, "本人の健康保険は何ですか", "国民健康保険")
    page.get_by_label("生まれた子の出生体重は何グラムですか").fill("2400")
    # A spouse is listed, so the guide does not ask whether this is a single parent.
    expect(question(page, "ひとり親の家庭ですか")).to_have_count(0)
    # One question per parent (「本人は児童手当を受け取っていますか」, 「配偶者は…」).
    allowance = page.get_by_role("group", name=re.compile("児童手当を受け取っていますか"))
    expect(allowance.first).to_be_visible()
    for group in allowance.all():
        group.get_by_label("いいえ", exact=True).check()


def assert_birth_checklist(page: Page) -> None:
    required = page.locator("section.checklist").filter(
        has=page.get_by_role("heading", name="必要な手続き")
    )
    birth = procedure(page, "出生届")
    expect(birth).to_have_count(1)
    expect(birth.locator(".deadline")).to_contain_text("2026年12月3日(木)")

    allowance = procedure(page, "児童手当 認定請求")
    expect(allowance).to_have_count(1)
    deadline = allowance.locator(".deadline")
    expect(deadline).to_contain_text("2026年12月7日(月)")
    expect(deadline).to_contain_text("12月5日が閉庁日(土曜日)")

    expect(procedure(page, "低体重児の届出")).to_have_count(1)
    expect(procedure(page, "出産育児一時金 支給申請")).to_have_count(1)
    # Once answered, these are no longer "maybe": they are in the required list.
    for name in ("出生届", "児童手当 認定請求", "低体重児の届出", "出産育児一時金 支給申請"):
        expect(required.locator("li.procedure h3").filter(has_text=name)).to_have_count(1)


def test_birth_walk_on_a_phone_gives_checklist_and_pdf(guide: Guide, tmp_path: Path):
    page = start(guide, "子どもが生まれた", "birth-start")
    assert page.url.endswith("/guide/birth/")
    expect(page.get_by_role("heading", level=1)).to_have_text("子どもが生まれた")

    fill_birth_start(page)
    guide.submit("必要な手続きを調べる", "birth-questions")
    expect(page.get_by_role("heading", level=1)).to_have_text("やることリスト")
    expect(page.locator(".summary")).to_contain_text("2026年11月20日(金)")
    expect(question(page, "本人の健康保険は何ですか")).to_be_visible()
    # Not answered yet: 出生届 is certain, the allowance still depends on the answers.
    expect(procedure(page, "出生届").locator(".deadline")).to_contain_text("2026年12月3日(木)")

    answer_birth_questions(page)
    guide.submit("回答して結果を更新する", "birth-result")
    assert_birth_checklist(page)

    # The README's picture: the answered checklist as a phone shows it.
    page.evaluate("window.scrollTo(0, 0)")
    picture = page.screenshot(animations="disabled", caret="hide")
    README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    if not README_SCREENSHOT.exists() or README_SCREENSHOT.read_bytes() != picture:
        README_SCREENSHOT.write_bytes(picture)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="PDFで保存する").click()
    download = download_info.value
    assert download.suggested_filename == "checklist-birth-2026-11-20.pdf"
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF"), data[:32]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "出生届" in text
    assert "2026年12月3日(木)" in text


def test_move_in_with_a_school_child(guide: Guide):
    page = start(guide, "他の市区町村から引っ越してきた", "move-in-start")
    assert page.url.endswith("/guide/move_in/")

    page.fill("input[name=event_date]", "2026-11-20")
    page.fill("input[name=m-0-birth_date]", "1985-05-05")
    # The first empty row gets the child.
    empty_row = next(
        i for i in range(1, 10) if page.locator(f"select[name=m-{i}-role]").input_value() == ""
    )
    page.select_option(f"select[name=m-{empty_row}-role]", "child")
    page.fill(f"input[name=m-{empty_row}-birth_date]", "2016-07-01")
    guide.submit("必要な手続きを調べる", "move-in-questions")
    expect(page.get_by_role("heading", level=1)).to_have_text("やることリスト")

    answer(page, "本人の健康保険は何ですか", "勤め先の健康保険(社会保険)")
    answer(page, "本人はマイナンバーカードを持っていますか", "はい")
    answer(page, "犬を飼っていますか", "いいえ")
    guide.submit("回答して結果を更新する", "move-in-result")

    moving_in = procedure(page, "転入届")
    expect(moving_in).to_have_count(1)
    expect(moving_in.locator(".deadline")).to_contain_text("2026年12月4日(金)")
    school = procedure(page, "小中学校 転入学手続き")
    expect(school).to_have_count(1)
    expect(school).to_contain_text("小学生・中学生の年齢(学齢)の子どもがいる")
    # No dog: its registration is gone from the list altogether.
    expect(procedure(page, "犬の登録事項変更")).to_have_count(0)
    # A card holder: updating its address is now required, not "maybe".
    required = page.locator("section.checklist").filter(
        has=page.get_by_role("heading", name="必要な手続き")
    )
    expect(
        required.locator("li.procedure").filter(
            has=page.get_by_role("heading", name="マイナンバーカード 継続利用・住所変更")
        )
    ).to_have_count(1)


def test_impossible_date_is_reported_in_japanese_and_nothing_is_lost(guide: Guide):
    page = guide.open("/guide/birth/", "birth-start")
    page.fill("input[name=m-0-birth_date]", "1990-04-01")
    page.select_option("select[name=m-1-role]", "spouse")
    page.fill("input[name=m-1-birth_date]", "1991-02-28")
    # A browser without a date picker (or a resident typing) can send 2026-02-30;
    # a type=date input would refuse the value, so make it a plain text box first.
    page.locator("input[name=event_date]").evaluate(
        "el => { el.type = 'text'; el.value = '2026-02-30'; }"
    )
    guide.submit("必要な手続きを調べる", "bad-date")

    expect(page.get_by_role("heading", level=1)).to_have_text("子どもが生まれた")
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("入力内容を確認してください")
    expect(summary).to_contain_text("「2026-02-30」という日付はありません")
    field_error = page.locator("#id_event_date-error")
    expect(field_error).to_be_visible()
    expect(field_error).to_have_text("「2026-02-30」という日付はありません")
    date_input = page.locator("input[name=event_date]")
    expect(date_input).to_have_attribute("aria-invalid", "true")
    expect(date_input).to_have_attribute(
        "aria-describedby", "id_event_date-hint id_event_date-error"
    )

    # The rest of the household is as it was typed.
    expect(page.locator("select[name=m-0-role]")).to_have_value("self")
    expect(page.locator("input[name=m-0-birth_date]")).to_have_value("1990-04-01")
    expect(page.locator("select[name=m-1-role]")).to_have_value("spouse")
    expect(page.locator("input[name=m-1-birth_date]")).to_have_value("1991-02-28")
    expect(page.locator("select[name=m-2-role]")).to_have_value("newborn")

    # Correcting only the date is enough to go on.
    page.fill("input[name=event_date]", "2026-11-20")
    guide.submit("必要な手続きを調べる", "bad-date-corrected")
    expect(page.get_by_role("heading", level=1)).to_have_text("やることリスト")


def test_birth_date_without_role_is_reported_and_nothing_is_lost(guide: Guide):
    page = guide.open("/guide/birth/", "birth-start")
    fill_birth_start(page)
    empty_row = next(
        i for i in range(1, 10) if page.locator(f"select[name=m-{i}-role]").input_value() == ""
    )
    page.fill(f"input[name=m-{empty_row}-birth_date]", "2016-07-01")
    guide.submit("必要な手続きを調べる", "birth-date-without-role")

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    problem = summary.get_by_role(
        "link", name=f"{empty_row + 1}人目 続柄: 生年月日を入れた方の続柄を選んでください"
    )
    expect(problem).to_be_visible()
    # The summary leads to the field to fix: this row's 続柄.
    expect(problem).to_have_attribute("href", f"#id_m-{empty_row}-role")
    expect(page.locator("input[name=event_date]")).to_have_value("2026-11-20")
    expect(page.locator("input[name=m-0-birth_date]")).to_have_value("1990-04-01")
    expect(page.locator(f"input[name=m-{empty_row}-birth_date]")).to_have_value("2016-07-01")
    expect(page.locator(f"select[name=m-{empty_row}-role]")).to_have_value("")
    # The row itself says what is wrong, and the select is marked invalid.
    expect(page.locator(f"select[name=m-{empty_row}-role]")).to_have_attribute(
        "aria-invalid", "true"
    )


def test_birth_walk_works_without_javascript(nojs_guide: Guide):
    page = nojs_guide.page
    # Sanity: page script really is off in this context.
    probe = page.context.new_page()
    probe.set_content("<title>no</title><script>document.title = 'js'</script>")
    assert probe.title() == "no"
    probe.close()

    start(nojs_guide, "子どもが生まれた", "birth-start")
    fill_birth_start(page)
    nojs_guide.submit("必要な手続きを調べる", "birth-questions")
    expect(page.get_by_role("heading", level=1)).to_have_text("やることリスト")

    answer_birth_questions(page)
    nojs_guide.submit("回答して結果を更新する", "birth-result")
    assert_birth_checklist(page)
