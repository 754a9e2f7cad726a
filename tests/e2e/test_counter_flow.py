"""A whole visit at the counter on a tablet, as 総合窓口's clerk 森さん does it with
the resident in front of her, every page checked with axe:

1. a birth: the My Number card on the (virtual) reader, the PIN typed in the visit
   page, read through the card agent on this PC; the newborn, the guide, two
   forms in one pass, the PDF, the signature, the confirmation; then 子育て支援課's
   clerk finds both applications in her queue as 「窓口」. A wrong PIN first: the
   page says the tries left, and the card saw exactly one VERIFY.
2. a death at the おくやみコーナー: the bereaved's card through the agent, the
   deceased and an heir apart from the applicant, the family's procedures, each
   application in its own department's queue.
3. a walk-in without a card: the four facts typed (a 和暦 birth date, the address
   from the 〒), a ふりがな in kanji explained first, then right.
"""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from madoguchi.applications.models import Application, Channel, IdentitySource, Status
from madoguchi.backoffice.cast import ensure_staff
from madoguchi.backoffice.models import Role
from madoguchi.counter.card.agent import CardAgent
from madoguchi.counter.models import PersonRole, Visit
from tests.backoffice.conftest import SECRET, client_for, staff
from tests.conftest import CAST_PASSWORD
from tests.counter.conftest import counter_clerk, put_card, virtual_reader  # noqa: F401
from tests.e2e.conftest import TIMEOUT_MS, Guide, _finish, _new_guide
from tests.e2e.test_backoffice import TABLET
from tests.sign_in import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# On the card as written: 髙 (outside JIS X 0208's common form) and 𠮷 (outside the BMP).
CARD_NAME = "髙橋 𠮷子"
CARD_ADDRESS = "東京都千代田区霞が関二丁目1番2号"
BEREAVED = "齊藤 𠮷郎"
NEWBORN = "髙橋 陽葵"
DECEASED = "齊藤 花子"
CLAIM, MEDICAL = "child-allowance-claim", "child-medical-subsidy"
FAMILY = {  # procedure: its department (municipalities/example/procedures/*.yaml)
    "kouki-funeral-expenses": "hoken-nenkin",
    "kouki-withdraw": "hoken-nenkin",
    "care-insurance-withdraw": "kaigo",
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


@pytest.fixture
def agent(live_server, settings):
    """The card agent on this PC (`./dev card agent --server <live_server>`), on a
    free port; the visit page is told where it listens."""
    server = CardAgent(live_server.url, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MADOGUCHI_CARD_AGENT_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def sign_in(guide: Guide, email: str) -> None:
    page = guide.open("/accounts/login/", "login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(CAST_PASSWORD)
    guide.submit("ログイン", "mfa")
    page.locator("input[name=code]").fill(totp_code(SECRET))
    with page.expect_navigation():
        page.locator("main button[type=submit]").first.click()
    guide.check("signed-in")


def start_and_open(guide: Guide, kind_button: str) -> Visit:
    """From today's list: a new number, called to window 2, its page opened."""
    page = guide.page
    guide.click_link("職員の画面", "visits")
    guide.submit(kind_button, "ticket")
    number = page.locator(".ticket-number").inner_text()
    guide.click_link("今日の来庁者にもどる", "visits-again")
    page.get_by_label("あなたの窓口").fill("2")
    guide.submit(f"{number}番を呼ぶ", "called")
    with page.expect_navigation():
        page.get_by_role("link", name=f"{number}番", exact=True).click()
    guide.check("visit")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"受付 {number}番")
    return Visit.objects.get(number=int(number), day=timezone.localdate())


def read_card(guide: Guide, pin: str, name: str) -> None:
    """The resident types the PIN; the page reads through the agent and reloads."""
    page = guide.page
    page.get_by_label("暗証番号(4けた)").fill(pin)
    with page.expect_navigation():
        page.get_by_role("button", name="カードを読み取る").click()
    guide.check(f"card-read-{pin}")
    expect(page.locator("#identity .facts")).to_contain_text(name)


BANK = {  # みずほ銀行 東京営業部 (in the zengin data)
    "s-field_bank_account_bank": "0001",
    "s-field_bank_account_branch": "001",
    "s-field_bank_account_number": "1234567",
    "s-field_bank_account_holder": "タカハシ ヨシコ",
}


def fill(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.locator(f"[name='{name}']").fill(value)
    if "s-field_bank_account_bank" in values:
        page.locator("[name=s-field_bank_account_type][value=ordinary]").check()


def print_and_confirm(guide: Guide) -> None:
    """「入力を確かめて印刷へ」, the PDF, the signature's tick, 「受付を確定する」."""
    page = guide.page
    guide.submit("入力を確かめて印刷へ", "printed")
    expect(page.get_by_role("status").first).to_contain_text("申請書を印刷してください")
    link = page.get_by_role("link", name=re.compile(re.escape("印刷する(PDF)")))
    pdf = page.request.get(guide.base_url + link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    page.get_by_label(re.compile("署名をもらいました")).check()
    guide.submit("受付を確定する(担当課へ送る)", "confirmed")
    expect(page.locator("#done")).to_contain_text("受け付けました")


def press(guide: Guide, name, shot: str) -> Page:
    """A button whose accessible name is more than its words (a hint inside)."""
    with guide.page.expect_navigation():
        guide.page.get_by_role("button", name=name).click()
    return guide.check(shot)


def _day(scope, legend: str, day) -> None:
    """A date typed in its 元号・年・月・日 boxes: a ``date`` as 西暦, or a 和暦
    ``("昭和", 15, 4, 3)``."""
    era, year, month, dd = ("西暦", day.year, day.month, day.day) if isinstance(day, date) else day
    group = scope.get_by_role("group", name=re.compile(f"^{legend}"))
    group.get_by_role("combobox").first.select_option(era)
    fields = group.get_by_role("textbox")
    for n, value in enumerate((year, month, dd)):
        fields.nth(n).fill(str(value))


def test_a_birth_with_the_card_through_the_agent(tablet: Guide, agent, put_card):  # noqa: F811
    counter_clerk()
    staff(("kosodate@example.jp", "小林", "さくら", "kosodate", Role.CLERK))
    card = put_card(name=CARD_NAME, address=CARD_ADDRESS, birth="19920615", sex="2", pin="4321")
    guide, page = tablet, tablet.page
    sign_in(guide, "madoguchi@example.jp")
    visit = start_and_open(guide, "総合窓口の受付を始める")

    # A wrong PIN: the page says how many tries are left; the card saw one VERIFY.
    page.get_by_label("暗証番号(4けた)").fill("1111")
    page.get_by_role("button", name="カードを読み取る").click()
    expect(page.locator("#card-status")).to_contain_text("あと2回", timeout=TIMEOUT_MS)
    guide.check("wrong-pin")
    assert len(card.received("verify")) == 1
    visit.refresh_from_db()
    assert visit.applicant is None

    read_card(guide, "4321", CARD_NAME)
    facts = page.locator("#identity .facts")
    expect(facts).to_contain_text("平成4年")
    expect(facts).to_contain_text(CARD_ADDRESS)
    expect(facts).to_contain_text("マイナンバーカード")
    visit.refresh_from_db()
    assert visit.applicant.name == CARD_NAME and visit.applicant.source == IdentitySource.CARD

    # The people: the newborn, whose name the forms will ask.
    guide.click_link("世帯の方を入力する", "people")
    guide.submit("世帯の方を追加する", "people-row")
    born = timezone.localdate() - timedelta(days=3)
    row = page.get_by_role("group", name="世帯の方 1件目")
    row.get_by_label("生まれた子").check()
    row.get_by_label("氏名").fill(NEWBORN)
    row.get_by_label("ふりがな").fill("たかはし ひまり")
    _day(row, "生年月日", born)
    row.get_by_label("女").check()
    guide.submit("記録する", "people-done")
    expect(page.locator("#people")).to_contain_text(NEWBORN)

    # The guide: the birth, its date, the household.
    guide.click_link("ガイドを始める", "guide-event")
    press(guide, re.compile("^子どもが生まれた"), "guide")
    _day(page, "生まれた日", born)
    _day(page.locator("#member-1"), "生年月日", date(1992, 6, 15))
    _day(page.locator("#member-3"), "生年月日", born)
    guide.submit("必要な手続きを調べる", "procedures")
    expect(page.locator("section.choose")).to_contain_text("児童手当")
    for pid in (CLAIM, MEDICAL):
        page.locator(f"#choose-{pid}").check()
    guide.submit("選んだ手続きの申請書を入力する", "forms")
    # One pass: the card's name is shown, not an input; its ふりがな is asked once.
    shared = page.locator("#field-identity_name")
    expect(shared).to_contain_text("髙橋\u3000𠮷子")
    expect(page.locator("[name$=identity_name__name]")).to_have_count(0)
    expect(page.locator("[name$=identity_name__kana]")).to_have_count(1)
    page.locator("[name=s-identity_name__kana]").fill("たかはし よしこ")
    fill(page, {"s-profile_phone": "090-1234-5678", **BANK})
    for name in ("a1-children-0-child_insurance", "a2-claimant_insurance"):
        page.locator(f"[name={name}][value=kokuho]").check()
    for n in ("a1", "a2"):
        page.locator(f"[name={n}-children-0-lives_together][value=yes]").check()
    page.locator("[name=a2-children-0-child_relationship][value=child]").check()
    print_and_confirm(guide)

    apps = list(Application.objects.filter(visit_link__visit=visit))
    assert {a.procedure_id for a in apps} == {CLAIM, MEDICAL}
    assert all(a.status == Status.SUBMITTED and a.channel == Channel.COUNTER for a in apps)
    assert all(a.applicant.name == CARD_NAME for a in apps)

    # 子育て支援課's clerk finds both in her queue, marked 窓口.
    page.context.clear_cookies()
    sign_in(guide, "kosodate@example.jp")
    guide.click_link("職員の画面", "queue")
    for app in apps:
        row = page.get_by_role("row", name=re.compile(app.receipt_number))
        expect(row).to_contain_text(app.procedure_name)
        expect(row).to_contain_text("窓口")


def test_a_death_at_the_okuyami_corner(tablet: Guide, agent, put_card):  # noqa: F811
    counter_clerk()
    put_card(name=BEREAVED, address=CARD_ADDRESS, birth="19650210", sex="1")
    guide, page = tablet, tablet.page
    sign_in(guide, "madoguchi@example.jp")
    visit = start_and_open(guide, "おくやみコーナーの受付を始める")
    read_card(guide, "1234", BEREAVED)

    # The deceased and an heir, apart from the applicant.
    died = timezone.localdate() - timedelta(days=5)
    guide.click_link("亡くなった方と相続人を入力する", "people")
    fill(page, {"deceased_name__name": DECEASED, "deceased_name__kana": "さいとう はなこ",
                "deceased_address__postal": "379-2311",
                "deceased_address__address": "群馬県みどり市笠懸町阿左美1000番地"})  # fmt: skip
    _day(page.locator("#people-form"), "亡くなった方の生年月日", ("昭和", 15, 4, 3))
    guide.submit("相続人を追加する", "people-heir")
    heir = page.get_by_role("group", name="相続人 1件目")
    fill(page, {"heirs-0-relation": "長男", "heirs-0-name__name": "齊藤 一郎",
                "heirs-0-name__kana": "さいとう いちろう"})  # fmt: skip
    expect(heir).to_be_visible()
    guide.submit("記録する", "people-done")
    expect(page.locator("#people")).to_contain_text(DECEASED)
    roles = dict(visit.people.values_list("name", "role"))
    assert roles == {"齊藤\u3000花子": PersonRole.DECEASED, "齊藤\u3000一郎": PersonRole.HEIR}

    # The guide: the event is the death already; its date.
    guide.click_link("ガイドを始める", "guide")
    _day(page, "亡くなった日", died)
    _day(page.locator("#member-1"), "生年月日", ("昭和", 15, 4, 3))
    _day(page.locator("#member-2"), "生年月日", date(1965, 2, 10))
    guide.submit("必要な手続きを調べる", "procedures")
    # The family's procedures (the deceased was 86: 後期高齢者医療).
    boxes = page.locator("section.choose input[name=procedure]")
    for n in range(boxes.count()):
        box = boxes.nth(n)
        box.set_checked(box.get_attribute("value") in FAMILY)
    guide.submit("選んだ手続きの申請書を入力する", "forms")
    # The deceased's fields come from the people page, never the applicant's card.
    expect(page.locator("[name=s-deceased_name__name]")).to_have_value("齊藤\u3000花子")
    expect(page.locator("[name=s-deceased_address__address]")).to_have_value(
        "群馬県みどり市笠懸町阿左美1000番地"
    )
    expect(page.locator("[name=s-deceased_birth_date_year]")).to_have_value("15")
    expect(page.locator("#verified-identity_name")).to_contain_text("齊藤\u3000𠮷郎")
    fill(page, {"s-identity_name__kana": "さいとう きちろう", "s-profile_phone": "0277-76-1111",
                "a3-funeral_date_year": str(died.year), "a3-funeral_date_month": str(died.month),
                "a3-funeral_date_day": str((died + timedelta(days=2)).day)})  # fmt: skip
    page.locator("[name=a3-funeral_date_era]").select_option("西暦")
    for prefix in ("s-field_refund_account", "a3-bank_account"):
        fill(page, {f"{prefix}_{k[len('s-field_bank_account_') :]}": v for k, v in BANK.items()})
        page.locator(f"[name={prefix}_type][value=ordinary]").check()
    for name, value in (("s-field_applicant_relationship", "spouse"),
                        ("a1-cards_returned", "yes"), ("a2-card_returned", "yes")):  # fmt: skip
        page.locator(f"[name={name}][value={value}]").check()
    print_and_confirm(guide)

    # Each application in its own department's queue, as 窓口.
    apps = list(Application.objects.filter(visit_link__visit=visit))
    assert {a.procedure_id: a.department_id for a in apps} == FAMILY
    for department in set(FAMILY.values()):
        clerk = ensure_staff(f"{department}@example.jp", CAST_PASSWORD, "担当", department,
                             department, Role.CLERK, totp_secret=SECRET)  # fmt: skip
        queue = client_for(clerk).get(reverse("backoffice:queue")).content.decode()
        rows = {r for r in re.findall(r"<tr.*?</tr>", queue, re.S) if "窓口" in r}
        for app in apps:
            listed = any(app.receipt_number in r for r in rows)
            assert listed == (app.department_id == department), (app.procedure_id, department)
    assert all(a.status == Status.SUBMITTED and a.channel == Channel.COUNTER for a in apps)
    assert all(a.data["deceased_name"]["name"] == "齊藤\u3000花子" for a in apps
               if "deceased_name" in a.data)  # fmt: skip


def test_a_walk_in_without_a_card_types_the_four_facts(tablet: Guide):
    counter_clerk()
    guide, page = tablet, tablet.page
    sign_in(guide, "madoguchi@example.jp")
    visit = start_and_open(guide, "総合窓口の受付を始める")
    guide.click_link("カードがない方: 4情報を入力する", "identity")
    fill(page, {"name__name": "高橋 ふみ", "name__kana": "高橋 ふみ",  # ふりがな in kanji
                "address__postal": "379-2311", "phone": "0277-76-1234"})  # fmt: skip
    _day(page, "生年月日", ("昭和", 18, 7, 1))
    page.locator("[name=sex][value=female]").check()
    guide.submit("郵便番号から住所を入れる", "identity-lookup")
    address = page.locator("[name=address__address]")
    expect(address).to_have_value(re.compile("^群馬県みどり市"))
    address.fill(address.input_value() + "1000番地")
    guide.submit("記録する", "identity-problem")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("ふりがなは、ひらがなかカタカナで入れてください")
    visit.refresh_from_db()
    assert visit.applicant is None

    page.locator("[name=name__kana]").fill("たかはし ふみ")
    guide.submit("記録する", "identity-done")
    facts = page.locator("#identity .facts")
    expect(facts).to_contain_text("高橋\u3000ふみ")
    expect(facts).to_contain_text("昭和18年7月1日")
    expect(facts).to_contain_text("〒379-2311")
    visit.refresh_from_db()
    assert visit.applicant.source == IdentitySource.TYPED and visit.applicant.verified_at is None
    assert visit.applicant.birth_date == date(1943, 7, 1)
