"""Error pages a resident may meet: plain words in their language, the right
status, a way back, and no technical detail. Under /api/ the same errors are JSON.

This module doubles as a URLconf (the site's URLs plus two that fail on purpose).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path

from madoguchi.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("secret detail: database password is hunter2")


def _forbidden(request):
    raise PermissionDenied("internal reason")


urlpatterns = [
    path("boom/", _boom),
    path("forbidden/", _forbidden),
    path("api/v1/boom", _boom),
    *site_urlpatterns,
]
handler400 = "madoguchi.common.error_pages.bad_request"
handler403 = "madoguchi.common.error_pages.permission_denied"
handler404 = "madoguchi.common.error_pages.page_not_found"
handler500 = "madoguchi.common.error_pages.server_error"


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def resident() -> Client:
    client = Client()
    client.raise_request_exception = False  # as on the real server: a 500 page
    return client


def page(response) -> str:
    return response.content.decode()


def assert_resident_page(response, status: int, heading: str, back: str = "トップページへ戻る"):
    html = page(response)
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f"<h1>{heading}</h1>" in html
    assert f'<a href="/">{back}</a>' in html
    assert "Traceback" not in html and "hunter2" not in html and "internal reason" not in html


# --- the pages -------------------------------------------------------------------


def test_404_in_japanese(resident):
    response = resident.get("/no/such/page/")
    assert_resident_page(response, 404, "お探しのページが見つかりません")
    assert '<html lang="ja">' in page(response)
    assert "みどり市" in page(response)  # the site's own header and footer


def test_404_in_english(resident):
    response = resident.get("/no/such/page/", headers={"Accept-Language": "en"})
    assert_resident_page(response, 404, "Page not found", back="Back to the top page")
    assert '<html lang="en">' in page(response)


def test_unknown_life_event_is_the_same_404(resident):
    assert_resident_page(resident.get("/guide/graduation/"), 404, "お探しのページが見つかりません")


def test_400_for_a_request_we_cannot_read(resident):
    response = resident.get("/", headers={"Host": "not-our-site.example"})
    assert_resident_page(response, 400, "ページを表示できませんでした")


def test_403(failing_site, resident):
    assert_resident_page(resident.get("/forbidden/"), 403, "このページは表示できません")
    english = resident.get("/forbidden/", headers={"Accept-Language": "en"})
    assert_resident_page(english, 403, "This page cannot be shown", back="Back to the top page")


def test_500_says_sorry_without_detail(failing_site, resident):
    response = resident.get("/boom/")
    assert_resident_page(response, 500, "ただいまページを表示できません")
    english = resident.get("/boom/", headers={"Accept-Language": "en"})
    assert_resident_page(
        english, 500, "This page is not available right now", back="Back to the top page"
    )


def test_500_still_answers_when_the_site_frame_itself_is_broken(
    failing_site, resident, monkeypatch
):
    # The catalogue (which names the municipality in every page) failing to load.
    def broken():
        raise RuntimeError("catalogue unreadable")

    monkeypatch.setattr("madoguchi.catalog.context_processors.current_catalog", broken)
    response = resident.get("/boom/")
    assert_resident_page(response, 500, "ただいまページを表示できません")
    assert "catalogue unreadable" not in page(response)


def test_stale_form_explains_and_offers_to_start_again():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/guide/birth/answers/", {"situation": "{}"})
    html = page(response)
    assert response.status_code == 403
    assert "<h1>もう一度やり直してください</h1>" in html
    assert "時間がたった" in html and "Cookie" in html
    assert '<a href="/guide/birth/">最初からやり直す</a>' in html
    assert '<a href="/">トップページへ戻る</a>' in html
    assert "CSRF" not in html  # no technical word for a resident


def test_stale_form_in_english():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "ja"}, headers={"Accept-Language": "en"})
    html = page(response)
    assert response.status_code == 403
    assert "<h1>Please start again</h1>" in html and "cookies" in html
    assert "Start over" not in html  # not a guide form: only the way to the top page
    assert '<a href="/">Back to the top page</a>' in html


# --- the API keeps JSON ----------------------------------------------------------


def api_detail(response) -> list[dict]:
    assert response["Content-Type"].startswith("application/json")
    return response.json()["detail"]


def test_api_404_is_json_in_the_api_error_shape(client):
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404
    [error] = api_detail(response)
    assert error == {
        "field": "",
        "label": "",
        "message": "その URL の API はありません。URL を確認してください。",
    }


def test_api_404_in_english(client):
    response = client.get("/api/v1/nothing", headers={"Accept-Language": "en"})
    assert (
        api_detail(response)[0]["message"] == "There is no API at this URL. Please check the URL."
    )


def test_api_wrong_method_is_json_and_says_which_would_do(client):
    response = client.get("/api/v1/guide")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert api_detail(response)[0]["message"] == "この URL では、そのメソッドは使えません。"


def test_api_500_is_json_without_detail(failing_site, resident):
    response = resident.get("/api/v1/boom")
    assert response.status_code == 500
    [error] = api_detail(response)
    assert error["message"].startswith("サーバーで問題が起きました")
    assert "hunter2" not in response.content.decode()


def test_api_own_errors_are_left_as_they_are(client):
    response = client.post("/api/v1/guide", data="{", content_type="application/json")
    assert response.status_code in (400, 422)
    assert api_detail(response)[0]["message"].startswith("JSON として読めません")
