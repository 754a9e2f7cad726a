"""Errors under the API's path are JSON, in the API's one shape
(``ErrorOut``): ``{"detail": [{"field": "", "label": "", "message": "…"}]}``.

The API's own errors (422, ninja's 400) are already JSON. What is not comes from
outside the API's handlers: Django's 404 for a path no route matches, ninja's
plain-text 405, a 400 for a bad Host header, the 500 page. A middleware catches
them all in one place, whoever produced them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema


class FieldError(Schema):
    field: str
    label: str
    message: str


class ErrorOut(Schema):
    """The API's one error shape, shared by every router."""

    detail: list[FieldError]


def _messages() -> dict[int, str]:
    return {
        400: _("リクエストを読み取れません。"),
        403: _("この操作は許可されていません。"),
        404: _("その URL の API はありません。URL を確認してください。"),
        405: _("この URL では、そのメソッドは使えません。"),
        413: _("リクエストが大きすぎます。"),
        500: _("サーバーで問題が起きました。しばらくしてから、もう一度お試しください。"),
    }


def api_error(status: int, message: str | None = None) -> JsonResponse:
    if message is None:
        messages = _messages()
        message = messages.get(status) or messages[500 if status >= 500 else 400]
    body = {"detail": [{"field": "", "label": "", "message": message}]}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


class ApiErrorsAsJsonMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path_info.startswith(settings.API_PATH_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            replaced = api_error(response.status_code)
            if "Allow" in response:  # a 405 says which methods would do
                replaced["Allow"] = response["Allow"]
            return replaced
        return response
