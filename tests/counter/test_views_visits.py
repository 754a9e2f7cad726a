"""The counter clerk's list of today's visits and the waiting display, through the
real sign-in (password, then the TOTP code): 森さん (総合窓口) starts, calls and
cancels; a department's clerk gets 404 here, and 森さん gets 404 on the back
office's queue; the display is public and shows numbers only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from madoguchi.counter import tickets
from madoguchi.counter.models import Visit, VisitKind, VisitStatus
from madoguchi.counter.views_visits import WINDOW_KEY
from tests.backoffice.conftest import client_for, password_only_client

pytestmark = pytest.mark.django_db


def main_text(response) -> str:
    html = response.content.decode()
    main = re.search(r"<main.*?</main>", html, re.S)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def staff_urls(visit: Visit) -> list[tuple[str, str]]:
    return [
        ("get", reverse("counter:visits")),
        ("post", reverse("counter:start")),
        ("post", reverse("counter:call_next")),
        ("get", reverse("counter:ticket", args=[visit.public_id])),
        ("post", reverse("counter:call", args=[visit.public_id])),
        ("get", reverse("counter:cancel", args=[visit.public_id])),
        ("post", reverse("counter:cancel", args=[visit.public_id])),
    ]


def test_mori_starts_a_visit_and_reads_its_number_out(madoguchi):
    client = client_for(madoguchi)
    page = client.get(reverse("counter:visits"))
    assert page.status_code == 200
    assert "今日の受付はまだありません" in main_text(page)
    response = client.post(reverse("counter:start"), {"kind": "general"})
    visit = Visit.objects.get()
    assert response["Location"] == reverse("counter:ticket", args=[visit.public_id])
    ticket = client.get(response["Location"])
    assert '<p class="ticket-number" aria-label="1番">1</p>' in ticket.content.decode()
    assert "総合窓口" in main_text(ticket)

    client.post(reverse("counter:start"), {"kind": "bereavement"})
    second = Visit.objects.get(number=2)
    assert second.kind == VisitKind.BEREAVEMENT and second.created_by == madoguchi
    listed = main_text(client.get(reverse("counter:visits")))
    assert "1番 総合窓口 お待ちください" in listed
    assert "2番 おくやみコーナー お待ちください" in listed


def test_an_unknown_kind_starts_nothing(madoguchi):
    client = client_for(madoguchi)
    response = client.post(reverse("counter:start"), {"kind": "vip"}, follow=True)
    assert "受付の種類を選んでください" in main_text(response)
    assert not Visit.objects.exists()


def test_call_the_next_to_my_window_which_is_remembered(madoguchi):
    first = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    client = client_for(madoguchi)
    response = client.post(reverse("counter:call_next"), {"window": "３"}, follow=True)
    assert "1番の方を窓口 3 にお呼びしました" in main_text(response)
    first.refresh_from_db()
    assert (first.status, first.window, first.clerk) == (VisitStatus.CALLED, "3", madoguchi)
    assert client.session[WINDOW_KEY] == "3"
    assert 'name="window" id="id_window" value="3"' in response.content.decode()
    assert "1番 総合窓口 呼び出し中 0分 3 森 明美" in main_text(response)

    client.post(reverse("counter:call_next"), {"window": "3"})
    again = client.post(reverse("counter:call_next"), {"window": "3"}, follow=True)
    assert "お待ちの方はいません" in main_text(again)


def test_a_row_s_call_button_calls_that_visit_and_a_second_press_changes_nothing(
    madoguchi, madoguchi2
):
    tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    bereaved = tickets.start_visit(kind=VisitKind.BEREAVEMENT, by=madoguchi)
    page = client_for(madoguchi).get(reverse("counter:visits")).content.decode()
    call_url = reverse("counter:call", args=[bereaved.public_id])
    # Without JavaScript: the row's button submits the window's form to its own address.
    assert f'form="calling" formaction="{call_url}"' in page
    client_for(madoguchi).post(call_url, {"window": "おくやみ1"})
    bereaved.refresh_from_db()
    assert (bereaved.window, bereaved.clerk) == ("おくやみ1", madoguchi)
    response = client_for(madoguchi2).post(call_url, {"window": "5"}, follow=True)
    assert "2番は、もう呼び出し済みか取り消し済みです" in main_text(response)
    bereaved.refresh_from_db()
    assert (bereaved.window, bereaved.clerk) == ("おくやみ1", madoguchi)


@pytest.mark.parametrize("window", ["", "😀", "3\u202e", "a" * 11, "<b>3</b>"])
def test_a_window_the_display_cannot_show_is_refused_in_japanese(madoguchi, window):
    visit = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    client = client_for(madoguchi)
    response = client.post(reverse("counter:call_next"), {"window": window}, follow=True)
    text = main_text(response)
    assert "窓口の番号を入れてください" in text or "文字までの数字や文字で入れてください" in text
    visit.refresh_from_db()
    assert visit.called_at is None


def test_cancel_asks_first_then_cancels_once(madoguchi):
    visit = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    client = client_for(madoguchi)
    url = reverse("counter:cancel", args=[visit.public_id])
    asked = client.get(url)
    assert "1番の受付を取り消しますか" in main_text(asked)
    visit.refresh_from_db()
    assert visit.cancelled_at is None
    done = client.post(url, follow=True)
    assert "1番を取り消しました" in main_text(done)
    assert "1番 総合窓口 取り消し" in main_text(done)
    assert "1番を呼ぶ" not in main_text(done) and "1番を取り消す" not in main_text(done)
    again = client.post(url, follow=True)
    assert "1番は、もう完了か取り消し済みです" in main_text(again)


def test_the_list_shows_today_only_with_the_wait_so_far(madoguchi):
    now = timezone.now()
    Visit.objects.create(day=timezone.localdate() - timedelta(days=1), number=77,
                         arrived_at=now - timedelta(days=1))  # fmt: skip
    visit = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    Visit.objects.filter(pk=visit.pk).update(arrived_at=now - timedelta(minutes=25))
    text = main_text(client_for(madoguchi).get(reverse("counter:visits")))
    assert "77番" not in text
    assert re.search(r"1番 総合窓口 お待ちください 2[56]分", text)


def test_a_visit_links_to_its_page_when_the_flow_has_one(madoguchi):
    visit = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    page = client_for(madoguchi).get(reverse("counter:visits")).content.decode()
    try:
        url = reverse("counter:visit", args=[visit.public_id])
    except NoReverseMatch:
        assert '<th scope="row" class="ticket">1番</th>' in page
    else:
        assert f'<a href="{url}">1番</a>' in page


def test_a_department_clerk_without_the_permission_gets_404(kosodate, madoguchi):
    visit = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    client = client_for(kosodate)
    for method, url in staff_urls(visit):
        assert getattr(client, method)(url, {"window": "1", "kind": "general"}).status_code == 404
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WAITING
    assert Visit.objects.count() == 1


def test_a_counter_clerk_cannot_open_the_back_office_queue(madoguchi):
    client = client_for(madoguchi)
    assert client.get(reverse("backoffice:queue")).status_code == 404
    assert client.get(reverse("backoffice:export")).status_code == 404
    # The staff link on the public pages leads to the counter instead.
    home = client.get(reverse("catalog:home")).content.decode()
    assert f'<a href="{reverse("counter:visits")}">職員の画面</a>' in home


def test_signed_out_goes_to_sign_in_and_a_password_only_session_to_mfa(madoguchi):
    response = Client().get(reverse("counter:visits"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    response = password_only_client(madoguchi).get(reverse("counter:visits"))
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_the_display_is_public_and_shows_numbers_windows_and_the_wait_only(madoguchi, madoguchi2):
    one = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    two = tickets.start_visit(kind=VisitKind.BEREAVEMENT, by=madoguchi)
    tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    gone = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    tickets.cancel(gone, by=madoguchi)
    tickets.call(one, by=madoguchi, window="3")
    tickets.call(two, by=madoguchi2, window="おくやみ1")

    response = Client().get(reverse("counter:display"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    html = response.content.decode()
    text = main_text(response)
    assert "呼び出し中 2 → 窓口 おくやみ1 1 → 窓口 3" in text  # the newest call on top
    assert "お待ちの番号 3 4 ただいまの待ち時間 約30分" in text  # 15 min × 2 / 1 window
    assert "おおよその目安" in text  # nobody served yet today
    for private in ("森", "中村", "総合窓口", "おくやみコーナー", "5"):
        assert private not in text.replace(f"{timezone.localtime():%H:%M}", "")
    assert '<noscript><meta http-equiv="refresh" content="10"></noscript>' in html
    assert re.search(r'<script src="/static/counter/display\.js" defer></script>', html)
    assert "<script>" not in html  # no inline script (CSP: script-src 'self')


def test_a_called_visit_leaves_the_display_when_its_window_calls_the_next(madoguchi):
    one = tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    tickets.start_visit(kind=VisitKind.GENERAL, by=madoguchi)
    tickets.call(one, by=madoguchi, window="3")
    tickets.call_next(by=madoguchi, window="3")
    text = main_text(Client().get(reverse("counter:display")))
    assert "呼び出し中 2 → 窓口 3 お待ちの番号 —" in text
    assert "ただいま、お待ちの方はいません" in text
