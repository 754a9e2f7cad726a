"""POST /api/v1/guide and its OpenAPI description."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

BIRTH = {
    "event": "birth",
    "event_date": "2026-11-20",
    "members": [
        {
            "role": "self",
            "birth_date": "1992-06-15",
            "insurance": "kokuho",
            "receives_child_allowance": False,
        },
        {"role": "newborn", "birth_weight_g": 2400},
    ],
    "single_parent": False,
}


def post(client, body, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(
        f"/api/v1/guide{'?' + query if query else ''}",
        data=json.dumps(body) if not isinstance(body, str) else body,
        content_type="application/json",
    )


def test_guide_answers_with_the_public_contract(client):
    response = post(client, BIRTH)
    assert response.status_code == 200
    body = response.json()
    procs = {p["id"]: p for p in body["procedures"]}
    reg = procs["birth-registration"]
    assert reg["name"] == "出生届"
    assert reg["department"] == "市民課"
    assert reg["status"] == "required"
    assert reg["deadline"] == "2026-12-03"
    assert reg["online"] is False
    assert "母子健康手帳" in reg["bring"]
    assert reg["reasons"] == ["子どもが生まれた"]
    assert procs["child-allowance-claim"]["deadline"] == "2026-12-07"
    assert procs["newborn-visit-card"]["deadline"] is None
    assert body["questions"] == []


def test_unknown_facts_come_back_as_questions(client):
    response = post(client, {"event": "move_in", "event_date": "2026-11-20"})
    body = response.json()
    assert {p["status"] for p in body["procedures"]} == {"required", "may_apply"}
    question = next(q for q in body["questions"] if q["id"] == "insurance")
    assert question["member"] == 0
    assert {c["value"] for c in question["choices"]} == {"kokuho", "shaho", "kouki", "none"}
    assert "kokuho-enroll" in question["decides"]


def _name(body: dict, procedure_id: str) -> str:
    return next(p["name"] for p in body["procedures"] if p["id"] == procedure_id)


def test_english(client):
    body = post(client, BIRTH, lang="en").json()
    assert _name(body, "birth-registration") == "Birth registration"
    by_header = client.post(
        "/api/v1/guide",
        data=json.dumps(BIRTH),
        content_type="application/json",
        headers={"Accept-Language": "en"},
    ).json()
    assert _name(by_header, "birth-registration") == "Birth registration"
    assert _name(post(client, BIRTH).json(), "birth-registration") == "出生届"


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"event": "graduation", "event_date": "2026-11-20"}, "event", "使えない値"),
        ({"event": "birth", "event_date": "2026/13/01"}, "event_date", "YYYY-MM-DD"),
        ({"event_date": "2026-11-20"}, "event", "必須"),
        (
            {"event": "birth", "members": [{"role": "self", "birthday": "1990-01-01"}]},
            "members.0.birthday",
            "この項目は使えません",
        ),
        (
            {"event": "birth", "members": [{"role": "newborn", "birth_weight_g": 80000}]},
            "members.0.birth_weight_g",
            "以下",
        ),
        (
            {
                "event": "move_in",
                "event_date": "2026-11-20",
                "members": [{"role": "self", "birth_date": "2027-01-01"}],
            },
            "members.0.birth_date",
            "出来事の日より後",
        ),
        ({"event": "birth", "has_dog": "maybe"}, "has_dog", "true か false"),
        ({"event": "birth", "event_date": "9999-12-31"}, "event_date", "2199-12-31 以下"),
    ],
)
def test_invalid_situations_get_422_naming_the_field_in_japanese(client, body, field, words):
    response = post(client, body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    match = [d for d in detail if d["field"] == field]
    assert match, detail
    assert words in match[0]["message"]
    assert match[0]["label"]  # a Japanese label such as 「世帯員 の 1番目 の 生年月日」


def test_malformed_json_is_400_with_the_same_japanese_shape(client):
    response = post(client, '{"event": "birth",')
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"][0]["message"]


def test_openapi_describes_the_guide(client):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/guide"]["post"]
    assert "422" in operation["responses"]
    assert "Situation" in json.dumps(operation["requestBody"])
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    # Self-hosted: the docs page loads no script from a CDN.
    assert b"cdn" not in docs.content.lower()


# --- Whatever is sent, the answer is a result or a clear error, never a crash ------

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.text(max_size=12),
    st.sampled_from(["2026-02-29", "0001-01-01", "9999-12-31", "令和8年1月1日", "", "kokuho"]),
)
dates = st.one_of(st.dates().map(str), junk)
member = st.fixed_dictionaries(
    {},
    optional={
        "role": st.one_of(st.sampled_from(["self", "child", "newborn", "deceased"]), junk),
        "birth_date": dates,
        "insurance": st.one_of(st.sampled_from(["kokuho", "shaho", "kouki", "none"]), junk),
        "birth_weight_g": st.one_of(st.integers(0, 9000), junk),
        "care_certified": junk,
        "receives_child_allowance": junk,
        "head_of_household": junk,
    },
)
bodies = st.one_of(
    junk,
    st.lists(junk, max_size=3),
    st.fixed_dictionaries(
        {},
        optional={
            "event": st.one_of(st.sampled_from(["birth", "move_in", "death", "marriage"]), junk),
            "event_date": dates,
            "members": st.one_of(st.lists(member, max_size=4), junk),
            "has_dog": junk,
            "single_parent": junk,
        },
    ),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies)
def test_no_input_makes_the_api_fail(client, body):
    response = post(client, json.dumps(body))
    assert response.status_code in (200, 400, 422), response.content
    if response.status_code != 200:
        assert all(d["message"] for d in response.json()["detail"])
