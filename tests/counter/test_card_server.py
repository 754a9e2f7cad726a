"""The server's side of the card agent: a one-time token for the visit page of a
signed-in counter clerk, and the facts delivered with it stored as the visit's
applicant's card-verified identity."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madoguchi.applications.models import IdentitySource
from madoguchi.backoffice.cast import KOSODATE
from madoguchi.common.models import AuditEvent
from madoguchi.counter import card_tokens
from madoguchi.counter.models import CardReadToken, Visit
from tests.counter.conftest import counter_clerk, signed_in

FACTS = {
    "name": "\u9ad9\ufa11 \U00020bb7乃",
    "address": "神奈川県横浜市港北区大倉山一丁目2番3号",
    "birth_date": "1985-03-04",
    "sex": "female",
}


def token_for(client: Client, visit: Visit):
    return client.post(reverse("counter:card_token", args=[visit.public_id]))


def deliver(body: dict):
    # The agent: no session, no CSRF cookie (enforce_csrf_checks as a browser would).
    return Client(enforce_csrf_checks=True).post(
        reverse("counter:card_facts"), json.dumps(body), content_type="application/json"
    )


def test_a_counter_clerk_gets_a_token_for_the_visit(clerk, visit):
    response = token_for(signed_in(clerk), visit)
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) >= 40 and response.json()["expires_in"] == 300
    row = CardReadToken.objects.get()
    assert row.visit == visit and row.issued_to == clerk
    assert token not in row.digest  # only its hash is kept


def test_a_department_clerk_gets_no_token(db, visit):
    from tests.backoffice.conftest import staff

    kosodate = staff(KOSODATE)
    assert token_for(signed_in(kosodate), visit).status_code == 404
    assert token_for(Client(), visit).status_code == 302  # to the sign-in
    assert not CardReadToken.objects.exists()


def test_the_facts_become_the_applicants_verified_identity(clerk, visit):
    token = token_for(signed_in(clerk), visit).json()["token"]
    response = deliver({"token": token, **FACTS})
    assert response.status_code == 200 and response.json() == {"ok": True}
    visit.refresh_from_db()
    applicant = visit.applicant
    assert applicant.name == FACTS["name"]  # 𠮷 and 髙﨑 as the card gave them
    assert applicant.address == FACTS["address"]
    assert applicant.birth_date == datetime.date(1985, 3, 4) and applicant.sex == "female"
    assert applicant.source == IdentitySource.CARD and applicant.verified
    assert applicant.entered_by == clerk  # the clerk entered it; it is not the clerk's identity
    assert applicant.account is None
    event = AuditEvent.objects.get(action="verify")
    assert event.actor == clerk and event.target_id == str(applicant.public_id)
    assert FACTS["name"] not in json.dumps(event.detail, ensure_ascii=False)


def test_a_second_read_updates_the_same_applicant(clerk, visit):
    client = signed_in(clerk)
    deliver({"token": token_for(client, visit).json()["token"], **FACTS})
    first = Visit.objects.get(pk=visit.pk).applicant_id
    deliver({"token": token_for(client, visit).json()["token"], **FACTS, "sex": None})
    visit.refresh_from_db()
    assert visit.applicant_id == first and visit.applicant.sex == ""


def test_a_token_is_used_once(clerk, visit):
    token = token_for(signed_in(clerk), visit).json()["token"]
    assert deliver({"token": token, **FACTS}).status_code == 200
    again = deliver({"token": token, **FACTS, "name": "別人 太郎"})
    assert again.status_code == 403 and "もう一度" in again.json()["error"]
    visit.refresh_from_db()
    assert visit.applicant.name == FACTS["name"]


def test_an_expired_or_unknown_token_is_refused(clerk, visit):
    token = token_for(signed_in(clerk), visit).json()["token"]
    CardReadToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert deliver({"token": token, **FACTS}).status_code == 403
    assert deliver({"token": "x" * 43, **FACTS}).status_code == 403
    assert deliver({**FACTS}).status_code == 403
    visit.refresh_from_db()
    assert visit.applicant is None


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"name": ""}, "氏名"),
        ({"name": "あ" * 101}, "氏名"),
        ({"birth_date": "1985-02-30"}, "生年月日"),
        ({"birth_date": "2999-01-01"}, "生年月日"),
        ({"sex": "other"}, "性別"),
        ({"address": 3}, "住所"),
    ],
)
def test_malformed_facts_are_refused_and_keep_the_token(clerk, visit, change, words):
    token = token_for(signed_in(clerk), visit).json()["token"]
    response = deliver({"token": token, **FACTS, **change})
    assert response.status_code == 400 and words in response.json()["error"]
    assert card_tokens.check(token)


def test_check_says_whether_a_token_is_good(clerk, visit):
    token = token_for(signed_in(clerk), visit).json()["token"]
    check = Client(enforce_csrf_checks=True)
    url = reverse("counter:card_check")
    assert (
        check.post(url, json.dumps({"token": token}), content_type="application/json").status_code
        == 200
    )
    assert (
        check.post(
            url, json.dumps({"token": "y" * 43}), content_type="application/json"
        ).status_code
        == 403
    )
    assert check.post(url, "not json", content_type="application/json").status_code == 403


def test_a_finished_visit_takes_no_card(clerk, visit):
    client = signed_in(clerk)
    token = token_for(client, visit).json()["token"]
    Visit.objects.filter(pk=visit.pk).update(confirmed_at=timezone.now())
    assert deliver({"token": token, **FACTS}).status_code == 409
    assert token_for(client, visit).status_code == 409


def test_another_clerk_may_take_over_the_visit(clerk, visit):
    other = counter_clerk(("madoguchi2@example.jp", "受付", "次郎"))
    token = token_for(signed_in(other), visit).json()["token"]
    assert deliver({"token": token, **FACTS}).status_code == 200
    visit.refresh_from_db()
    assert visit.applicant.entered_by == other
