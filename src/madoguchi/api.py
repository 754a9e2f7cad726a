"""The project's one HTTP API (django-ninja), at ``/api/v1/`` with OpenAPI docs at
``/api/v1/docs``. Each app adds its own router here.

Every error has one shape (``common.api_errors``): ``{"detail": [{field, label,
message}]}``, worded by ``common.errors_ja`` in the request's language (``lang``,
else Accept-Language) — bodies that are not JSON, too large, or not valid alike.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from madoguchi.catalog.api import router as catalog_router
from madoguchi.common.errors_ja import describe
from madoguchi.common.json_input import JsonInputError, load_json
from madoguchi.common.json_renderer import UnicodeJSONRenderer


class StrictJsonParser(Parser):
    """Bodies are read as the CLI reads its file (``json_input.load_json``): UTF-8
    only, no duplicate keys, no NaN. ninja then validates the situation, whose
    types are strict in Python mode too (``situation.py``)."""

    def parse_body(self, request: HttpRequest):
        return load_json(request.body)


api = NinjaAPI(
    title="madoguchi API",
    version="1",
    description="手続きガイドなど、madoguchi の機能を他のシステムから使うための API です。",
    urls_namespace="api",
    renderer=UnicodeJSONRenderer(),
    parser=StrictJsonParser(),
)
api.add_router("/", catalog_router)

# ninja puts (source, parameter name) in front of a field's path: ("body",
# "situation", "members", 0, …) or ("query", "lang").
_BODY_PARAMETERS = {"situation"}


def _language(request: HttpRequest) -> str:
    """The errors' language: the ``lang`` parameter if it is one we speak, else the
    one LocaleMiddleware chose from Accept-Language."""
    lang = request.GET.get("lang", "")
    if lang in ("ja", "en"):
        return lang
    return getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE


def _errors_response(request: HttpRequest, errors: list[dict], status: int):
    detail = describe(errors, _language(request))
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError):
    errors = []
    for error in exc.errors:
        loc = list(error.get("loc", ()))
        if loc[:1] == ["body"] and loc[1:2] and loc[1] in _BODY_PARAMETERS:
            loc = loc[2:]
        elif loc[:1] in (["body"], ["query"]):
            loc = loc[1:]
        errors.append({**error, "loc": tuple(loc)})
    return _errors_response(request, errors, 422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    """ninja turns any failure of the parser into a 400 "Cannot parse request body";
    the parser's own reason is the exception's cause."""
    cause = exc.__cause__
    if isinstance(cause, JsonInputError):
        return _errors_response(request, cause.errors, 400)
    kind = "bad_request" if exc.status_code == 400 else "unknown"
    return _errors_response(request, [{"type": kind, "loc": ()}], exc.status_code)


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: RequestDataTooBig):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 in our shape. Not logged as a
    security event with a traceback: a too-large body is the client's mistake."""
    limit = _size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return _errors_response(
        request, [{"type": "too_large", "loc": (), "ctx": {"limit": limit}}], 413
    )


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    return f"{n / 1024:g} KB"
