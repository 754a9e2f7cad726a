"""The card agent on the clerk's PC, end to end over HTTP: the counter page's
origin → the agent on 127.0.0.1 → pcscd → the simulated card, and the facts on to
the madoguchi server (``live_server``) with the page's one-time token. The page
only ever hears ok or the Japanese error, never the facts."""

from __future__ import annotations

import http.client
import json
import threading

import pytest
from django.urls import reverse

from madoguchi.counter.card.agent import CardAgent
from madoguchi.counter.models import Visit
from tests.counter.conftest import signed_in

NAME = "\u9ad9\ufa11 \U00020bb7乃"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agent(live_server):
    server = CardAgent(live_server.url, port=0)  # any free port, on 127.0.0.1
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def ask(agent, method: str, body=None, origin: str | None = None, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", agent.server_address[1], timeout=60)
    if origin is not None:
        headers["Origin"] = origin
    data = json.dumps(body).encode() if body is not None else None
    if data is not None:
        headers["Content-Type"] = "application/json"
    connection.request(method, "/read", body=data, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response, json.loads(payload) if payload else None


@pytest.fixture
def token(clerk, visit):
    client = signed_in(clerk)

    def new() -> str:
        return client.post(reverse("counter:card_token", args=[visit.public_id])).json()["token"]

    return new


def test_listens_on_localhost_only(agent):
    assert agent.server_address[0] == "127.0.0.1"


def test_preflight_answers_the_madoguchi_origin_with_private_network_access(agent, live_server):
    response, _ = ask(
        agent,
        "OPTIONS",
        origin=live_server.url,
        **{
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
            "Access-Control-Request-Private-Network": "true",
        },
    )
    assert response.status == 204
    assert response.getheader("Access-Control-Allow-Origin") == live_server.url
    assert response.getheader("Access-Control-Allow-Private-Network") == "true"
    assert "POST" in response.getheader("Access-Control-Allow-Methods")


def test_another_origin_gets_nothing(agent, put_card, token):
    card = put_card()
    response, _ = ask(agent, "OPTIONS", origin="https://evil.example")
    assert response.status == 403 and response.getheader("Access-Control-Allow-Origin") is None
    response, body = ask(
        agent, "POST", {"pin": "1234", "token": token()}, origin="https://evil.example"
    )
    assert response.status == 403 and response.getheader("Access-Control-Allow-Origin") is None
    assert "使えません" in body["error"]
    response, _ = ask(agent, "POST", {"pin": "1234", "token": token()})  # no Origin at all
    assert response.status == 403
    assert card.apdus == []  # the card was never touched


def test_a_read_delivers_the_facts_to_the_visit_and_tells_the_page_only_ok(
    agent, live_server, put_card, token, visit
):
    put_card(name=NAME, birth="19850304", sex="2")
    response, body = ask(agent, "POST", {"pin": "1234", "token": token()}, origin=live_server.url)
    assert response.status == 200 and body == {"ok": True}
    assert response.getheader("Access-Control-Allow-Origin") == live_server.url
    visit.refresh_from_db()
    assert visit.applicant.name == NAME and visit.applicant.verified


def test_a_wrong_pin_is_told_with_the_tries_left_and_nothing_is_delivered(
    agent, live_server, put_card, token, visit
):
    card = put_card(pin="1234")
    response, body = ask(agent, "POST", {"pin": "9999", "token": token()}, origin=live_server.url)
    assert response.status == 422
    assert body["ok"] is False and body["tries_left"] == 2 and "あと2回" in body["error"]
    assert len(card.received("verify")) == 1
    assert Visit.objects.get(pk=visit.pk).applicant is None


def test_a_page_without_a_valid_token_never_touches_the_card(agent, live_server, put_card, visit):
    card = put_card()
    response, body = ask(agent, "POST", {"pin": "1234", "token": "z" * 43}, origin=live_server.url)
    assert response.status == 502 and "もう一度" in body["error"]
    assert card.apdus == [] and card.tries_left == 3


def test_a_used_token_cannot_deliver_twice(agent, live_server, put_card, token):
    put_card()
    once = token()
    assert ask(agent, "POST", {"pin": "1234", "token": once}, origin=live_server.url)[1]["ok"]
    response, body = ask(agent, "POST", {"pin": "1234", "token": once}, origin=live_server.url)
    assert response.status == 502 and body["ok"] is False


def test_an_unreachable_server_is_said_plainly(put_card, live_server):
    put_card()
    with CardAgent("http://127.0.0.1:9", port=0) as agent:
        thread = threading.Thread(target=agent.serve_forever, daemon=True)
        thread.start()
        try:
            response, body = ask(
                agent, "POST", {"pin": "1234", "token": "t" * 43}, origin="http://127.0.0.1:9"
            )
        finally:
            agent.shutdown()
    assert response.status == 502 and "接続できませんでした" in body["error"]


@pytest.mark.parametrize("body", [[], {"pin": 1234, "token": "t"}, {"token": "t" * 43}])
def test_a_malformed_request_is_refused(agent, live_server, body):
    response, answer = ask(agent, "POST", body, origin=live_server.url)
    assert response.status == 400 and "形が正しくありません" in answer["error"]
