"""The resident web guide, server side (the browser walk is in tests/e2e).

高橋さん (born 1990-04-01) has a baby on 2026-11-20; her mother was born in 昭和17年.
"""

import re
import shutil
import subprocess
from datetime import date

import pytest
from django.conf import settings
from pypdf import PdfReader

from madoguchi.catalog.situation import MAX_MEMBERS

pytestmark = pytest.mark.django_db

STOCK_TEXTS = (
    "このフィールドは必須です",
    "この値は",
    "以上でなければなりません",
    "members.",
    "番目",
)


def date_fields(name: str, value) -> dict:
    """The era widget's four inputs: value is "2026-11-20" or ("昭和", 17, 3, 5)."""
    if not value:
        return {f"{name}_era": "西暦", f"{name}_year": "", f"{name}_month": "", f"{name}_day": ""}
    if isinstance(value, str):
        value = ("西暦", *value.split("-"))
    era, year, month, day = value
    return {
        f"{name}_era": era,
        f"{name}_year": str(year),
        f"{name}_month": str(month),
        f"{name}_day": str(day),
    }


def start_data(date="2026-11-20", members=(("self", "1990-04-01"),), extra_rows=1) -> dict:
    data = {"m-TOTAL_FORMS": str(len(members) + extra_rows), "m-INITIAL_FORMS": "0"}
    data.update(date_fields("event_date", date))
    for i, (role, born) in enumerate(members):
        data[f"m-{i}-role"] = role
        data.update(date_fields(f"m-{i}-birth_date", born))
    return data


def start(client, event="birth", follow=True, **kwargs):
    return client.post(f"/guide/{event}/", start_data(**kwargs), follow=follow)


def text(response) -> str:
    """The page's visible text, tags removed, spaces collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|template)\b.*?</\1>", "", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def field_error(response, field_id: str) -> str:
    match = re.search(
        rf'<p class="error" id="{re.escape(field_id)}_error">(.*?)</p>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no error shown at {field_id}"
    return match.group(1)


BIRTH = {"members": [("self", "1990-04-01"), ("newborn", "")]}


def test_home_lists_the_life_events(client):
    page = client.get("/").content.decode()
    for name in ("子どもが生まれた", "他の市区町村から引っ越してきた", "家族が亡くなった"):
        assert name in page
    assert 'href="/guide/birth/"' in page


def test_unknown_event_is_404(client):
    assert client.get("/guide/graduation/").status_code == 404


def test_start_page_offers_the_usual_household_and_era_dates(client):
    page = client.get("/guide/birth/").content.decode()
    assert re.search(r'<option value="newborn" selected>', page)
    for part in ("era", "year", "month", "day"):
        assert f'name="event_date_{part}"' in page
    for era in ("西暦", "令和", "平成", "昭和", "大正", "明治"):
        assert f'<option value="{era}"' in page
    assert "<legend>生年月日</legend>" in page
    assert 'type="date"' not in page


# POST/redirect/GET: the checklist is a page of its own.


def test_the_first_page_redirects_to_a_checklist_that_can_be_reloaded(client):
    response = start(client, follow=False, **BIRTH)
    assert response.status_code == 302
    assert response["Location"] == "/guide/birth/checklist/"
    for _ in range(2):  # and again, as a reload or a bookmark would
        page = client.get("/guide/birth/checklist/")
        assert page.status_code == 200
        shown = text(page)
        assert "出生届" in shown and "2026年12月3日(木)" in shown and "令和8年12月3日" in shown
        assert "生まれた子の出生体重は何グラムですか" in shown


def test_a_checklist_with_nothing_kept_is_a_friendly_page_not_405(client):
    for url in ("/guide/birth/checklist/", "/guide/birth/checklist.pdf", "/guide/birth/answers/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        shown = text(response)
        assert "入力した内容は残っていません" in shown
        assert "「子どもが生まれた」の手続きを最初から調べる" in shown
        assert 'href="/guide/birth/"' in response.content.decode()


def test_the_friendly_page_speaks_english_too(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    shown = text(client.get("/guide/birth/checklist/"))
    assert "Your answers are no longer kept" in shown


def test_the_old_answers_address_leads_to_the_checklist(client):
    start(client, **BIRTH)
    response = client.get("/guide/birth/answers/")
    assert response.status_code == 302 and response["Location"] == "/guide/birth/checklist/"


def test_only_the_situation_is_kept_and_only_for_an_hour(client):
    start(client, **BIRTH)
    kept = dict(client.session.items())
    assert set(kept) == {"guide"}
    assert set(kept["guide"]) == {"birth"}
    assert kept["guide"]["birth"]["members"][0] == {"role": "self", "birth_date": "1990-04-01"}
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    assert client.session.get_expiry_age() <= 60 * 60


def test_answers_update_the_checklist(client):
    start(client, **BIRTH)
    answered = client.post(
        "/guide/birth/answers/",
        {
            "q-birth-weight-1": "２，４００",  # 全角 with a comma, as typed on a phone
            "q-insurance-0": "kokuho",
            "q-single-parent-h": "false",
            "q-receives-child-allowance-0": "",  # わからない
        },
    )
    assert answered.status_code == 302
    page = client.get("/guide/birth/checklist/").content.decode()
    required = page.split('id="h-may"')[0]
    assert "低体重児の届出" in required and "出産育児一時金" in required
    assert "児童扶養手当" not in page
    # The unanswered question is still there, nothing else is asked again.
    assert "本人は児童手当を受け取っていますか" in page
    assert 'name="q-insurance-0"' not in page


# Dates as residents give them.


def test_a_birth_date_in_showa_is_understood(client):
    start(client, event="move_in", members=[("self", ("昭和", "１７", "3", "5"))])
    shown = text(client.get("/guide/move_in/checklist/"))
    assert "生年月日 1942年3月5日(昭和17年3月5日)" in shown
    assert "後期高齢者医療" in shown  # 84 years old


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (
            ("昭和", 65, 1, 1),
            "昭和65年1月1日はありません。昭和は昭和64年1月7日までで、次の日から平成です",
        ),
        (
            ("平成", 31, 5, 1),
            "平成31年5月1日はありません。平成は平成31年4月30日までで、次の日から令和です",
        ),
        (
            ("令和", 1, 4, 30),
            "令和元年4月30日はありません。令和は令和元年5月1日からで、その前は平成です",
        ),
        (("西暦", 2026, 2, 30), "2026年2月30日という日はありません"),
        (("西暦", 17, 3, 5), "西暦の年は4けたで入れてください"),
        (("昭和", 17, 13, 5), "月は1から12までの数で入れてください"),
        (("昭和", 17, "", 5), "年・月・日をすべて入れてください"),
        (("昭和", "十七", 3, 5), "年・月・日は数字で入れてください"),
    ],
)
def test_impossible_birth_dates_are_explained_at_the_field(client, typed, said):
    response = start(client, members=[("self", "1990-04-01"), ("spouse", typed)])
    assert response.status_code == 200
    assert said in field_error(response, "id_m-1-birth_date")
    assert f"2人目の生年月日: {said}" in text(response)  # the summary at the top
    # What was typed is still there, as typed.
    assert f'name="m-1-birth_date_year" value="{typed[1]}"' in response.content.decode()


def test_an_impossible_event_date_keeps_everything_typed(client):
    response = start(client, date="2026-02-30", members=[("self", "1990-04-01")])
    page = response.content.decode()
    assert "2026年2月30日という日はありません" in field_error(response, "id_event_date")
    assert 'href="#id_event_date_0"' in page  # the summary links to the field
    assert 'name="m-0-birth_date_year" value="1990"' in page
    assert "やることリスト" not in page


def test_the_event_date_is_required_with_its_own_label(client):
    response = start(client, date="", members=[("self", "1990-04-01")])
    assert "生まれた日を入れてください" in field_error(response, "id_event_date")


def test_birth_date_after_the_event_is_put_on_that_persons_field(client):
    response = start(client, members=[("self", "1990-04-01"), ("", ""), ("child", "2026-11-25")])
    error = field_error(response, "id_m-2-birth_date")
    assert "生まれた日(2026年11月20日)より後の日になっています" in error
    shown = text(response)
    assert "3人目の生年月日: 生まれた日(2026年11月20日)より後" in shown
    for stock in STOCK_TEXTS:
        assert stock not in shown, stock


def test_a_birth_date_without_a_role_is_an_error(client):
    response = start(client, members=[("", "1990-01-01")])
    assert "続柄を選んでください" in field_error(response, "id_m-0-role")


def test_an_invalid_answer_is_said_at_its_question_and_nothing_is_lost(client):
    start(client, **BIRTH)
    kept = client.session["guide"]["birth"]
    for typed, said in (("たくさん", "数字で入れてください"), ("-5", "0以上の数を入れてください")):
        response = client.post("/guide/birth/answers/", {"q-birth-weight-1": typed})
        assert response.status_code == 200
        assert said in field_error(response, "id_q-birth-weight-1")
        assert f"生まれた子の出生体重は何グラムですか: {said}" in text(response)
        assert client.session["guide"]["birth"] == kept


def test_a_birth_weight_the_model_refuses_is_said_at_the_question(client):
    start(client, **BIRTH)
    response = client.post("/guide/birth/answers/", {"q-birth-weight-1": "50"})
    assert "200以上の数を入れてください" in field_error(response, "id_q-birth-weight-1")


# Adding and removing people without JavaScript.


def test_adding_a_fifth_person_keeps_everything_typed(client):
    data = start_data(
        members=[("self", "1990-04-01"), ("spouse", ("昭和", 62, "", "")), ("newborn", "")]
    )
    data["m-TOTAL_FORMS"] = "4"
    data["add_member"] = "1"
    response = client.post("/guide/birth/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="m-TOTAL_FORMS" value="5"' in page
    assert '<legend class="member-no">5人目</legend>' in page
    assert 'name="m-1-birth_date_year" value="62"' in page
    assert re.search(r'name="m-1-birth_date_era"[^>]*>.*?<option value="昭和" selected', page, re.S)
    assert 'class="error"' not in page and "error-summary" not in page  # not judged yet


def test_removing_a_person_keeps_the_others(client):
    data = start_data(members=[("self", "1990-04-01"), ("spouse", "1991-02-28"), ("child", "")])
    data["remove_member"] = "1"
    page = client.post("/guide/birth/", data).content.decode()
    assert 'name="m-TOTAL_FORMS" value="3"' in page
    assert re.search(r'name="m-1-role"[^>]*>.*?<option value="child" selected', page, re.S)
    assert 'value="1991"' not in page


def test_no_more_than_the_maximum_and_it_says_so(client):
    data = start_data(members=[("child", "")] * MAX_MEMBERS, extra_rows=0)
    data["add_member"] = "1"
    page = client.post("/guide/birth/", data).content.decode()
    assert f'name="m-TOTAL_FORMS" value="{MAX_MEMBERS}"' in page
    assert re.search(r'<button[^>]*id="add-member"[^>]*hidden', page)
    assert re.search(r'<p class="hint" id="member-limit">\s*一度に入れられるのは20人までです', page)


# Changing one answer; starting again.


def test_the_checklist_lists_what_it_was_made_from(client):
    start(client, **BIRTH)
    client.post("/guide/birth/answers/", {"q-insurance-0": "kokuho", "q-single-parent-h": "false"})
    shown = text(client.get("/guide/birth/checklist/"))
    assert "作成日:" in shown
    given = shown[shown.index("入力した内容 できごと") :]
    for words in (
        "生まれた日 2026年11月20日(令和8年11月20日)",
        "1人目(本人)",
        "続柄 本人",
        "生年月日 1990年4月1日(平成2年4月1日)",
        "本人の健康保険は何ですか 市の国民健康保険",
        "ひとり親の家庭ですか いいえ",
    ):
        assert words in given, words


def test_one_answer_can_be_changed_and_the_others_stay(client):
    start(client, **BIRTH)
    client.post("/guide/birth/answers/", {"q-insurance-0": "kokuho", "q-single-parent-h": "false"})
    page = client.get("/guide/birth/checklist/").content.decode()
    assert 'href="/guide/birth/change/insurance/0/"' in page

    form = client.get("/guide/birth/change/insurance/0/").content.decode()
    assert re.search(r'value="kokuho"[^>]*checked', form)
    response = client.post("/guide/birth/change/insurance/0/", {"q-insurance-0": "shaho"})
    assert response.status_code == 302
    assert response["Location"] == "/guide/birth/checklist/#given"
    kept = client.session["guide"]["birth"]
    assert kept["members"][0]["insurance"] == "shaho"
    assert kept["single_parent"] is False  # untouched


def test_changing_the_date_moves_the_newborns_birth_date_with_it(client):
    start(client, **BIRTH)
    client.post("/guide/birth/answers/", {"q-birth-weight-1": "2400"})
    response = client.post(
        "/guide/birth/change/event_date/", date_fields("q-event-date-h", ("令和", 8, 11, 18))
    )
    assert response.status_code == 302
    shown = text(client.get("/guide/birth/checklist/"))
    assert "2026年12月1日(火)" in shown  # 出生届: 14 days from the 18th
    assert "2,400g" in shown  # the weight answer is kept


def test_a_changed_birth_date_after_the_event_is_refused_in_plain_words(client):
    start(client, **BIRTH)
    response = client.post(
        "/guide/birth/change/birth_date/0/", date_fields("q-birth-date-0", "2026-11-25")
    )
    assert response.status_code == 200
    assert "生まれた日(2026年11月20日)より後の日になっています" in field_error(
        response, "id_q-birth-date-0"
    )


def test_the_first_page_comes_back_filled_in_and_keeps_the_answers(client):
    start(client, **BIRTH)
    client.post("/guide/birth/answers/", {"q-insurance-0": "kokuho", "q-single-parent-h": "false"})
    page = client.get("/guide/birth/").content.decode()
    assert "前に入力した内容を表示しています" in page
    assert 'name="m-0-birth_date_year" value="2"' in page  # 平成2年, as papers write it
    assert 'name="m-0-was" value="0"' in page
    # Add a grandparent in front; 本人's insurance follows 本人.
    data = start_data(members=[("parent", ("昭和", 17, 3, 5)), ("self", "1990-04-01")])
    data["m-1-was"] = "0"
    client.post("/guide/birth/", data)
    kept = client.session["guide"]["birth"]
    assert kept["members"][1]["insurance"] == "kokuho"
    assert "insurance" not in kept["members"][0]
    assert kept["single_parent"] is False


def test_clearing_forgets_everything(client):
    start(client, **BIRTH)
    response = client.post("/guide/birth/clear/")
    assert response["Location"] == "/guide/birth/"
    assert "入力した内容は残っていません" in text(client.get("/guide/birth/checklist/"))
    assert "前に入力した内容" not in client.get("/guide/birth/").content.decode()


# English.


def test_language_switch_returns_to_the_same_checklist(client):
    start(client, **BIRTH)
    client.post("/guide/birth/answers/", {"q-insurance-0": "kokuho"})
    back = client.post("/i18n/setlang/", {"language": "en", "next": "/guide/birth/checklist/"})
    assert back["Location"] == "/guide/birth/checklist/"
    shown = text(client.get("/guide/birth/checklist/"))
    assert "Your checklist" in shown and "Birth registration" in shown
    assert "Thu 3 Dec 2026" in shown
    assert "National Health Insurance" in shown  # the answer, kept


JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def english_text(response) -> str:
    """The page's text, less what is Japanese on purpose: the 日本語 button and catalogue
    text the example municipality has only in Japanese (持ち物, legal basis)."""
    body = response.content.decode()
    body = re.sub(r'<ul class="bring">.*?</ul>|<span class="law">.*?</span>', "", body, flags=re.S)
    body = body.replace('lang="ja">日本語', "")
    return text(type("R", (), {"content": body.encode()}))


def test_english_pages_have_no_japanese_labels_or_dates(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    pages = [client.get("/"), client.get("/guide/birth/"), client.get("/guide/birth/checklist/")]
    bad = start(client, members=[("self", ("昭和", 65, 1, 1))])
    pages.append(bad)
    start(client, members=[("self", ("昭和", 17, 3, 5)), ("spouse", "1991-02-28")])
    client.post("/guide/birth/answers/", {"q-insurance-0": "kokuho"})
    pages += [
        client.get("/guide/birth/checklist/"),
        client.get("/guide/birth/change/birth_date/0/"),
        client.get("/guide/birth/change/event_date/"),
    ]
    for response in pages:
        shown = english_text(response)
        assert not JAPANESE.search(shown), JAPANESE.findall(shown)
    checklist = text(pages[4])
    assert "Made on:" in checklist and "Sat 5 Mar 1942" not in checklist
    assert "Thu 5 Mar 1942" in checklist


def test_english_era_dates_are_explained_in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = start(client, members=[("self", ("昭和", 65, 1, 1))])
    assert (
        "There is no 1 January Showa 65. The Showa era ended on Sat 7 Jan 1989, "
        "and Heisei began the next day." in field_error(response, "id_m-0-birth_date")
    )


# The PDF, and what every page must not do.


def test_pdf_checklist_has_the_answers_the_date_made_and_the_deadlines(client, tmp_path):
    start(client, **BIRTH)
    client.post("/guide/birth/answers/", {"q-insurance-0": "kokuho"})
    response = client.get("/guide/birth/checklist.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    path = tmp_path / "checklist.pdf"
    path.write_bytes(response.content)
    compact = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(path).pages))
    today = date.today()
    for words in (
        "やることリスト",
        f"作成日:{today.year}年{today.month}月{today.day}日",
        "出生届",
        "2026年12月3日(木)",
        "令和8年12月3日",
        "児童手当認定請求",
        "2026年12月7日(月)",
        "母子健康手帳",
        "市民課",
        "入力した内容",
        "本人の健康保険は何ですか市の国民健康保険",
    ):
        assert words in compact, words
    assert "変える" not in compact
    # Embedded Japanese fonts, not tofu: pdffonts names a CJK font.
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
        assert re.search(r"Noto-?Sans-?CJK|IPAex", fonts), fonts
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
            check=True,
        )
        assert list(tmp_path.glob("p*.png"))


def test_listing_nobody_leaves_the_household_unknown(client):
    shown = text(start(client, event="move_in", members=[("", "")]))
    # Not "nobody is 75 or over": the guide asks instead of dropping the procedure.
    assert "後期高齢者医療 資格取得(転入)" in shown
    assert "世帯員1の生年月日を教えてください" in shown


def test_every_asset_is_self_hosted_and_nothing_is_inline(client):
    """Closed network (LGWAN): pages load nothing from outside. And the coming CSP
    allows no inline script or style."""
    start(client, **BIRTH)
    pages = [
        client.get("/"),
        client.get("/guide/birth/"),
        client.get("/guide/birth/checklist/"),
        client.get("/guide/birth/change/insurance/0/"),
    ]
    for response in pages:
        page = response.content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', page), page
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)
        assert not re.search(r"\s(style|on[a-z]+)=", page)
        assert "<style" not in page
    tokens = client.get("/static/dads/tokens.css")
    assert tokens.status_code == 200
    assert b"--color-primitive-blue-900" in b"".join(tokens.streaming_content)


# Procedures found by name (/procedures/) and one procedure's page.


def test_home_links_to_the_search(client):
    page = client.get("/").content.decode()
    assert 'action="/procedures/"' in page and 'href="/procedures/"' in page


@pytest.mark.parametrize("query", ["かいご", "カイゴ", "ｶｲｺﾞ", "介護", "さいこうふ"])
def test_search_page_finds_the_care_card_reissue(client, query):
    page = client.get("/procedures/", {"q": query}).content.decode()
    assert 'href="/procedures/care-insurance-card-reissue/"' in page
    assert "介護保険 被保険者証 再交付" in page and "介護保険課" in page
    assert f'value="{query}"' in page


def test_search_page_says_when_nothing_is_found(client):
    page = client.get("/procedures/", {"q": "うちゅうりょこう"}).content.decode()
    assert "見つかりませんでした" in page and 'class="hit"' not in page


def test_search_page_without_a_query_lists_every_procedure(client, catalog):
    page = client.get("/procedures/").content.decode()
    assert page.count('class="hit"') == len(catalog.procedures)


def test_a_long_query_is_cut_not_refused(client):
    assert client.get("/procedures/", {"q": "か" * 1000}).status_code == 200


def test_procedure_page_with_a_form(client):
    page = client.get("/procedures/care-insurance-card-reissue/").content.decode()
    assert 'href="/apply/care-insurance-card-reissue/"' in page
    assert "オンラインで申請" in page
    assert "マイナンバーカードなどでの本人確認が必要です" in page
    assert "介護保険課" in page and "本庁舎1階 4番窓口" in page
    assert "期限はありません" in page  # the deadline's text
    assert "破れたり汚れたりした介護保険証" in page  # what to bring


def test_procedure_page_without_a_form_has_no_apply_link(client):
    page = client.get("/procedures/birth-registration/").content.decode()
    assert "/apply/" not in page
    assert 'href="/guide/birth/"' in page  # its life event's guide


def test_procedure_page_of_a_form_without_identity(client):
    page = client.get("/procedures/dog-registration-change/").content.decode()
    assert "本人確認をしなくても申請できます" in page


def test_unknown_procedure_is_404(client):
    assert client.get("/procedures/no-such-procedure/").status_code == 404


def test_search_and_procedure_pages_in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for response in (
        client.get("/procedures/", {"q": "kaigo"}),
        client.get("/procedures/", {"q": "care insurance"}),
        client.get("/procedures/care-insurance-card-reissue/"),
    ):
        shown = english_text(response)
        assert not JAPANESE.search(shown), JAPANESE.findall(shown)
    page = client.get("/procedures/care-insurance-card-reissue/").content.decode()
    assert "Apply online" in page and "Long-term Care Insurance Division" in page
