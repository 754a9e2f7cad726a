"""The counter on a tablet: 総合窓口's clerk 森さん signs in (password, TOTP), opens
today's visits from the staff link, starts a visit (its number shown large), calls
the next to her window, and the hall's waiting display shows the number with the
window, then refreshes only its numbers by itself. Without JavaScript the same
steps work with plain forms, and the display reloads itself. axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from madoguchi.counter import tickets
from madoguchi.counter.models import Visit, VisitKind
from tests.backoffice.conftest import SECRET
from tests.conftest import CAST_PASSWORD
from tests.counter.conftest import counter_clerk
from tests.e2e.conftest import TIMEOUT_MS, Guide, _finish, _new_guide
from tests.e2e.test_backoffice import TABLET
from tests.sign_in import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TV = {"viewport": {"width": 1920, "height": 1080}, "locale": "ja-JP", "timezone_id": "Asia/Tokyo"}


def _screen(browser: Browser, live_server, axe, request, kind: str, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    mirror = None
    if options.get("java_script_enabled") is False:
        checker = browser.new_context(**{**options, "java_script_enabled": True})
        mirror = checker.new_page()
    return context, _new_guide(context, live_server, axe, request, kind, mirror)


@pytest.fixture
def tablet(browser: Browser, live_server, axe, request):
    context, guide = _screen(browser, live_server, axe, request, "tablet", **TABLET)
    yield guide
    context.close()
    if not hasattr(request.node, "rep_call") or request.node.rep_call.passed:
        _finish(guide)


@pytest.fixture
def nojs_tablet(browser: Browser, live_server, axe, request):
    options = {**TABLET, "java_script_enabled": False}
    context, guide = _screen(browser, live_server, axe, request, "tablet-nojs", **options)
    yield guide
    context.close()
    if guide.mirror is not None:
        guide.mirror.context.close()
    if not hasattr(request.node, "rep_call") or request.node.rep_call.passed:
        _finish(guide)


@pytest.fixture
def tv(browser: Browser, live_server, axe, request):
    """The screen in the hall: 1920×1080, nobody signed in."""
    context, guide = _screen(browser, live_server, axe, request, "tv", **TV)
    yield guide
    context.close()
    if not hasattr(request.node, "rep_call") or request.node.rep_call.passed:
        _finish(guide)


def sign_in(guide: Guide) -> None:
    page = guide.open("/accounts/login/", "login")
    page.get_by_label("メールアドレス").fill("madoguchi@example.jp")
    page.get_by_label("パスワード").fill(CAST_PASSWORD)
    guide.submit("ログイン", "mfa")
    page.locator("input[name=code]").fill(totp_code(SECRET))
    with page.expect_navigation():
        page.locator("main button[type=submit]").first.click()
    guide.check("signed-in")


def test_start_call_and_see_the_number_on_the_display(tablet: Guide, tv: Guide):
    clerk = counter_clerk()
    tickets.start_visit(kind=VisitKind.GENERAL, by=clerk)  # 1番, already waiting
    page = tablet.page
    sign_in(tablet)
    tablet.click_link("職員の画面", "visits")
    expect(page.get_by_role("heading", level=1)).to_have_text("今日の来庁者")
    expect(page.get_by_role("row", name="1番")).to_contain_text("お待ちください")

    tablet.submit("総合窓口の受付を始める", "ticket")
    expect(page.locator(".ticket-number")).to_have_text("2")
    tablet.click_link("今日の来庁者にもどる", "visits-2")
    page.get_by_label("あなたの窓口").fill("3")
    tablet.submit("次の方を呼ぶ", "called")
    expect(page.get_by_role("status")).to_contain_text("1番の方を窓口 3 にお呼びしました")
    expect(page.get_by_role("row", name="1番")).to_contain_text("呼び出し中")
    expect(page.get_by_label("あなたの窓口")).to_have_value("3")  # remembered

    board = tv.open("/counter/display/", "display")
    expect(board.locator(".calls li")).to_have_text(["1→窓口 3"])
    expect(board.locator(".nums li")).to_have_text(["2"])
    expect(board.locator(".wait")).to_contain_text("ただいまの待ち時間 約15分")

    # The clerk calls 2番 by its row's button; the display follows without a reload.
    tablet.submit("2番を呼ぶ", "called-2")
    expect(board.locator(".calls li")).to_have_text(["2→窓口 3"], timeout=TIMEOUT_MS)
    expect(board.locator(".waiting .none")).to_have_text("—")
    expect(board.locator(".wait")).to_contain_text("ただいま、お待ちの方はいません")
    tv.check("display-refreshed")
    assert tv.loads == 1  # the numbers were swapped in, the page was not reloaded


def test_without_javascript_cancel_and_the_display_reloads_itself(
    nojs_tablet: Guide, tv_nojs: Guide
):
    clerk = counter_clerk()
    tickets.start_visit(kind=VisitKind.GENERAL, by=clerk)
    guide, page = nojs_tablet, nojs_tablet.page
    sign_in(guide)
    guide.open("/counter/", "visits")
    guide.submit("おくやみコーナーの受付を始める", "ticket")
    expect(page.locator(".ticket-number")).to_have_text("2")
    guide.click_link("今日の来庁者にもどる", "visits-2")
    guide.click_link("1番を取り消す", "cancel")
    guide.submit("1番を取り消す", "cancelled")
    expect(page.get_by_role("row", name="1番")).to_contain_text("取り消し")
    page.get_by_label("あなたの窓口").fill("おくやみ1")
    guide.submit("2番を呼ぶ", "called")
    assert Visit.objects.get(number=2).window == "おくやみ1"

    board = tv_nojs.open("/counter/display/", "display")
    expect(board.locator(".calls li")).to_have_text(["2→窓口 おくやみ1"])
    tickets.start_visit(kind=VisitKind.GENERAL, by=clerk)  # 3番 arrives
    board.wait_for_event("load", timeout=TIMEOUT_MS)  # the meta refresh, 10 s
    tv_nojs.check("display-reloaded")
    expect(board.locator(".nums li")).to_have_text(["3"])


@pytest.fixture
def tv_nojs(browser: Browser, live_server, axe, request):
    options = {**TV, "java_script_enabled": False}
    context, guide = _screen(browser, live_server, axe, request, "tv-nojs", **options)
    yield guide
    context.close()
    guide.mirror.context.close()
    if not hasattr(request.node, "rep_call") or request.node.rep_call.passed:
        _finish(guide)
