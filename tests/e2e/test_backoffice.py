"""The back office on a tablet: 子育て支援課's clerk 小林さん signs in with her
password and a TOTP code, finds 高橋さん's 児童手当 in the queue, opens it (the
attached photo opens in the browser), starts the review and completes it. Every
page is checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.backoffice.conftest import SECRET, sent, staff
from tests.conftest import CAST_PASSWORD
from tests.e2e.conftest import TIMEOUT_MS, Guide, _finish, _new_guide
from tests.sign_in import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TABLET = {
    "viewport": {"width": 1024, "height": 768},
    "device_scale_factor": 1,
    "has_touch": True,
    "locale": "ja-JP",
    "timezone_id": "Asia/Tokyo",
    "accept_downloads": True,
}


@pytest.fixture
def tablet(browser: Browser, live_server, axe, request):
    context = browser.new_context(**TABLET)
    context.set_default_timeout(TIMEOUT_MS)
    guide = _new_guide(context, live_server, axe, request, "tablet")
    yield guide
    context.close()
    if not hasattr(request.node, "rep_call") or request.node.rep_call.passed:
        _finish(guide)


def test_a_clerk_reviews_and_completes_an_application(tablet: Guide, takahashi, files_dir):
    from tests.backoffice.conftest import KOSODATE

    staff(KOSODATE)
    app = sent(takahashi, image=True)
    guide = tablet
    page = guide.open("/accounts/login/", "login")
    page.get_by_label("メールアドレス").fill("kosodate@example.jp")
    page.get_by_label("パスワード").fill(CAST_PASSWORD)
    guide.submit("ログイン", "mfa")
    page.locator("input[name=code]").fill(totp_code(SECRET))
    with page.expect_navigation():
        page.locator("main button[type=submit]").first.click()
    guide.check("signed-in")
    guide.click_link("職員の画面", "queue")
    expect(page.get_by_role("heading", level=1)).to_have_text("申請の一覧")
    row = page.get_by_role("row", name=app.receipt_number)
    expect(row).to_contain_text("児童手当")
    expect(row).to_contain_text("未割り当て")
    guide.click_link(app.receipt_number, "detail")
    expect(page.locator("main")).to_contain_text("高橋\u3000太郎")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="保険証.png").click()
    image = opened.value
    image.wait_for_load_state()
    assert image.evaluate("() => document.contentType") == "image/png"
    image.close()
    guide.submit("自分が担当する", "taken")
    expect(page.locator("main")).to_contain_text("担当者を 小林 さくら さんにしました")
    guide.submit("審査を始める", "in-review")
    expect(page.locator("main .status").first).to_have_text("審査中")
    page.locator("#confirm-completed").check()
    guide.submit("完了にする", "completed")
    expect(page.locator("main .status").first).to_have_text("完了")
    guide.click_link("申請の一覧にもどる", "queue-after")
    expect(page.locator("main")).not_to_contain_text(app.receipt_number)

    # The department's CSV for Excel: the count first, then the download.
    guide.click_link("CSVで書き出す", "export")
    page.get_by_label("手続き").select_option("child-allowance-claim")
    guide.submit("件数を確かめる", "export-count")
    expect(page.get_by_role("status")).to_contain_text("1 件を書き出します")
    with page.expect_download() as download:
        page.get_by_role("link", name="ダウンロード", exact=False).first.click()
    body = download.value.path().read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    assert app.receipt_number in body.decode("utf-8-sig")


@pytest.fixture
def files_dir(tmp_path, settings):
    settings.MADOGUCHI_FILES_DIR = tmp_path / "files"
    return settings.MADOGUCHI_FILES_DIR
