"""A resident's account on a phone: sign up, the code from the mail (a real SMTP
server), MyPage, the household profile, sign out — with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Guide

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "nakamura@example.jp"
PASSWORD = "yuuhi-no-oka-2026"


def code_in(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text)[1]


def walk(guide: Guide, smtp_server) -> None:
    page = guide.open("/", "home")
    guide.click_link("ログイン", "login")
    guide.click_link("こちらからユーザー登録", "signup")
    page.get_by_label("メールアドレス").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    guide.submit("ユーザー登録", "code")
    (mail,) = smtp_server.wait_for(1)
    page.get_by_label("確認コード(6けたの数字)").fill(code_in(smtp_server.text(mail)))
    guide.submit("確認する", "mypage-new")
    expect(page.get_by_role("heading", level=1)).to_have_text("マイページ")
    guide.click_link("プロフィールを入れる", "profile-empty")
    page.locator("#id_family_name").fill("中村")
    page.locator("#id_given_name").fill("花子")
    page.locator("#id_family_name_kana").fill("ナカムラ")
    page.locator("#id_given_name_kana").fill("はなこ")
    page.locator("#id_postal_code").fill("１００－０００１")
    guide.submit("住所を入れる", "profile-address")
    expect(page.locator("#id_address")).to_have_value("東京都千代田区千代田")
    page.locator("#id_address").fill("東京都千代田区千代田1-1")
    guide.submit("世帯員を追加する", "profile-member")
    page.locator("#id_m-0-role").select_option("spouse")
    guide.submit("保存する", "mypage-saved")
    expect(page.get_by_text("世帯のプロフィールを保存しました")).to_be_visible()
    expect(page.get_by_text("なかむら はなこ")).to_be_visible()
    guide.submit("ログアウト", "signed-out")
    expect(page.get_by_role("link", name="ログイン")).to_be_visible()


def test_sign_up_verify_profile_sign_out_on_a_phone(guide: Guide, smtp_server):
    walk(guide, smtp_server)


def test_the_same_without_javascript(nojs_guide: Guide, smtp_server):
    walk(nojs_guide, smtp_server)
