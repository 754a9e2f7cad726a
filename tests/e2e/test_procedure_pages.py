"""Finding a procedure by name on a phone, with and without JavaScript: the search
from the home page, the result, the procedure's page with its 「オンラインで申請」 link."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Guide

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def find_the_care_card(guide: Guide, query: str) -> None:
    page = guide.open("/", "home")
    page.get_by_label("手続きの名前や、ことば").fill(query)
    guide.submit("探す", "search-results")
    expect(page.locator("h2")).to_contain_text(f"「{query}」の手続き")
    guide.click_link("介護保険 被保険者証 再交付", "procedure")
    expect(page.locator("h1")).to_have_text("介護保険 被保険者証 再交付")
    apply = page.get_by_role("link", name="オンラインで申請")
    expect(apply).to_have_attribute("href", "/apply/care-insurance-card-reissue/")
    expect(page.locator("main")).to_contain_text("本人確認が必要です")
    expect(page.locator("main")).to_contain_text("介護保険課")


def test_search_by_half_width_katakana_and_open_the_procedure(guide: Guide):
    find_the_care_card(guide, "ｶｲｺﾞ")


def test_search_without_javascript(nojs_guide: Guide):
    find_the_care_card(nojs_guide, "さいこうふ")


def test_all_procedures_and_nothing_found(guide: Guide):
    page = guide.open("/procedures/", "all-procedures")
    expect(page.locator("h2")).to_have_text("すべての手続き")
    page.get_by_label("手続きの名前や、ことば").fill("うちゅうりょこう")
    guide.submit("探す", "nothing-found")
    expect(page.locator("main")).to_contain_text("見つかりませんでした")
