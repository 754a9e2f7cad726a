"""An online application on a phone, from sign-up to the receipt PDF.

山田 花子さん signs up (the code comes from a real SMTP server), fills her household
profile, lets the guide list what a birth needs, and claims 児童手当 from that list:
the form starts filled from what the guide and the profile already know. She saves
a draft, leaves, comes back, attaches a photo of her insurance document, proves who
she is (the demo provider) and submits; the receipt number is on the page, in the
mail and in the PDF. The same walk runs with JavaScript off. 齊藤さん, logged in
elsewhere, finds none of it.
"""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.conftest import CAST_PASSWORD
from tests.e2e.conftest import PHONE, TIMEOUT_MS, Guide, _new_guide
from tests.e2e.test_accounts import code_in
from tests.e2e.test_guide_pages import (
    answer_birth_questions,
    fill_birth_start,
    fill_date,
    procedure,
    start,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "yamada@example.jp"
PASSWORD = "midori-no-mado-2026"
CLAIM = "児童手当 認定請求"
RECEIPT_NUMBER = re.compile(r"\b(\d{4}-\d{6})\b")
DECLARATION = "上のとおり児童手当の認定を請求します。書いた内容に間違いはありません。"


@pytest.fixture(autouse=True)
def files_dir(tmp_path, settings):
    """Attachments go to a folder of this test's own."""
    settings.MADOGUCHI_FILES_DIR = tmp_path / "files"
    return settings.MADOGUCHI_FILES_DIR


def insurance_photo() -> bytes:
    """A small PNG, as a phone's camera would give (only smaller)."""
    out = io.BytesIO()
    Image.new("RGB", (64, 40), (40, 120, 200)).save(out, "PNG")
    return out.getvalue()


@dataclass
class Submitted:
    receipt_number: str
    urls: dict[str, str]  # the application's pages and documents, by name


# --- the steps --------------------------------------------------------------------


def sign_up(guide: Guide, smtp_server) -> Page:
    page = guide.open("/", "home")
    guide.click_link("ログイン", "login")
    guide.click_link("こちらからユーザー登録", "signup")
    page.get_by_label("メールアドレス").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    guide.submit("ユーザー登録", "code")
    (mail,) = smtp_server.wait_for(1)
    assert EMAIL in str(mail["To"])
    page.get_by_label("確認コード(6けたの数字)").fill(code_in(smtp_server.text(mail)))
    guide.submit("確認する", "mypage-new")
    expect(page.get_by_role("heading", level=1)).to_have_text("マイページ")
    return page


def fill_profile(guide: Guide) -> None:
    page = guide.click_link("プロフィールを入れる", "profile-empty")
    page.locator("#id_family_name").fill("山田")
    page.locator("#id_given_name").fill("花子")
    page.locator("#id_family_name_kana").fill("ヤマダ")
    page.locator("#id_given_name_kana").fill("ハナコ")
    fill_date(page, "birth_date", "平成", 2, 4, 1)
    page.locator("input[name=sex][value=female]").check()
    page.locator("#id_postal_code").fill("３７９－２３１１")
    guide.submit("住所を入れる", "profile-address")
    expect(page.locator("#id_address")).to_have_value("群馬県みどり市笠懸町阿左美")
    page.locator("#id_address").fill("群馬県みどり市笠懸町阿左美1234番地")
    page.locator("#id_phone").fill("090-1234-5678")
    guide.submit("保存する", "mypage-profile-saved")
    expect(page.get_by_text("世帯のプロフィールを保存しました")).to_be_visible()


def guide_for_a_birth(guide: Guide) -> Page:
    page = start(guide, "子どもが生まれた", "birth-start")
    fill_birth_start(page)
    guide.submit("必要な手続きを調べる", "birth-questions")
    answer_birth_questions(page)
    guide.submit("回答して結果を更新する", "birth-result")
    expect(procedure(page, CLAIM)).to_have_count(1)
    return page


def start_the_claim(guide: Guide) -> Page:
    page = guide.page
    with page.expect_navigation():
        procedure(page, CLAIM).get_by_role("link", name="オンラインで申請").click()
    guide.check("apply-start")
    assert "/apply/child-allowance-claim/?event=birth" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(CLAIM)
    expect(page.locator("main")).to_contain_text("本人確認")
    guide.submit("申請を始める", "form-prefilled")
    expect(page.get_by_role("heading", level=1)).to_have_text(CLAIM)
    assert re.search(r"/mypage/applications/[0-9a-f-]{36}/edit/$", page.url), page.url
    return page


def assert_prefilled(page: Page) -> None:
    # From the guide's answers: the baby's birthday (令和8年11月20日) and her health
    # insurance (市の国民健康保険).
    expect(page.locator("input[name=claimant_insurance][value=kokuho]")).to_be_checked()
    expect(page.locator("select[name=children-0-child_birth_date_era]")).to_have_value("令和")
    expect(page.locator("input[name=children-0-child_birth_date_year]")).to_have_value("8")
    expect(page.locator("input[name=children-0-child_birth_date_month]")).to_have_value("11")
    expect(page.locator("input[name=children-0-child_birth_date_day]")).to_have_value("20")
    # From the profile: phone and email; and, until she proves who she is, her name,
    # birth date and address too (still editable).
    expect(page.locator("input[name=phone]")).to_have_value(re.compile(r"^090-?1234-?5678$"))
    expect(page.locator("input[name=email]")).to_have_value(EMAIL)
    expect(page.locator("input[name=claimant_name__name]")).to_have_value(
        re.compile(r"^山田[ \u3000]花子$")
    )
    expect(page.locator("input[name=claimant_name__kana]")).to_have_value(
        re.compile(r"^やまだ[ \u3000]はなこ$")
    )
    expect(page.locator("input[name=claimant_name__name]")).to_be_editable()
    expect(page.locator("select[name=claimant_birth_date_era]")).to_have_value("平成")
    expect(page.locator("input[name=claimant_birth_date_year]")).to_have_value("2")
    expect(page.locator("input[name=claimant_address__address]")).to_have_value(
        "群馬県みどり市笠懸町阿左美1234番地"
    )


def fill_some(page: Page) -> None:
    page.locator("input[name=children-0-child_name__name]").fill("山田 陽翔")
    page.locator("input[name=children-0-child_name__kana]").fill("やまだ はると")
    page.locator("input[name=children-0-child_relationship][value=child]").check()
    page.locator("input[name=children-0-lives_together][value=yes]").check()
    # The account by its codes (みずほ銀行 東京営業部, in the 全銀 data); the holder in
    # ひらがな is kept as typed and sent in 半角カナ.
    page.locator("input[name=bank_account_bank]").fill("0001")
    page.locator("input[name=bank_account_branch]").fill("001")
    page.locator("input[name=bank_account_type][value=ordinary]").check()
    page.locator("input[name=bank_account_number]").fill("1234567")
    page.locator("input[name=bank_account_holder]").fill("やまだ はなこ")


def assert_some_kept(page: Page) -> None:
    expect(page.locator("input[name=children-0-child_name__name]")).to_have_value(
        re.compile(r"^山田[ \u3000]陽翔$")
    )
    expect(page.locator("input[name=children-0-child_relationship][value=child]")).to_be_checked()
    expect(page.locator("input[name=children-0-lives_together][value=yes]")).to_be_checked()
    expect(page.locator("input[name=bank_account_number]")).to_have_value("1234567")
    expect(page.locator("input[name=bank_account_holder]")).to_have_value("やまだ はなこ")
    # The codes' names are shown beside them once saved.
    expect(page.locator("#id_bank_account_0_name")).to_have_text("みずほ")
    expect(page.locator("#id_bank_account_1_name")).to_have_text("東京営業部")
    expect(page.locator("input[name=children-0-child_birth_date_year]")).to_have_value("8")


def fill_the_rest(page: Page) -> None:
    page.locator("input[name=claimant_insurance][value=kokuho]").check()


def save_leave_and_resume(guide: Guide) -> Page:
    page = guide.submit("下書きを保存", "draft-saved")
    expect(page.get_by_text("下書きを保存しました", exact=False).first).to_be_visible()
    assert_some_kept(page)
    guide.submit("ログアウト", "signed-out")
    expect(page.get_by_role("link", name="ログイン")).to_be_visible()

    guide.click_link("ログイン", "login-again")
    page.get_by_label("メールアドレス").fill(EMAIL)
    page.get_by_label("パスワード").fill(PASSWORD)
    guide.submit("ログイン", "mypage-with-draft")
    expect(page.get_by_role("heading", level=1)).to_have_text("マイページ")
    drafts = page.locator("#applications")
    expect(drafts.get_by_role("heading", name="書きかけの申請(下書き)")).to_be_visible()
    expect(drafts.get_by_role("link", name=CLAIM)).to_have_count(1)
    # Nothing required is left: the guide's answer filled the health insurance.
    expect(drafts).not_to_contain_text("あと")
    with page.expect_navigation():
        drafts.get_by_role("link", name=CLAIM).click()
    guide.check("draft-resumed")
    assert_some_kept(page)
    return page


def attach_and_review(guide: Guide) -> Page:
    page = guide.page
    page.locator("input[type=file][name=insurance_document]").set_input_files(
        {"name": "hokensho.png", "mimeType": "image/png", "buffer": insurance_photo()}
    )
    guide.submit("確認へ進む", "review-needs-identity")
    expect(page.get_by_role("heading", level=1)).to_have_text("入力内容の確認")
    assert page.url.endswith("/review/"), page.url
    expect(page.locator("main")).to_contain_text("hokensho.png")
    # The account as banks write it: the codes' names, 7 digits, the holder in 半角カナ.
    expect(page.locator("main")).to_contain_text("みずほ(0001) 東京営業部(001)")
    expect(page.locator("main")).to_contain_text("普通 1234567")
    expect(page.locator("main")).to_contain_text("ﾔﾏﾀﾞ ﾊﾅｺ")
    expect(page.get_by_role("heading", name="送信の前に本人確認が必要です")).to_be_visible()
    expect(page.get_by_role("button", name="この内容で送信する")).to_have_count(0)
    return page


def verify_identity(guide: Guide, review_url: str) -> Page:
    page = guide.click_link("本人確認をする", "identity")
    expect(page.get_by_role("heading", level=1)).to_have_text("本人確認")
    guide.submit("デモ デモ用の本人確認(実際の確認はしません)", "identity-demo")
    # The demo "card" says what her profile says.
    expect(page.locator("main")).to_contain_text("山田 花子")
    expect(page.locator("main")).to_contain_text("群馬県みどり市笠懸町阿左美1234番地")
    guide.submit("この内容で確認する(デモ)", "review-identified")
    # Back on the review (``next``), not left on the identity page.
    assert page.url == review_url, page.url
    expect(page.get_by_text("本人確認ができました")).to_be_visible()
    expect(page.locator("main")).to_contain_text("(本人確認で確かめた内容)")
    return page


def submit(guide: Guide, smtp_server) -> Submitted:
    page = guide.page
    page.get_by_label(DECLARATION).check()
    guide.submit("この内容で送信する", "done")
    expect(page.get_by_role("heading", level=1)).to_have_text("申請を受け付けました")
    number = page.locator(".receipt-number").inner_text().strip()
    assert RECEIPT_NUMBER.fullmatch(number), number
    assert re.search(r"/mypage/applications/[0-9a-f-]{36}/done/$", page.url), page.url
    base = page.url.removesuffix("done/")

    # The receipt mail, sent once the submission has committed.
    mails = smtp_server.wait_for(2)
    receipt = mails[-1]
    assert EMAIL in str(receipt["To"])
    assert number in str(receipt["Subject"])
    body = smtp_server.text(receipt)
    assert number in body and CLAIM in body
    assert "山田" not in body and "阿左美" not in body  # no personal data in mail
    path = base.removeprefix(guide.base_url)
    assert path in body  # the link to the application on MyPage
    return Submitted(number, {"detail": base, "edit": base + "edit/"})


def download_receipt(guide: Guide, submitted: Submitted) -> None:
    page = guide.page
    with page.expect_download() as info:
        page.get_by_role("link", name="申請書控え(PDF)を保存する").click()
    download = info.value
    assert download.suggested_filename == f"申請書控え_{submitted.receipt_number}.pdf"
    guide.artifacts.mkdir(parents=True, exist_ok=True)
    pdf = guide.artifacts / "receipt.pdf"
    download.save_as(pdf)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF"), data[:32]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    for expected in (
        submitted.receipt_number,
        "児童手当",
        "山田",
        "東京営業部",
        "hokensho.png",
    ):
        assert expected in text, expected
    # Page 1 as a picture, to look at.
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf)]
        + [str(guide.artifacts / "receipt-page1")],
        check=True,
        timeout=60,
    )
    assert (guide.artifacts / "receipt-page1.png").stat().st_size > 0
    submitted.urls["receipt_pdf"] = download.url


def on_mypage(guide: Guide, submitted: Submitted) -> None:
    page = guide.click_link("マイページ", "mypage-submitted")
    section = page.locator("#applications")
    expect(section).to_contain_text("書きかけの申請はありません。")
    entry = section.locator("li").filter(has=page.get_by_role("link", name=CLAIM))
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(f"受付番号 {submitted.receipt_number}")
    expect(entry).to_contain_text("受付")
    # The submitted list is under its heading, after the (empty) drafts.
    headings = section.get_by_role("heading", level=2)
    expect(headings).to_have_text(["書きかけの申請(下書き)", "送信した申請"])

    with page.expect_navigation():
        entry.get_by_role("link", name=CLAIM).click()
    guide.check("application-detail")
    expect(page.locator(".receipt-number")).to_have_text(submitted.receipt_number)
    expect(page.locator("main")).to_contain_text("受付")
    file_link = page.get_by_role("link", name="hokensho.png")
    expect(file_link).to_have_count(1)
    submitted.urls["file"] = guide.base_url + file_link.get_attribute("href")


def walk(guide: Guide, smtp_server) -> Submitted:
    sign_up(guide, smtp_server)
    fill_profile(guide)
    guide_for_a_birth(guide)
    page = start_the_claim(guide)
    assert_prefilled(page)
    fill_some(page)
    save_leave_and_resume(guide)
    fill_the_rest(page)
    review_url = attach_and_review(guide).url
    verify_identity(guide, review_url)
    submitted = submit(guide, smtp_server)
    download_receipt(guide, submitted)
    on_mypage(guide, submitted)
    return submitted


# --- the tests --------------------------------------------------------------------


def test_apply_for_child_allowance_on_a_phone(
    guide: Guide, smtp_server, saito, browser: Browser, live_server, axe, request
):
    submitted = walk(guide, smtp_server)

    # 齊藤さん, logged in on her own phone, reaches none of it.
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        other = _new_guide(context, live_server, axe, request, "saito")
        page = other.open("/accounts/login/", "saito-login")
        page.get_by_label("メールアドレス").fill("saito@example.jp")
        page.get_by_label("パスワード").fill(CAST_PASSWORD)
        other.submit("ログイン", "saito-mypage")
        expect(page.get_by_role("heading", level=1)).to_have_text("マイページ")
        expect(page.locator("#applications")).not_to_contain_text(CLAIM)
        for name in ("edit", "detail", "receipt_pdf", "file"):
            response = page.goto(submitted.urls[name])
            other.check(f"saito-{name}")
            assert response.status == 404, (name, response.status)
            expect(page.locator("main")).not_to_contain_text("山田")
    finally:
        context.close()
    assert other.checked_loads == other.loads


def test_the_same_without_javascript(nojs_guide: Guide, smtp_server):
    page = nojs_guide.page
    probe = page.context.new_page()
    probe.set_content("<title>no</title><script>document.title = 'js'</script>")
    assert probe.title() == "no"
    probe.close()
    walk(nojs_guide, smtp_server)
