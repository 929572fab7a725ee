"""Browser fixtures for end-to-end tests: a real headless Chromium (the
system's Debian build, never a downloaded one) against pytest-django's
``live_server``.

    @pytest.mark.e2e
    def test_something(live_server, base_data, desk_page, screenshot):
        desk_page.goto("/desk/")          # base_url is the live server
        screenshot(desk_page, "desk_home")  # -> build/screenshots/desk_home.png

``live_server`` makes the test transactional: the database is flushed after
each test, so the base fixtures (roles, grids, lookups) are gone — request
``base_data`` (tests/conftest.py) to sync them again.

No Chromium at ``/usr/bin/chromium``: the tests are skipped, unless
``ZHONGLOU_REQUIRE_BROWSER=1`` (CI), where they fail instead.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest


CHROMIUM = Path("/usr/bin/chromium")
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
REPO_DIR = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_DIR / "build" / "screenshots"
DESK_VIEWPORT = {"width": 1366, "height": 768}
PHONE_VIEWPORT = {"width": 375, "height": 812}
LOCALE = "zh-CN"
TIMEZONE = "Asia/Shanghai"
# Page actions fail fast: a local live server answers in milliseconds.
DEFAULT_TIMEOUT_MS = 15_000


def _browser_required() -> bool:
    return os.environ.get("ZHONGLOU_REQUIRE_BROWSER", "").strip() in ("1", "true", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so page fixtures know a test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"_e2e_report_{report.when}", report)


class PageProblems:
    """What went wrong in a page behind the test's back: JavaScript errors and
    failed or 4xx/5xx requests (a missing stylesheet breaks the layout
    silently). Tests assert ``page_problems(page) == []``."""

    def __init__(self):
        self._by_page: dict[int, list[str]] = {}

    def watch(self, page):
        found = self._by_page.setdefault(id(page), [])
        page.on("pageerror", lambda exc: found.append(f"JS error: {exc}"))
        page.on("console", lambda msg: msg.type == "error" and found.append(f"console.error: {msg.text}"))
        page.on("requestfailed", lambda req: found.append(f"request failed: {req.url} ({req.failure})"))
        page.on("response", lambda resp: resp.status >= 400 and found.append(f"HTTP {resp.status}: {resp.url}"))
        return page

    def __call__(self, page) -> list[str]:
        return list(self._by_page.get(id(page), []))


@pytest.fixture
def page_problems():
    return PageProblems()


def _new_page(browser, live_server, page_problems, **context_options):
    context = browser.new_context(base_url=live_server.url, locale=LOCALE, timezone_id=TIMEZONE, **context_options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = page_problems.watch(context.new_page())
    return context, page


def _close(context, page, request, kind: str):
    report = getattr(request.node, "_e2e_report_call", None)
    if report is not None and report.failed and not page.is_closed():
        # Leave evidence of what the browser showed when the test failed.
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        path = SCREENSHOT_DIR / "failures" / f"{name}_{kind}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(path), full_page=True)
        except Exception:  # the screenshot is a courtesy; keep the real failure visible
            pass
    context.close()


@pytest.fixture
def desk_page(browser, live_server, request, page_problems):
    """A desk-sized (1366×768) page, zh-CN, Asia/Shanghai; base_url = live server."""
    context, page = _new_page(browser, live_server, page_problems, viewport=DESK_VIEWPORT)
    yield page
    _close(context, page, request, "desk")


@pytest.fixture
def phone_page(browser, live_server, request, page_problems):
    """A phone-sized (375×812, 2× touch screen) page, zh-CN, Asia/Shanghai."""
    context, page = _new_page(
        browser, live_server, page_problems,
        viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True, device_scale_factor=2,
    )
    yield page
    _close(context, page, request, "phone")


@pytest.fixture
def screenshot():
    """screenshot(page, "login") -> build/screenshots/login.png (the path).

    Look at the PNG: Chinese renders (no tofu boxes), nothing overflows."""

    def _take(page, name: str, *, full_page: bool = False) -> Path:
        from playwright.sync_api import Error as PlaywrightError

        path = SCREENSHOT_DIR / (name if name.endswith(".png") else f"{name}.png")
        path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(3):
            try:
                page.screenshot(path=str(path), full_page=full_page)
                return path
            except PlaywrightError as exc:
                # Headless Chromium now and then answers "Unable to capture screenshot" while
                # it is still compositing a page it just laid out (seen in CI on a busy
                # machine): the picture is a record, not an assertion — wait a frame, retry.
                if "Unable to capture screenshot" not in str(exc) or attempt == 2:
                    raise
                page.wait_for_load_state("load")
                page.wait_for_timeout(300)
        return path

    return _take
