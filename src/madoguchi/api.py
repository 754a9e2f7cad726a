"""The project's one HTTP API (django-ninja), at ``/api/v1/`` with OpenAPI docs at
``/api/v1/docs``. Each app adds its own router here; errors share one shape
(``common.api_errors``) with Japanese messages that name the field."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from madoguchi.catalog.api import router as catalog_router
from madoguchi.common.errors_ja import describe
from madoguchi.common.json_renderer import UnicodeJSONRenderer

api = NinjaAPI(
    title="madoguchi API",
    version="1",
    description="手続きガイドなど、madoguchi の機能を他のシステムから使うための API です。",
    urls_namespace="api",
    renderer=UnicodeJSONRenderer(),
)
api.add_router("/", catalog_router)

# ninja puts ("body", "<parameter name>") in front of a body field's path.
_BODY_PARAMETERS = {"situation"}


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError):
    errors = []
    for error in exc.errors:
        loc = list(error.get("loc", ()))
        if loc[:1] == ["body"]:
            loc = loc[2:] if len(loc) > 1 and loc[1] in _BODY_PARAMETERS else loc[1:]
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
