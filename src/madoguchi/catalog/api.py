"""The JSON API (django-ninja): ``POST /api/v1/guide`` with OpenAPI docs at
``/api/v1/docs``. Errors are 422 with Japanese messages that name the field."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from madoguchi.catalog.guide import GuideOut, run_guide
from madoguchi.catalog.registry import current_catalog
from madoguchi.catalog.situation import Situation
from madoguchi.common.errors_ja import describe

api = NinjaAPI(
    title="madoguchi API",
    version="1",
    description="手続きガイドなど、madoguchi の機能を他のシステムから使うための API です。",
    urls_namespace="api",
)


class FieldError(Schema):
    field: str
    label: str
    message: str


class ErrorOut(Schema):
    detail: list[FieldError]


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError):
    errors = []
    for error in exc.errors:
        loc = list(error.get("loc", ()))
        # ninja puts ("body", "<parameter name>") in front of the field path.
        if loc[:1] == ["body"]:
            loc = loc[2:] if len(loc) > 1 and loc[1] == "situation" else loc[1:]
        if error.get("type") == "json_invalid" or "JSON" in str(error.get("msg", "")):
            error = {**error, "type": "json_invalid", "ctx": {"error": error.get("msg", "")}}
        errors.append({**error, "loc": tuple(loc)})
    return api.create_response(request, {"detail": describe(errors)}, status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    """ninja's own 400 is a body that is not JSON at all: same shape, in Japanese."""
    message = f"JSON として読めません: {exc}" if exc.status_code == 400 else str(exc)
    detail = [{"field": "", "label": "", "message": message}]
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.post(
    "/guide",
    response={200: GuideOut, 400: ErrorOut, 422: ErrorOut},
    summary="手続きガイド: 状況から必要な手続きを返す",
    tags=["guide"],
)
def guide(
    request: HttpRequest,
    situation: Situation,
    lang: Literal["ja", "en"] | None = None,
    today: date | None = None,
):
    """状況(出来事・日付・世帯員)を受け取り、当てはまる手続き・理由・期限と、
    まだ答えが必要な質問を返します。書かれていない項目は「不明」として扱います。
    言語は `lang`、なければ Accept-Language で決まります(既定は日本語)。
    `today` は出来事の日がないときに年齢を数える基準日です(既定は今日)。"""
    language = lang or getattr(request, "LANGUAGE_CODE", "ja")
    answer = run_guide(current_catalog(), situation, language, today=today)
    # ``answer`` is already a validated GuideOut: pydantic-core writes its JSON
    # directly, where ninja would validate it again and encode it in Python (that
    # took about a third of the request's time). The schema above still documents it.
    return HttpResponse(answer.model_dump_json(), content_type="application/json; charset=utf-8")
