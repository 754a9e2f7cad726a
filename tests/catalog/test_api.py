"""POST /api/v1/guide and its OpenAPI description."""

import json
import re
from datetime import date, datetime
from typing import get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from pydantic_core import PydanticKnownError
from pydantic_core.core_schema import ErrorType

from madoguchi.catalog.situation import Member, Situation, situation_from_json
from madoguchi.common.json_input import JsonInputError

pytestmark = pytest.mark.django_db

BIRTH = {
    "event": "birth",
    "event_date": "2026-11-20",
    "members": [
        {
            "role": "self",
            "birth_date": "1992-06-15",
            "sex": "male",
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
        ({"event": "birth", "event_date": "2026/13/01"}, "event_date", "「年-月-日」"),
        ({"event_date": "2026-11-20"}, "event", "必ず書いてください"),
        (
            {"event": "birth", "members": [{"role": "self", "birthday": "1990-01-01"}]},
            "members.0.birthday",
            "「birthday」という項目はありません",
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
            "引っ越した日)より後",
        ),
        ({"event": "birth", "has_dog": "maybe"}, "has_dog", "true"),
        ({"event": "birth", "event_date": "9999-12-31"}, "event_date", "2199-12-31 以前"),
    ],
)
def test_invalid_situations_get_422_naming_the_field_in_japanese(client, body, field, words):
    response = post(client, body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    match = [d for d in detail if d["field"] == field]
    assert match, detail
    assert words in match[0]["message"]
    assert match[0]["label"]  # a Japanese label such as 「1人目の生年月日」


def test_malformed_json_is_400_with_the_same_japanese_shape(client):
    response = post(client, '{"event": "birth",')
    assert response.status_code == 400
    assert response.json()["detail"] == [
        {
            "field": "",
            "label": "",
            "message": "JSON として読めません(1行目の19文字目): "
            '項目名は "…" で囲んでください(最後の「,」が余分なこともあります)',
        }
    ]


# --- Only what the contract says is accepted, in the contract's JSON types ---------


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("event_date", 1798243200, "「年-月-日」"),  # seconds since 1970
        ("event_date", 1798243200.0, "「年-月-日」"),
        ("event_date", "1798243200", "「年-月-日」"),  # pydantic reads it as a timestamp
        ("event_date", "2026-11-20T00:00", "「年-月-日」"),
        ("event_date", "2026-11-20T00:00:00+09:00", "「年-月-日」"),
        ("event_date", "20261120", "「年-月-日」"),
        ("event_date", "2026-02-30", "2026-02-30 という日付はありません"),
        ("has_dog", 1, "true"),
        ("has_dog", 0, "true"),
        ("has_dog", "yes", "true"),
        ("has_dog", "true", "true"),
        ("single_parent", "false", "true"),
    ],
)
def test_dates_are_strings_and_yes_no_are_true_or_false(client, field, value, words):
    response = post(client, {"event": "birth", field: value})
    assert response.status_code == 422, response.content
    (error,) = response.json()["detail"]
    assert error["field"] == field
    assert words in error["message"]


@pytest.mark.parametrize("weight", ["2400", True, 2400.5, "2,400"])
def test_numbers_are_json_integers(client, weight):
    body = {"event": "birth", "members": [{"role": "newborn", "birth_weight_g": weight}]}
    response = post(client, body)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["field"] == "members.0.birth_weight_g"
    assert error["label"] == "1人目の出生体重(グラム)"
    assert "整数" in error["message"]


def test_a_whole_number_written_with_point_zero_is_an_integer(client):
    # JSON Schema (and so our OpenAPI) counts 2400.0 as an integer: a client that
    # checked its body against our schema must not be refused.
    body = {"event": "birth", "members": [{"role": "newborn", "birth_weight_g": 2400.0}]}
    body = json.dumps(body)
    assert "2400.0" in body
    procedures = post(client, body).json()["procedures"]
    assert "low-birth-weight-notice" in {p["id"] for p in procedures}


def test_today_is_a_date_string_too(client):
    response = post(client, {"event": "birth"}, today="1798243200")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "field": "today",
            "label": "基準日",
            "message": "日付は 2026-11-20 のように「年-月-日」で書いてください",
        }
    ]
    assert post(client, {"event": "birth"}, today="2026-11-20").status_code == 200


@pytest.mark.parametrize(
    ("text", "field", "label"),
    [
        ('{"event": "birth", "event": "death"}', "event", "出来事"),
        (
            '{"event": "birth", "members": [{"role": "self"}, {"role": "self", "role": "child"}]}',
            "members.1.role",
            "2人目の続柄",
        ),
        ('{"event": "birth", "members": [{"x": 1, "x": 2}]}', "members.0.x", "1人目"),
    ],
)
def test_a_key_written_twice_is_refused_by_name(client, text, field, label):
    response = post(client, text)
    assert response.status_code == 400
    (error,) = response.json()["detail"]
    assert error["field"] == field
    assert error["label"] == label
    key = field.rsplit(".", 1)[-1]
    assert f"「{key}」が2回以上書かれています" in error["message"]


@pytest.mark.parametrize(
    ("members", "event", "field", "words"),
    [
        (
            [{"role": "self"}, {"role": "spouse"}, {"role": "self"}],
            "birth",
            "members.2.role",
            "本人",
        ),
        ([{"role": "self"}, {"role": "deceased"}], "birth", "members.1.role", "死亡のときだけ"),
    ],
)
def test_impossible_households_are_refused(client, members, event, field, words):
    response = post(client, {"event": event, "members": members})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["field"] == field
    assert error["label"] == f"{int(field.split('.')[1]) + 1}人目の続柄"
    assert words in error["message"]


def test_a_byte_order_mark_is_ignored_but_only_utf8_is_read(client):
    text = json.dumps({"event": "marriage", "members": []})
    assert post(client, "\ufeff" + text).status_code == 200  # Windows Notepad writes one
    response = client.post(
        "/api/v1/guide", data=text.encode("utf-16"), content_type="application/json"
    )
    assert response.status_code == 400
    assert "UTF-8" in response.json()["detail"][0]["message"]


def test_nan_and_empty_bodies_are_refused_plainly(client):
    nan = post(client, '{"event": "birth", "members": [{"birth_weight_g": NaN}]}')
    assert nan.status_code == 400
    assert "NaN は JSON では使えません" in nan.json()["detail"][0]["message"]
    empty = post(client, "")
    assert empty.status_code in (400, 422)
    assert empty.json()["detail"][0]["message"] == "状況(JSON)が送られていません"


def test_a_body_over_the_limit_is_413_in_our_shape_without_a_traceback(client, settings, caplog):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    start = '{"event": "marriage", "members": [], "x": "'
    just_fits = start + "a" * (2048 - len(start) - 2) + '"}'
    assert len(just_fits.encode()) == 2048
    assert post(client, just_fits).status_code == 422  # read, and "x" refused
    too_big = just_fits.replace('"}', 'a"}')
    response = post(client, too_big)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "detail": [
            {"field": "", "label": "", "message": "送られたデータが大きすぎます(上限は 2 KB です)"}
        ]
    }
    assert not [r for r in caplog.records if r.exc_info or r.levelname == "ERROR"]
    english = post(client, too_big, lang="en")
    assert english.json()["detail"][0]["message"] == (
        "The data sent is too large (the limit is 2 KB)."
    )


# --- Errors in the request's language, worded as a clerk would ----------------------


def test_errors_follow_the_lang_parameter_and_accept_language(client):
    body = {
        "event": "birth",
        "event_date": "2026-11-20",
        "members": [{"role": "self", "birth_date": "2027-01-01"}],
    }
    ja = post(client, body).json()["detail"]
    assert ja == [
        {
            "field": "members.0.birth_date",
            "label": "1人目の生年月日",
            "message": "生まれた日より後の日付になっています",
        }
    ]
    en = post(client, body, lang="en").json()["detail"]
    assert en == [
        {
            "field": "members.0.birth_date",
            "label": "Person 1's date of birth",
            "message": "This date is later than the date the child was born.",
        }
    ]
    by_header = client.post(
        "/api/v1/guide",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert by_header.json()["detail"] == en
    assert post(client, '{"event": "birth",', lang="en").json()["detail"][0]["message"] == (
        "Cannot be read as JSON (line 1, column 19): an item's name must be in double quotes"
        " (or there is a comma too many)."
    )


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


# --- No error, whatever the body, is worded in pydantic's English -------------------


def _pydantic_phrases() -> set[str]:
    """The fixed start of every message pydantic can produce ("Input should be …")."""
    phrases = set()
    for kind in get_args(ErrorType):
        try:
            template = PydanticKnownError(kind).message_template
        except Exception:  # a type that needs context to exist
            continue
        start = template.split("{")[0].strip(" ,.:")
        if len(start) >= 8:
            phrases.add(start)
    return phrases | {"Cannot parse request body", "Value error", "Assertion failed"}


PYDANTIC_PHRASES = _pydantic_phrases()
more_junk = st.one_of(
    junk,
    st.floats(allow_nan=False),
    st.sampled_from(["yes", "true", "1", "2026-11-20T00:00", "1798243200", 1798243200, 2400.0]),
    st.dictionaries(st.text(max_size=4), junk, max_size=2),
)
bad_member = st.fixed_dictionaries(
    {}, optional={k: more_junk for k in ("role", "birth_date", "sex", "birth_weight_g", "x")}
)
# Fields all well typed, so that the checks across fields (two 本人, a birth date
# after the event, …) run too.
typed_member = st.fixed_dictionaries(
    {"role": st.sampled_from(["self", "spouse", "newborn", "deceased"])},
    optional={"birth_date": st.dates(date(1700, 1, 1), date(2300, 1, 1)).map(str)},
)
typed_body = st.fixed_dictionaries(
    {
        "event": st.sampled_from(["birth", "death", "move_in"]),
        "event_date": st.dates(date(1850, 1, 1), date(2250, 1, 1)).map(str),
        "members": st.lists(typed_member, max_size=22),
    }
)
bad_bodies = st.one_of(
    more_junk,
    typed_body,
    st.fixed_dictionaries(
        {},
        optional={
            "event": st.one_of(st.sampled_from(["birth", "death"]), more_junk),
            "event_date": st.one_of(dates, more_junk),
            "members": st.one_of(st.lists(st.one_of(member, bad_member), max_size=3), more_junk),
            "has_dog": more_junk,
            "owns_real_estate": more_junk,
            "unknown": more_junk,
        },
    ),
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bad_bodies, lang=st.sampled_from(["ja", "en"]))
def test_no_error_falls_back_to_pydantic_english(client, caplog, body, lang):
    response = post(client, json.dumps(body), lang=lang)
    assert response.status_code in (200, 400, 422), response.content
    if response.status_code == 200:
        return
    for error in response.json()["detail"]:
        words = error["label"] + " " + error["message"]
        assert error["message"], error
        assert not [p for p in PYDANTIC_PHRASES if p in words], error
        if lang == "ja":
            assert re.search(r"[ぁ-んァ-ン一-龥]", error["message"]), error
    assert not [r for r in caplog.records if "no message for" in r.getMessage()]


# --- The API, the CLI and the web read a situation the same way ---------------------


def _outcome(validate, text):
    try:
        return ("ok", validate(text).model_dump())
    except JsonInputError:
        return ("json", None)
    except ValidationError as exc:
        return ("invalid", sorted((e["type"], str(e["loc"])) for e in exc.errors()))


@settings(max_examples=150, deadline=None)
@given(body=bad_bodies)
def test_python_and_json_modes_agree(body):
    """The API and CLI validate parsed JSON (Python mode), the web's hidden field is
    validated as JSON text: both must accept and refuse the same things."""
    text = json.dumps(body)
    as_api = _outcome(situation_from_json, text)
    as_web = _outcome(Situation.model_validate_json, text)
    if as_api[0] == "json":  # NaN, Infinity: not JSON, refused before validation
        assert as_web[0] != "ok"
    else:
        assert as_api == as_web


def test_python_callers_still_pass_dates():
    situation = Situation(
        event="birth",
        event_date=date(2026, 11, 20),
        members=[Member(role="self", birth_date=date(1990, 4, 1))],
    )
    assert situation.members[0].birth_date == date(1990, 4, 1)
    with pytest.raises(ValidationError):
        Situation(event="birth", event_date=datetime(2026, 11, 20))


def test_procedures_found_by_name(client):
    for query in ("かいご", "カイゴ", "ｶｲｺﾞ", "介護", "さいこうふ"):
        response = client.get("/api/v1/procedures", {"q": query})
        assert response.status_code == 200
        assert "care-insurance-card-reissue" in [p["id"] for p in response.json()]
    found = client.get("/api/v1/procedures", {"q": "さいこうふ", "lang": "en"}).json()
    assert found == [
        {
            "id": "care-insurance-card-reissue",
            "name": "Reissue of the long-term care insurance card",
            "plain_name": "Getting a new long-term care insurance card when yours is lost, "
            "torn or soiled",
            "department": "Long-term Care Insurance Division",
            "online": True,
            "has_form": True,
            "requires_identity": True,
            "url": "/procedures/care-insurance-card-reissue/",
        }
    ]


def test_procedures_without_a_query_is_an_empty_list(client):
    assert client.get("/api/v1/procedures").json() == []


def test_procedures_query_too_long(client):
    response = client.get("/api/v1/procedures", {"q": "か" * 101})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "q"
