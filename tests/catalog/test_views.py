"""The resident web guide, server side (the browser walk is in tests/e2e)."""

import html
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def situation_field(response) -> str:
    match = re.search(r'name="situation" value="([^"]*)"', response.content.decode())
    return html.unescape(match.group(1))


def start(client, event="birth", date="2026-11-20", members=(("self", "1990-04-01"),)):
    data = {"event_date": date, "m-TOTAL_FORMS": str(len(members) + 1), "m-INITIAL_FORMS": "0"}
    for i, (role, born) in enumerate(members):
        data[f"m-{i}-role"] = role
        data[f"m-{i}-birth_date"] = born
    return client.post(f"/guide/{event}/", data)


def test_home_lists_the_life_events(client):
    page = client.get("/").content.decode()
    for name in ("子どもが生まれた", "他の市区町村から引っ越してきた", "家族が亡くなった"):
        assert name in page
    assert 'href="/guide/birth/"' in page


def test_unknown_event_is_404(client):
    assert client.get("/guide/graduation/").status_code == 404


def test_start_page_offers_the_usual_household(client):
    page = client.get("/guide/birth/").content.decode()
    assert 'name="event_date"' in page
    assert re.search(r'<option value="newborn" selected>', page)


def test_birth_checklist_and_questions(client):
    response = start(client, members=[("self", "1990-04-01"), ("newborn", "")])
    page = response.content.decode()
    assert response.status_code == 200
    assert "出生届" in page and "2026年12月3日(木)" in page and "令和8年12月3日" in page
    assert "生まれた子の出生体重は何グラムですか" in page
    assert "当てはまるかもしれない手続き" in page


def test_answers_update_the_checklist(client):
    first = start(client, members=[("self", "1990-04-01"), ("newborn", "")])
    answered = client.post(
        "/guide/birth/answers/",
        {
            "situation": situation_field(first),
            "q-birth-weight-1": "２，４００",  # 全角 with a comma, as typed on a phone
            "q-insurance-0": "kokuho",
            "q-single-parent-h": "false",
            "q-receives-child-allowance-0": "",  # わからない
        },
    )
    page = answered.content.decode()
    required = page.split('id="h-may"')[0]
    assert "低体重児の届出" in required and "出産育児一時金" in required
    assert "児童扶養手当" not in page
    # The unanswered question is still there, nothing else is asked again.
    assert "本人は児童手当を受け取っていますか" in page
    assert "本人の健康保険は何ですか" not in page


def test_a_bad_date_redisplays_the_form_with_the_error_and_keeps_input(client):
    response = start(client, date="2026-02-30", members=[("self", "1990-04-01")])
    page = response.content.decode()
    assert "「2026-02-30」という日付はありません" in page
    assert 'value="1990-04-01"' in page  # what was typed is kept
    assert "やることリスト" not in page


def test_wareki_input_is_understood(client):
    response = start(client, event="move_in", date="令和8年11月20日", members=[("self", "R2.1.1")])
    page = response.content.decode()
    assert "転入届" in page and "2026年12月4日(金)" in page


def test_birth_date_after_the_event_is_refused(client):
    response = start(client, event="move_in", members=[("self", "2027-01-01")])
    assert "1人目の生年月日: 住み始めた日(引っ越した日)より後の日付" in response.content.decode()


def test_a_birth_date_without_a_role_is_an_error(client):
    response = start(client, members=[("", "1990-01-01")])
    assert "続柄を選んでください" in response.content.decode()


def test_an_invalid_answer_keeps_the_situation(client):
    first = start(client, members=[("self", "1990-04-01"), ("newborn", "")])
    response = client.post(
        "/guide/birth/answers/",
        {"situation": situation_field(first), "q-birth-weight-1": "たくさん"},
    )
    page = response.content.decode()
    assert "整数" in page  # Django's Japanese message for a whole number
    assert situation_field(response) == situation_field(first)


def test_tampered_state_is_a_clear_400(client):
    response = client.post("/guide/birth/answers/", {"situation": '{"event": "birth", "x": 1'})
    assert response.status_code == 400
    assert "最初からやり直してください" in response.content.decode()


def test_english_pages(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page and "What happened?" in page and "A child was born" in page
    result = start(client, members=[("self", "1990-04-01")]).content.decode()
    assert "Your checklist" in result and "Birth registration" in result
    assert "Thu 3 Dec 2026" in result


def test_pdf_checklist_has_the_japanese_text_and_deadlines(client, tmp_path):
    first = start(client, members=[("self", "1990-04-01"), ("newborn", "")])
    response = client.post("/guide/birth/checklist.pdf", {"situation": situation_field(first)})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    path = tmp_path / "checklist.pdf"
    path.write_bytes(response.content)
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    compact = re.sub(r"\s+", "", text)
    for words in (
        "やることリスト",
        "出生届",
        "2026年12月3日(木)",
        "令和8年12月3日",
        "児童手当認定請求",
        "2026年12月7日(月)",
        "母子健康手帳",
        "市民課",
    ):
        assert words in compact, words
    # Embedded Japanese fonts, not tofu: pdffonts names a CJK font.
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
        assert re.search(r"Noto-?Sans-?CJK|IPAex", fonts), fonts
    # And it renders: pdftoppm produces a page image.
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "30",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                str(path),
                str(tmp_path / "page"),
            ],
            check=True,
        )
        assert list(tmp_path.glob("page*.png"))


def test_state_for_another_event_is_refused(client):
    response = client.post(
        "/guide/birth/checklist.pdf",
        {"situation": '{"event": "death", "event_date": "2026-11-20"}'},
    )
    assert response.status_code == 400


def test_listing_nobody_leaves_the_household_unknown(client):
    page = start(client, event="move_in", members=[("", "")]).content.decode()
    # Not "nobody is 75 or over": the guide asks instead of dropping the procedure.
    assert "後期高齢者医療 資格取得(転入)" in page
    assert "世帯員1の生年月日を教えてください" in page


def test_every_asset_is_self_hosted(client):
    """Closed network (LGWAN): pages load nothing from outside, and the design tokens
    installed from npm are served by the app itself."""
    pages = [client.get("/"), client.get("/guide/birth/"), start(client)]
    for response in pages:
        page = response.content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', page), page
    tokens = client.get("/static/dads/tokens.css")
    assert tokens.status_code == 200
    assert b"--color-primitive-blue-900" in b"".join(tokens.streaming_content)
