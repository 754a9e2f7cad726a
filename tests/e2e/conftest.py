"""Browser fixtures: Debian's Chromium driven by Playwright against ``live_server``.

Never ``playwright install``: the closed network has no browser downloads, so we
launch the system Chromium (``./dev setup`` installs it with apt).

Every page a test reaches goes through :class:`Guide`, which runs axe-core on it
(no "serious" or "critical" violation allowed), checks that nothing sticks out
sideways at phone width, and saves a full-page screenshot in ``test-artifacts/``.
The ``guide``/``nojs_guide`` fixtures' teardown fails a test that loaded a page
without checking it.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop on the main thread; Django then refuses
# the ORM calls pytest-django makes there (flushing the transactional test DB).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import (  # noqa: E402
    Browser,
    BrowserContext,
    Page,
    Route,
    sync_playwright,
)

CHROMIUM = os.environ.get("MADOGUCHI_CHROMIUM", "/usr/bin/chromium")
# Root on a closed network: no sandbox, and nothing that phones home.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "ja-JP",
    "timezone_id": "Asia/Tokyo",
}
TIMEOUT_MS = 15_000  # a failing step should not wait Playwright's 30 s
BLOCKING_IMPACTS = {"serious", "critical"}

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run ./dev setup (apt-get install chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "page"


class Guide:
    """A resident's phone on the guide: every page it shows is checked and photographed."""

    def __init__(
        self, page: Page, base_url: str, axe: Axe, artifacts: Path, mirror: Page | None = None
    ):
        self.page = page
        # axe-core cannot run where page script is off (its promise never settles), so
        # a JavaScript-free page is checked as a copy of its markup in ``mirror``.
        self.mirror = mirror
        self.base_url = base_url
        self.axe = axe
        self.artifacts = artifacts
        self.shots = 0
        self.loads = 0
        self.checked_loads = 0
        page.on("load", self._loaded)

    def _loaded(self, _page: Page) -> None:
        self.loads += 1

    def open(self, path: str, name: str) -> Page:
        self.page.goto(self.base_url + path)
        return self.check(name)

    def submit(self, button: str, name: str) -> Page:
        """Press the button with that text; the response is a new document."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button, exact=True).click()
        return self.check(name)

    def click_link(self, text: str, name: str) -> Page:
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=text).click()
        return self.check(name)

    def check(self, name: str) -> Page:
        """axe-core on the page as it is now, then a full-page screenshot."""
        self.page.wait_for_load_state("load")
        self.screenshot(name)
        assert_no_sideways_scroll(self.page)
        assert_accessible(self._axe_target(), self.axe, shown_at=self.page.url)
        self.checked_loads = self.loads
        return self.page

    def _axe_target(self) -> Page:
        if self.mirror is None:
            return self.page
        url, html = self.page.url, self.page.content()

        def serve_copy(route: Route) -> None:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

        # Same URL, so the stylesheet (and so colour contrast) is the real one.
        self.mirror.route(url, serve_copy)
        try:
            self.mirror.goto(url)
        finally:
            self.mirror.unroute(url, serve_copy)
        return self.mirror

    def screenshot(self, name: str) -> Path:
        self.shots += 1
        self.artifacts.mkdir(parents=True, exist_ok=True)
        path = self.artifacts / f"{self.shots:02d}-{_slug(name)}.png"
        self.page.screenshot(path=path, full_page=True, animations="disabled", caret="hide")
        return path


def assert_no_sideways_scroll(page: Page) -> None:
    """Nothing wider than the phone: a resident should never have to scroll sideways."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]}px wide on a {widths[1]}px screen"


def assert_accessible(page: Page, axe: Axe, shown_at: str | None = None) -> None:
    """No axe-core violation of impact "serious" or "critical" on the page."""
    where = shown_at or page.url
    response = axe.run(page).response
    assert "violations" in response, f"axe-core did not run on {where}: {response!r}"
    blocking = [v for v in response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe-core: {len(blocking)} serious/critical violation(s) on {where}"]
        for v in blocking:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v.get('helpUrl', '')}>")
            for node in v["nodes"]:
                lines.append(f"    target {node['target']}: {node.get('failureSummary', '')}")
        message = "\n".join(lines)
        print(message)
        pytest.fail(message)


def _new_guide(
    context: BrowserContext,
    live_server,
    axe: Axe,
    request: pytest.FixtureRequest,
    kind: str,
    mirror: Page | None = None,
) -> Guide:
    artifacts = ARTIFACTS / _slug(request.node.name) / kind
    shutil.rmtree(artifacts, ignore_errors=True)
    return Guide(context.new_page(), live_server.url, axe, artifacts, mirror)


def _finish(guide: Guide) -> None:
    assert guide.checked_loads == guide.loads, (
        f"a page was loaded after the last accessibility check ({guide.page.url}): "
        "go through Guide.open/submit/click_link/check"
    )


@pytest.fixture
def guide(browser: Browser, live_server, axe: Axe, request) -> Iterator[Guide]:
    """A phone (390x844, 2x, touch, ja-JP) with JavaScript on."""
    context = browser.new_context(**PHONE, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    guide = _new_guide(context, live_server, axe, request, "phone")
    yield guide
    context.close()
    if not hasattr(request.node, "rep_call") or request.node.rep_call.passed:
        _finish(guide)


@pytest.fixture
def page(guide: Guide) -> Page:
    return guide.page


@pytest.fixture
def nojs_guide(browser: Browser, live_server, axe: Axe, request) -> Iterator[Guide]:
    """The same phone with JavaScript switched off; axe-core checks a copy of each
    page's markup in a second, scripted context."""
    context = browser.new_context(**PHONE, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    checker = browser.new_context(**PHONE)
    checker.set_default_timeout(TIMEOUT_MS)
    guide = _new_guide(context, live_server, axe, request, "nojs", mirror=checker.new_page())
    yield guide
    context.close()
    checker.close()
    if not hasattr(request.node, "rep_call") or request.node.rep_call.passed:
        _finish(guide)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
