"""A 補正 round trip, in two browsers: 高橋 健太さん claims 児童手当 on his phone;
子育て支援課's clerk 小林さん (password + TOTP, on a desktop) starts the review and
asks him to correct the account number only; he reads the mail (which says only
that there is a request), corrects that one field on MyPage (the rest is not an
input), and sends it; she sees the new value (the submitted one is kept as version
1), completes the application; he sees 完了. Every page is checked with axe.

The mails, as the code sends them: the receipt, the 補正依頼 notice and the
"修正を受け付けました" notice. Nothing is mailed when the application is completed
(the resident learns it on MyPage).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from madoguchi.applications.models import Application, Status, VersionReason
from madoguchi.backoffice.cast import KOSODATE
from tests.backoffice.conftest import SECRET, staff
from tests.conftest import CAST_PASSWORD
from tests.e2e.conftest import TIMEOUT_MS, Guide, _finish, _new_guide
from tests.e2e.test_apply_online import CLAIM, DECLARATION, RECEIPT_NUMBER
from tests.e2e.test_backoffice import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RESIDENT = "takahashi@example.jp"
CLERK = KOSODATE[0]
OLD_NUMBER = "1234567"
NEW_NUMBER = "7654321"
ACCOUNT = "児童手当の振込先の口座"  # the field the clerk asks to correct
NOTE = "口座番号の桁が通帳と合いません。通帳の見開きの口座番号(7けた)を入れ直してください。"
DESKTOP = {
    "viewport": {"width": 1280, "height": 800},
    "device_scale_factor": 1,
    "locale": "ja-JP",
    "timezone_id": "Asia/Tokyo",
}
HISTORY = ["下書き", "受付", "審査中", "補正依頼中", "審査中", "完了"]
# Personal data of 高橋さん's that no mail may carry.
PERSONAL = ("高橋", "健太", "たかはし", "タカハシ", "ﾀｶﾊｼ", "笠懸", "鹿250", "東京営業部")


@pytest.fixture
def office(browser: Browser, live_server, axe, request):
    """The clerk's desktop browser; every page it shows is checked like the phone's."""
    context = browser.new_context(**DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    guide = _new_guide(context, live_server, axe, request, "office")
    yield guide
    context.close()
    if not hasattr(request.node, "rep_call") or request.node.rep_call.passed:
        _finish(guide)


# --- the resident -----------------------------------------------------------------


def resident_signs_in(guide: Guide) -> Page:
    page = guide.open("/accounts/login/", "login")
    page.get_by_label("メールアドレス").fill(RESIDENT)
    page.get_by_label("パスワード").fill(CAST_PASSWORD)
    guide.submit("ログイン", "mypage")
    expect(page.get_by_role("heading", level=1)).to_have_text("マイページ")
    return page


def resident_applies(guide: Guide, smtp_server) -> tuple[str, str]:
    """The claim filled and sent in the browser; returns (receipt number, detail URL)."""
    page = guide.open("/apply/child-allowance-claim/", "apply-start")
    expect(page.get_by_role("heading", level=1)).to_have_text(CLAIM)
    guide.submit("申請を始める", "form")
    # From his profile: his name (until he proves who he is), phone and email.
    expect(page.locator("input[name=claimant_name__name]")).to_have_value(
        re.compile(r"^高橋[ \u3000]健太$")
    )
    expect(page.locator("input[name=email]")).to_have_value(RESIDENT)
    page.locator("input[name=claimant_insurance][value=shaho]").check()
    page.locator("input[name=spouse_name__name]").fill("高橋 美穂")
    page.locator("input[name=spouse_name__kana]").fill("たかはし みほ")
    page.locator("input[name=children-0-child_name__name]").fill("高橋 陽翔")
    page.locator("input[name=children-0-child_name__kana]").fill("たかはし はると")
    fill_date_if_empty(page, "children-0-child_birth_date", "令和", 8, 11, 20)
    page.locator("input[name=children-0-child_relationship][value=child]").check()
    page.locator("input[name=children-0-lives_together][value=yes]").check()
    page.locator("input[name=bank_account_bank]").fill("0001")  # みずほ 東京営業部
    page.locator("input[name=bank_account_branch]").fill("001")
    page.locator("input[name=bank_account_type][value=ordinary]").check()
    page.locator("input[name=bank_account_number]").fill(OLD_NUMBER)
    page.locator("input[name=bank_account_holder]").fill("タカハシ ケンタ")
    guide.submit("確認へ進む", "review")
    expect(page.get_by_role("heading", level=1)).to_have_text("入力内容の確認")
    review_url = page.url

    guide.click_link("本人確認をする", "identity")
    guide.submit("デモ デモ用の本人確認(実際の確認はしません)", "identity-demo")
    expect(page.locator("main")).to_contain_text("群馬県みどり市笠懸町鹿250番地")
    guide.submit("この内容で確認する(デモ)", "review-identified")
    assert page.url == review_url, page.url
    expect(page.locator("main")).to_contain_text(OLD_NUMBER)

    page.get_by_label(DECLARATION).check()
    guide.submit("この内容で送信する", "done")
    expect(page.get_by_role("heading", level=1)).to_have_text("申請を受け付けました")
    number = page.locator(".receipt-number").inner_text().strip()
    assert RECEIPT_NUMBER.fullmatch(number), number
    detail_url = page.url.removesuffix("done/")

    (receipt,) = smtp_server.wait_for(1)
    assert RESIDENT in str(receipt["To"]) and number in str(receipt["Subject"])
    assert_no_personal_data(smtp_server, receipt)
    return number, detail_url


def fill_date_if_empty(page: Page, name: str, era: str, year: int, month: int, day: int) -> None:
    if page.locator(f"input[name={name}_year]").input_value():
        return
    page.locator(f"select[name={name}_era]").select_option(era)
    page.locator(f"input[name={name}_year]").fill(str(year))
    page.locator(f"input[name={name}_month]").fill(str(month))
    page.locator(f"input[name={name}_day]").fill(str(day))


def assert_no_personal_data(smtp_server, mail) -> None:
    text = str(mail["Subject"]) + "\n" + smtp_server.text(mail)
    for value in (*PERSONAL, OLD_NUMBER, NEW_NUMBER, NOTE[:10]):
        assert value not in text, (value, text)


def resident_corrects(guide: Guide, detail_url: str, number: str) -> None:
    page = guide.click_link("マイページ", "mypage-correction")
    entry = page.locator("#applications li").filter(has=page.get_by_role("link", name=CLAIM))
    expect(entry).to_contain_text(f"受付番号 {number}")
    expect(entry).to_contain_text("補正依頼中")
    with page.expect_navigation():
        entry.get_by_role("link", name=CLAIM).click()
    guide.check("detail-correction")
    assert page.url == detail_url, page.url
    notice = page.locator("#correction")
    expect(notice).to_contain_text(f"直す項目: {ACCOUNT}")
    expect(notice).to_contain_text(NOTE)
    expect(page.locator("#thread ~ .thread")).to_contain_text("補正依頼")

    guide.click_link("申請を修正する", "correct")
    expect(page.get_by_role("heading", level=1)).to_have_text("申請を修正する")
    form = page.locator("main form").filter(has=page.locator("input[name=revision]"))
    # Only the account's boxes are inputs; everything else is shown, not editable.
    inputs = form.locator("input:not([type=hidden]), select, textarea")
    names = set(inputs.evaluate_all("boxes => boxes.map(b => b.name)"))
    assert names == {f"bank_account_{p}" for p in ("bank", "branch", "type", "number", "holder")}
    number_box = form.locator("input[name=bank_account_number]")
    expect(number_box).to_have_value(OLD_NUMBER)
    expect(form.locator("#id_bank_account_0_name")).to_have_text("みずほ")
    for name in ("claimant_name__name", "spouse_name__name", "phone"):
        expect(page.locator(f"[name={name}]")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("そのほかの内容(変えられません)")
    expect(page.locator("main")).to_contain_text(re.compile("高橋[ \u3000]美穂"))

    # Letters are refused, as in the form (the box takes 7 characters at most).
    number_box.fill("abc")
    guide.submit("確認へ進む", "corrected-wrong")
    expect(page.locator("main")).to_contain_text("口座番号は7けたまでの数字で入れてください")
    number_box = page.locator("input[name=bank_account_number]")
    number_box.fill(NEW_NUMBER)
    guide.submit("確認へ進む", "correct-review")
    # Not sent yet: the review says what changes, old → new.
    expect(page.get_by_role("heading", level=1)).to_have_text("修正内容の確認")
    change = page.locator(".changes .changed")
    expect(change).to_contain_text(ACCOUNT)
    expect(change.locator(".before")).to_contain_text(OLD_NUMBER)
    expect(change.locator(".after")).to_contain_text(NEW_NUMBER)
    # 「修正する」 goes back with the new number still typed.
    guide.click_link("修正する", "correct-again")
    expect(page.locator("input[name=bank_account_number]")).to_have_value(NEW_NUMBER)
    guide.submit("確認へ進む", "correct-review-again")
    guide.submit("この内容で送る", "corrected")
    assert page.url == detail_url, page.url
    expect(page.get_by_text("修正を送りました。")).to_be_visible()
    expect(page.locator("main")).to_contain_text(NEW_NUMBER)
    expect(page.locator("main")).not_to_contain_text(OLD_NUMBER)
    expect(page.locator("#correction")).to_have_count(0)


def resident_sees_completed(guide: Guide, number: str) -> None:
    page = guide.click_link("マイページ", "mypage-completed")
    entry = page.locator("#applications li").filter(has=page.get_by_role("link", name=CLAIM))
    expect(entry).to_contain_text(f"受付番号 {number} ・ 完了")
    with page.expect_navigation():
        entry.get_by_role("link", name=CLAIM).click()
    guide.check("detail-completed")
    expect(page.locator(".answers").first).to_contain_text("完了")
    history = page.locator("ol.history li")
    expect(history).to_have_count(len(HISTORY))
    for i, status in enumerate(HISTORY):
        expect(history.nth(i)).to_contain_text(status)
    expect(history.nth(3)).to_contain_text(NOTE)


# --- the clerk --------------------------------------------------------------------


def clerk_signs_in(office: Guide) -> Page:
    page = office.open("/accounts/login/", "login")
    page.get_by_label("メールアドレス").fill(CLERK)
    page.get_by_label("パスワード").fill(CAST_PASSWORD)
    office.submit("ログイン", "mfa")
    assert "/2fa/authenticate/" in page.url, page.url  # the password alone does not let her in
    page.locator("input[name=code]").fill(totp_code(SECRET))
    with page.expect_navigation():
        page.locator("main button[type=submit]").first.click()
    office.check("signed-in")
    return page


def clerk_asks_for_a_correction(office: Guide, number: str) -> None:
    page = office.click_link("職員の画面", "queue")
    expect(page.get_by_role("heading", level=1)).to_have_text("申請の一覧")
    row = page.get_by_role("row", name=number)
    expect(row).to_contain_text("児童手当")
    office.click_link(number, "detail")
    expect(page.locator("main .status").first).to_have_text("受付")
    expect(page.locator("main")).to_contain_text(OLD_NUMBER)
    expect(page.locator("main")).to_contain_text("デモ")  # identity: checked by the provider
    office.submit("審査を始める", "in-review")
    expect(page.locator("main .status").first).to_have_text("審査中")

    form = page.locator("#office-correction")
    form.get_by_label(ACCOUNT, exact=True).check()
    form.get_by_label("理由・直し方").fill(NOTE)
    office.submit("補正を依頼する", "correction-requested")
    expect(page.get_by_text("補正を依頼しました。")).to_be_visible()
    expect(page.locator("main .status").first).to_have_text("補正依頼中")
    expect(page.locator("#correspondence")).to_contain_text(f"補正を依頼中です(項目: {ACCOUNT})")
    expect(page.locator("#correspondence .thread")).to_contain_text(NOTE)
    expect(page.locator("#correspondence .thread")).to_contain_text("小林 さくら(担当課)")
    # Nothing more to decide while the resident corrects it.
    expect(page.get_by_role("button", name="完了にする")).to_have_count(0)
    expect(page.locator("#office-correction")).to_have_count(0)


def clerk_completes(office: Guide, number: str) -> None:
    page = office.click_link("申請の一覧にもどる", "queue-corrected")
    office.click_link(number, "detail-corrected")
    expect(page.locator("main .status").first).to_have_text("審査中")
    fields = page.locator("#h-fields ~ *").first
    expect(fields).to_contain_text(NEW_NUMBER)
    expect(fields).not_to_contain_text(OLD_NUMBER)
    thread = page.locator("#correspondence .thread")
    expect(thread).to_contain_text("修正を送りました")
    expect(thread).to_contain_text(f"直した項目: {ACCOUNT}")
    page.locator("#confirm-completed").check()
    office.submit("完了にする", "completed")
    expect(page.locator("main .status").first).to_have_text("完了")
    history = page.locator("#h-history ~ ol.history li")
    expect(history).to_have_count(len(HISTORY))
    for i, status in enumerate(HISTORY):
        expect(history.nth(i)).to_contain_text(status)
    expect(history.nth(2)).to_contain_text("小林 さくら")


# --- the test ---------------------------------------------------------------------


def test_a_correction_round_trip(guide: Guide, office: Guide, takahashi, smtp_server):
    staff(KOSODATE)
    resident_signs_in(guide)
    number, detail_url = resident_applies(guide, smtp_server)

    clerk_signs_in(office)
    clerk_asks_for_a_correction(office, number)

    mails = smtp_server.wait_for(2)
    notice = mails[1]
    assert RESIDENT in str(notice["To"])
    assert "修正(補正)のお願い" in str(notice["Subject"]) and number in str(notice["Subject"])
    body = smtp_server.text(notice)
    assert number in body and detail_url.removeprefix(guide.base_url) in body
    assert_no_personal_data(smtp_server, notice)

    resident_corrects(guide, detail_url, number)
    mails = smtp_server.wait_for(3)
    corrected = mails[2]
    assert "修正した申請を受け付けました" in str(corrected["Subject"])
    assert_no_personal_data(smtp_server, corrected)

    # The submitted values are kept as version 1; the correction is version 2.
    app = Application.objects.get(receipt_number=number)
    versions = list(app.versions.order_by("number"))
    assert [(v.number, v.reason) for v in versions] == [
        (1, VersionReason.SUBMITTED),
        (2, VersionReason.CORRECTED),
    ]
    assert versions[0].data["bank_account"]["number"] == OLD_NUMBER
    assert versions[1].data["bank_account"]["number"] == NEW_NUMBER
    changed = {k for k in versions[0].data if versions[0].data[k] != versions[1].data.get(k)}
    assert changed == {"bank_account"}
    assert app.data == versions[1].data

    clerk_completes(office, number)
    resident_sees_completed(guide, number)

    app.refresh_from_db()
    assert app.status == Status.COMPLETED
    # Four in all, all to him: the receipt, the 補正依頼, the correction received and
    # 「審査が終わりました」 (the result itself is on MyPage only).
    mails = smtp_server.wait_for(4)
    assert all(RESIDENT in str(m["To"]) for m in mails)
    assert "審査が終わりました" in str(mails[-1]["Subject"])
