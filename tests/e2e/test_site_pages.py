"""Pages around the guide, in a real browser: the error page a resident meets at
a wrong address, and the API docs; none may trip the Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import ConsoleMessage, expect

from tests.e2e.conftest import Guide

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def console(guide: Guide) -> Iterator[list[str]]:
    """Everything the browser printed to the console while the test ran."""
    messages: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        messages.append(f"{message.type}: {message.text}")

    guide.page.on("console", keep)
    yield messages


def csp_violations(console: list[str]) -> list[str]:
    return [m for m in console if "Content Security Policy" in m or "Refused to" in m]


def test_home_page_runs_under_the_csp(guide: Guide, console: list[str]):
    response = guide.page.goto(guide.base_url + "/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    guide.check("home")
    assert csp_violations(console) == []


def test_api_docs_work_under_the_csp_and_pass_axe(guide: Guide, console: list[str]):
    page = guide.page
    page.goto(guide.base_url + "/api/v1/docs")
    # Swagger UI draws the page from openapi.json after load: wait for the operation.
    expect(page.locator(".opblock-summary-path").first).to_have_text("/api/v1/guide")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    guide.check("api-docs")
    page.locator(".opblock-summary").first.click()  # open the operation's details
    page.get_by_role("button", name="Try it out").click()
    guide.check("api-docs-operation")
    # The request goes out and its answer comes back under the policy too.
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table .response .response-col_status").first
    expect(status).to_have_text("200")  # the schema's example situation
    guide.check("api-docs-response")
    assert csp_violations(console) == []


def test_unknown_address_says_so_and_leads_back(guide: Guide, console: list[str]):
    response = guide.page.goto(guide.base_url + "/no/such/page/")
    assert response.status == 404
    page = guide.check("not-found")
    expect(page.get_by_role("heading", level=1)).to_have_text("お探しのページが見つかりません")
    guide.click_link("トップページへ戻る", "home-from-404")
    expect(page.get_by_role("heading", level=1)).to_have_text("どんなことがありましたか")
    assert csp_violations(console) == []
