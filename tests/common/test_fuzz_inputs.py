"""No form and no filter of the site answers 500, whatever is typed or sent.

Every view that reads input is listed in ``TARGETS`` with the parameters it reads;
hypothesis sends each of them generated values (unicode digits, 30-digit numbers,
control characters, bidi overrides, emoji, days at the ends of the calendar, empty,
very long) on top of a valid request, and the answer must be under 500 (Django's
test client raises the view's exception, so a failure shows the traceback and the
smallest input that causes it). ``test_every_view_is_fuzzed_or_takes_no_input``
fails when a URL is added without being listed here.

Bounded: a few examples per view, no deadline.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madoguchi.applications import workflow
from madoguchi.applications.models import Status
from tests.applications.conftest import CLAIM, claim_post
from tests.applications.test_correspondence import ask, make_clerk
from tests.applications.test_submission import new_draft, send

pytestmark = pytest.mark.django_db

EDGES = [
    "", " ", "0", "-1", "1e309", "NaN", "9" * 20, "9" * 400, "²", "١٢٣", "𝟗𝟗",
    "0001-01-01", "9999-12-31", "10000-01-01", "2026-02-30", "2026-13-01", "1899-12-31",
    "\x00", "\x1b[2J", "\x7f", "\u202e", "\u2066", "\u200b", "😀", "👨‍👩‍👧",
    "a" * 5000, "../../etc/passwd", "%00", "' OR 1=1 --", "<script>", "true", "null",
    "[]", "{}", "me", "all", "open", "元", "令和99", "children:²", "children:" + "9" * 25,
]  # fmt: skip

nasty = st.one_of(
    st.sampled_from(EDGES),
    st.text(max_size=40),
    st.integers(-(10**30), 10**30).map(str),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Cc", "Cf", "So"]), max_size=25),
    st.dates().map(str),
)


@dataclass
class Target:
    """A view, how to reach it with a valid request, and the parameters it reads."""

    name: str
    method: str  # "get", "post" or "json"
    who: str  # "anyone", "resident", "clerk", "supervisor", "auditor", "counter"
    url: Callable[[dict], str]
    params: list[str]
    base: Callable[[dict], dict] = field(default=lambda w: {})
    examples: int = 6  # a PDF takes seconds to draw: fewer there
    body: dict | None = None  # a JSON view's valid body (default: the guide's situation)


def _url(name: str, key: str | None = None, *extra):
    def build(world: dict) -> str:
        args = [world[key].public_id] if key else []
        return reverse(name, args=[*args, *extra])

    return build


def _date(prefix: str) -> list[str]:
    return [f"{prefix}_{p}" for p in ("era", "year", "month", "day")]


GUIDE_START = {
    "event_date_era": "西暦",
    "event_date_year": "2026",
    "event_date_month": "11",
    "event_date_day": "20",
    "m-TOTAL_FORMS": "2",
    "m-INITIAL_FORMS": "0",
    "m-0-role": "self",
    "m-0-birth_date_era": "西暦",
    "m-0-birth_date_year": "1990",
    "m-0-birth_date_month": "4",
    "m-0-birth_date_day": "1",
    "m-1-role": "newborn",
}
PROFILE = {
    "family_name": "高橋",
    "given_name": "健太",
    "family_name_kana": "タカハシ",
    "given_name_kana": "ケンタ",
    "birth_date_era": "平成",
    "birth_date_year": "4",
    "birth_date_month": "6",
    "birth_date_day": "15",
    "postal_code": "100-0001",
    "address": "東京都千代田区千代田1-1",
    "phone": "090-1234-5678",
    "m-TOTAL_FORMS": "1",
    "m-INITIAL_FORMS": "1",
    "m-0-role": "spouse",
    "m-0-birth_date_era": "西暦",
    "m-0-birth_date_year": "1993",
    "m-0-birth_date_month": "1",
    "m-0-birth_date_day": "8",
    "save": "1",
}
COUNTER_FACTS = {
    "name__name": "高橋 太郎",
    "name__kana": "たかはし たろう",
    "birth_date_era": "昭和",
    "birth_date_year": "63",
    "birth_date_month": "6",
    "birth_date_day": "15",
    "address__postal": "100-0001",
    "address__address": "東京都千代田区千代田1-1",
}
SITUATION = {
    "event": "birth",
    "event_date": "2026-11-20",
    "members": [{"role": "self", "birth_date": "1990-04-01"}],
}

TARGETS = [
    # The guide
    Target("catalog:home", "get", "anyone", _url("catalog:home"), ["q", "lang"]),
    Target("catalog:search", "get", "anyone", _url("catalog:search"), ["q", "page"]),
    Target("catalog:procedure", "get", "anyone", _url("catalog:procedure", None, CLAIM), ["from"]),
    Target(
        "catalog:start", "post", "anyone", _url("catalog:start", None, "birth"),
        [*GUIDE_START, "remove_member", "add_member", "m-0-was", "m-0-sex"],
        lambda w: dict(GUIDE_START),
    ),
    Target(
        "catalog:answers", "post", "guided", _url("catalog:answers", None, "birth"),
        ["q-birth-weight-1", "q-childbirth-grant-to-claim-h", *_date("q-birth-date-0")],
    ),
    Target(
        "catalog:change", "post", "guided", _url("catalog:change", None, "birth", "event_date"),
        _date("q-event-date-h"),
    ),
    Target(
        "catalog:change_member", "post", "guided",
        _url("catalog:change_member", None, "birth", "birth_date", 0), _date("q-birth-date-0"),
    ),
    Target("catalog:checklist", "get", "guided", _url("catalog:checklist", None, "birth"), ["x"]),
    Target("catalog:pdf", "get", "guided", _url("catalog:pdf", None, "birth"), ["lang"],
           examples=2),
    Target("catalog:clear", "post", "guided", _url("catalog:clear", None, "birth"), ["next"]),
    # The resident
    Target(
        "residents:profile", "post", "resident", _url("residents:profile"),
        [*PROFILE, "remove_member", "add_member", "fill_address", "m-0-sex", "sex"],
        lambda w: dict(PROFILE),
    ),
    Target(
        "residents:save_checklist", "post", "guided_resident",
        _url("residents:save_checklist", None, "birth"), ["title", "name"],
    ),
    Target(
        "residents:identity_begin", "post", "resident",
        _url("residents:identity_begin", None, "demo"), ["next"],
    ),
    Target(
        "residents:identity_demo", "post", "resident", _url("residents:identity_demo"),
        ["next", "name", "birth_date"],
    ),
    Target(
        "residents:identity_complete", "get", "resident",
        _url("residents:identity_complete", None, "demo"), ["code", "state", "error"],
    ),
    Target(
        "applications:start", "post", "resident", _url("applications:start", None, CLAIM),
        ["event", "checklist"],
    ),
    Target(
        "applications:edit", "post", "resident", _url("applications:edit", "draft"),
        [*claim_post(), "remove_row", "add_row", "lookup", "remove_file", "action"],
        lambda w: claim_post(),
    ),
    Target(
        "applications:submit", "post", "resident", _url("applications:submit", "draft"),
        ["agree"],
    ),
    Target(
        "applications:reply", "post", "resident", _url("applications:reply", "asked"), ["body"]
    ),
    Target(
        "applications:correct", "post", "resident", _url("applications:correct", "asked"),
        ["phone", "bank_account_number", "revision", "add_row", "remove_row", "lookup"],
        lambda w: {"phone": "090-1234-5678", "bank_account_number": "7654321", "revision": "3"},
    ),
    # The back office
    Target(
        "backoffice:queue", "get", "clerk", _url("backoffice:queue"),
        ["status", "procedure", "channel", "received_from", "received_to", "mine", "overdue",
         "page"],
    ),
    Target("backoffice:load", "get", "supervisor", _url("backoffice:load"), ["department", "on"]),
    Target(
        "backoffice:audit", "get", "auditor", _url("backoffice:audit"),
        ["application", "user", "action", "day_from", "day_to", "page"],
    ),
    Target(
        "backoffice:assign", "post", "supervisor", _url("backoffice:assign", "sent"), ["clerk"]
    ),
    Target(
        "backoffice:move", "post", "clerk", _url("backoffice:move", "sent"),
        ["to", "note", "revision"], lambda w: {"to": "in_review", "revision": "1"},
    ),
    Target(
        "backoffice:send_message", "post", "clerk", _url("backoffice:send_message", "sent"),
        ["body"], lambda w: {"body": "確かめてください"},
    ),
    Target(
        "backoffice:request_correction", "post", "clerk",
        _url("backoffice:request_correction", "reviewing"), ["fields", "note", "revision"],
        lambda w: {"fields": "phone", "note": "確かめてください", "revision": "2"},
    ),
    Target(
        "backoffice:export", "get", "clerk", _url("backoffice:export"),
        ["procedure", "encoding", "status"], lambda w: {"procedure": CLAIM},
    ),
    Target(
        "backoffice:export_csv", "get", "clerk", _url("backoffice:export_csv", None, CLAIM),
        ["encoding", "status", "substitute"],
    ),
    Target(
        "backoffice:export_report", "get", "clerk",
        _url("backoffice:export_report", None, CLAIM), ["status"],
    ),
    # The counter (書かない窓口)
    Target(
        "counter:identity", "post", "counter", _url("counter:identity", "visit"),
        ["name__name", "name__kana", *_date("birth_date"), "sex", "address__postal",
         "address__address", "phone", "lookup"],
        lambda w: dict(COUNTER_FACTS),
    ),
    Target(
        "counter:people", "post", "counter", _url("counter:people", "visit"),
        ["members-TOTAL_FORMS", "members-0-name__name", "members-0-relationship",
         *_date("members-0-birth_date"), "add_row", "remove_row", "lookup"],
        lambda w: {"members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0",
                   "members-0-relationship": "newborn", "members-0-name__name": "高橋 陽翔"},
    ),
    Target(
        "counter:guide", "post", "counter", _url("counter:guide", "visit"),
        [*GUIDE_START, "remove_member", "add_member", "event"], lambda w: dict(GUIDE_START),
    ),
    Target(
        "counter:procedures", "post", "counter", _url("counter:procedures", "visit"),
        ["action", "procedure", "q-birth-weight-1"], lambda w: {"action": "choose",
                                                              "procedure": CLAIM},
    ),
    Target(
        "counter:forms", "post", "counter", _url("counter:forms", "visit"),
        ["action", "s-identity_name__name", "a1-phone", "a1-children-TOTAL_FORMS",
         "a1-children-0-child_name__name", "add_row", "remove_row", "lookup"],
        lambda w: {"action": "save"},
    ),
    Target("counter:confirm", "post", "counter", _url("counter:confirm", "visit"), ["signed"]),
    # The counter (signed in through the real forms, with the TOTP code)
    Target("counter:start", "post", "counter", _url("counter:start"), ["kind"],
           lambda w: {"kind": "general"}),
    Target("counter:call_next", "post", "counter", _url("counter:call_next"), ["window"],
           lambda w: {"window": "3"}),
    Target("counter:call", "post", "counter", _url("counter:call", "visit"), ["window"],
           lambda w: {"window": "3"}),
    # The card agent's calls (JSON, no session: the token is the key)
    Target("counter:card_check", "json", "anyone", _url("counter:card_check"), ["token"],
           body={"token": "0" * 43}),
    Target(
        "counter:card_facts", "json", "anyone", _url("counter:card_facts"),
        ["token", "name", "address", "birth_date", "sex"],
        body={"token": "0" * 43, "name": "高橋　太郎", "address": "東京都千代田区千代田1-1",
              "birth_date": "1988-06-15", "sex": "male"},
    ),
    # The JSON API
    Target(
        "api:guide", "json", "anyone", lambda w: "/api/v1/guide",
        ["event", "event_date", "members.0.birth_date", "members.0.role", "?lang", "?today"],
    ),
    Target("api:procedures", "get", "anyone", lambda w: "/api/v1/procedures", ["q", "lang"]),
    Target("set_language", "post", "anyone", lambda w: "/i18n/setlang/", ["language", "next"]),
]  # fmt: skip

# Views that read nothing a person types (an id in the path is matched by the URL
# pattern itself: ``<uuid:…>``), or only a page number handled by Django's paginator.
NO_INPUT = {
    "counter:visit": "a visit by its uuid",
    "counter:card_token": "a button without fields: a card-read token for the visit",
    "counter:forms_pdf": "the visit's print, by its uuid",
    "api:api-root": "the API's index",
    "api:openapi-json": "the schema",
    "api:openapi-view": "the docs page",
    "applications:detail": "an application by its uuid",
    "catalog:logo": "the town's logo file",
    "catalog:look_css": "the town's colours",
    "applications:discard": "a button without fields",
    "applications:correct_review": "sends what the correction page kept in the session; reads no field",
    "applications:done": "the receipt page",
    "applications:file": "a file by its uuid",
    "applications:list": "the list of one's applications",
    "applications:receipt_pdf": "the receipt PDF",
    "applications:review": "the review page (its button posts to submit)",
    "backoffice:detail": "an application by its uuid",
    "backoffice:figures": "the prefecture's counts per town",
    "backoffice:file": "a file by its uuid",
    "backoffice:message_file": "a file by its uuid",
    "counter:cancel": "a visit by its uuid; asks, then a button without fields",
    "counter:display": "the waiting display: numbers only",
    "counter:ticket": "a visit's number by its uuid",
    "counter:visits": "today's visits",
    "residents:checklist": "a saved checklist by its uuid",
    "residents:delete_checklist": "a button without fields",
    "residents:identity": "the identity page",
    "residents:mypage": "MyPage",
}
# Not ours: Django's admin and allauth's account pages have their own tests.
FOREIGN = ("admin:", "account_", "mfa_", "socialaccount_")


def _names(patterns, prefix: str = "") -> set[str]:
    found = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            found |= _names(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif p.name:
            found.add(prefix + p.name)
    return found


def test_every_view_is_fuzzed_or_takes_no_input():
    ours = {n for n in _names(get_resolver().url_patterns) if not n.startswith(FOREIGN)}
    listed = {t.name for t in TARGETS} | set(NO_INPUT)
    assert ours - listed == set(), "add these views to TARGETS (or NO_INPUT, saying why)"
    assert listed - ours == set(), "these views no longer exist"


class World:
    """What the views need, made only when a target asks for it (each user costs a
    password hash): 高橋さん with a draft and an application with a 補正依頼, 齊藤さん
    with one sent and one in review, the 子育て支援課 clerk and its 課長 (an auditor)."""

    def __init__(self, request):
        self.request = request

    def __getitem__(self, key: str):
        return getattr(self, key)

    def get(self, key: str, default=None):
        return getattr(self, key, default)

    @functools.cached_property
    def resident(self):
        return self.request.getfixturevalue("takahashi")

    @functools.cached_property
    def saito(self):
        return self.request.getfixturevalue("saito")

    @functools.cached_property
    def clerk(self):
        from madoguchi.backoffice.cast import KOSODATE
        from tests.backoffice.conftest import staff

        return staff(KOSODATE)

    @functools.cached_property
    def supervisor(self):
        from madoguchi.backoffice.cast import KACHO
        from tests.backoffice.conftest import staff

        kacho = staff(KACHO)
        kacho.user_permissions.add(Permission.objects.get(codename="view_auditlog"))
        return kacho

    def _sent(self, owner, review: bool):
        app = new_draft(owner, post=claim_post())
        send(app, owner)
        app.refresh_from_db()
        if review:
            workflow.move(app, Status.IN_REVIEW, actor=self.clerk, by="staff", expected_revision=1)
            app.refresh_from_db()
        return app

    @functools.cached_property
    def sent(self):
        return self._sent(self.saito, review=False)

    @functools.cached_property
    def reviewing(self):
        self.sent  # noqa: B018 (one of 齊藤さん's drafts at a time)
        return self._sent(self.saito, review=True)

    @functools.cached_property
    def asked(self):
        app = self._sent(self.resident, review=True)
        ask(app, make_clerk())
        return app

    @functools.cached_property
    def draft(self):
        self.asked  # noqa: B018 (sent first: one draft per procedure)
        return new_draft(self.resident, post=claim_post())

    @functools.cached_property
    def counter(self):
        from tests.counter.conftest import counter_clerk

        return counter_clerk()

    @functools.cached_property
    def visit(self):
        """A visit at the counter with its applicant typed, the guide for a birth
        answered and the 児童手当 form opened."""

        from madoguchi.counter import filing, identity
        from madoguchi.counter.tickets import start_visit

        visit = start_visit(kind="general", by=self.counter)
        identity.record_typed(
            visit,
            {"name": {"name": "高橋 太郎", "kana": "たかはし たろう"}, "birth_date": "1988-06-15",
             "address": {"postal_code": "1000001", "address": "東京都千代田区千代田1-1"}},
            by=self.counter,
        )  # fmt: skip
        visit.event, visit.situation = "birth", dict(SITUATION)
        visit.save()
        filing.choose(visit, [CLAIM], by=self.counter)
        return visit


@pytest.fixture
def world(request, db, settings):
    # Staff sign in here with ``force_login`` (no second factor): let their pages
    # answer, so that the views themselves are what the inputs reach.
    settings.MADOGUCHI_REQUIRE_STAFF_MFA = False
    return World(request)


def _client(world: World, who: str) -> Client:
    client = Client()
    user = {"auditor": "supervisor", "guided_resident": "resident"}.get(who, who)
    if user == "counter":
        from tests.backoffice.conftest import SECRET
        from tests.conftest import CAST_PASSWORD
        from tests.sign_in import sign_in

        return sign_in(client, world.counter.email, CAST_PASSWORD, SECRET)
    if user in ("resident", "clerk", "supervisor"):
        user = world[user]
        client.force_login(user)
    if who.startswith("guided"):
        client.post(reverse("catalog:start", args=["birth"]), GUIDE_START)
    return client


def _send(client: Client, target: Target, url: str, data: dict):
    if target.method == "json":
        query = {k[1:]: v for k, v in data.items() if k.startswith("?")}
        body = json.loads(json.dumps(target.body if target.body is not None else SITUATION))
        for key, value in data.items():
            if key.startswith("?"):
                continue
            *path, last = key.split(".")
            node = body
            for step in path:
                node = node[int(step)] if step.isdigit() else node[step]
            node[last] = value
        qs = "&".join(f"{k}={v}" for k, v in query.items())
        return client.post(
            f"{url}?{qs}" if qs else url,
            json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass"),
            content_type="application/json",
        )
    if target.method == "get":
        return client.get(url, data)
    return client.post(url, data)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_no_input_answers_500(world, target):
    client = _client(world, target.who)
    url = target.url(world)

    @settings(
        max_examples=target.examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(data=st.data())
    def check(data):
        _check(client, target, url, target.base(world), data)

    check()


def _check(client: Client, target: Target, url: str, base: dict, data) -> None:
    chosen = data.draw(
        st.lists(st.sampled_from(target.params), min_size=1, max_size=3, unique=True),
        label="parameters",
    )
    sent = dict(base)
    for name in chosen:
        sent[name] = data.draw(nasty, label=name)
    response = _send(client, target, url, sent)
    assert response.status_code < 500, (target.name, sent, response.status_code)
