"""The project's URLs plus ``POST /bench/bare``: no database, a small JSON answer."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt  # posted to like the guide API (which ninja exempts), with the same body
def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare", bare), path("", include("madoguchi.urls"))]
