"""The manuals' tests (issue 18): the pictures the manuals embed, taken by a
real browser on the DEMO data, and the checks that keep the manuals true.

Pictures
--------
A picture test signs in as a demo user and calls ``shot``::

    @pytest.mark.e2e
    def test_clerk_registers_a_case(demo_server, desk_as, shot):
        page = desk_as("clerk")                       # 1366×768, signed in to the desk
        page.goto("/desk/kuaiban/case/")
        shot(page, "clerk/case_list", highlight=page.get_by_role("link", name="登记事件"))

- ``demo_server``: a live server over the demo data (``load_demo``, committed,
  loaded once per test module and removed at its end, so the tests after it
  find the base data only). Tests may change data through the pages; a later
  test of the same module sees it (order your steps within one test).
- ``desk_as(username)`` / ``phone_as(username)``: a page 1366×768 / 375×812
  signed in as that demo user (``None``: not signed in). Portal users sign in
  the same way (the session cookie serves the portal too).
- ``shot(page, "<manual>/<name>", highlight=locator)`` outlines the thing to
  click (an element style set from script: allowed by the CSP), takes the
  picture, removes the outline, and saves a small PNG (Pillow palette). It
  writes to ``build/manual/images/`` unless ``ZHONGLOU_MANUAL_IMAGES=docs``
  (``make manual``), which writes ``docs/manual/images/`` — the manuals' own.

Labels (【…】 in the manuals)
----------------------------
tests/manual/test_manual_files.py renders every page a section names in its
``<!-- pages: … -->`` comment with Django's test client as the manual's demo
user (``MANUAL_USERS``) on the demo data, and requires each 【label】 of the
section to appear in the text of those pages. A page whose URL needs an
object takes it from ``OBJECTS[(manual, section id)][url name]`` (a function
returning the URL's args, a list, or kwargs, a dict) — or, for ``admin:<app>_<model>_change``, the first
object of that model. Labels that only a browser shows (the phone client's
pages, texts drawn by script) are checked by the section's picture test
instead: list the section in ``BROWSER_LABELS`` and call
``shot.assert_labels(manual, section_id)`` at the end of that test (every
label must appear in one of the pages it took pictures of).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from tests.e2e.conftest import CHROMIUM_ARGS, DEFAULT_TIMEOUT_MS, LOCALE, TIMEZONE  # noqa: F401

REPO_DIR = Path(__file__).resolve().parents[2]
DOCS_IMAGES = REPO_DIR / "docs" / "manual" / "images"
BUILD_IMAGES = REPO_DIR / "build" / "manual" / "images"
DESK_VIEWPORT = {"width": 1366, "height": 768}
PHONE_VIEWPORT = {"width": 375, "height": 812}
OUTLINE = "3px solid #e4393c"

# The demo user each manual is written for (the labels are checked as them).
MANUAL_USERS = {
    "admin": "admin",
    "clerk": "clerk",
    "leader": "leader",
    "inspector": "inspector1",
    # 永红街道 has cases waiting to be accepted and cases in mediation in the demo data.
    "grid": "grid_320404002",
    "portal_staff": "portal_staff",
    "credit_staff": "credit_staff",
    "enterprise": "ent_demo1",
    "hr_company": "hr_demo1",
    "public": None,
}


def _first_case(**filters):
    def args():
        from zhonglou_hrss.kuaiban.models import Case

        case = Case.objects.filter(**filters).order_by("pk").first()
        assert case is not None, f"演示数据里没有这样的事件：{filters}"
        # By keyword: the desk's own case page (admin's default …/change/ only redirects to it).
        return {"case_id": case.pk}
    return args


def _first(model: str, kwarg: str, **filters):
    """The URL kwargs of the first ``app_label.Model`` object matching ``filters`` (by state or
    name, not a fixed primary key: the demo data's keys are not promised). For a desk object,
    by the desk page's own keyword (``demand_id``…): admin's ``…/change/`` only redirects there."""
    def kwargs():
        from django.apps import apps

        obj = apps.get_model(model)._default_manager.filter(**filters).order_by("pk").first()
        assert obj is not None, f"演示数据里没有这样的{model}：{filters}"
        return {kwarg: obj.pk}
    return kwargs


# (manual, section id) -> {url name: () -> URL args}: which demo object a section's page shows.
CASE_PAGE = "admin:kuaiban_case_change"
ACCOUNT_PAGE = "admin:core_enterpriseaccount_change"
HR_DEMO1_DECLARATION = {"account__user__username": "hr_demo1", "scheme__year": 2026}
OBJECTS: dict[tuple[str, str], dict[str, object]] = {
    ("clerk", "triage"): {CASE_PAGE: _first_case(status="district_triage")},
    ("leader", "assign"): {CASE_PAGE: _first_case(status="awaiting_assignment")},
    ("leader", "reassign"): {CASE_PAGE: _first_case(status="awaiting_claim")},
    ("grid", "accept"): {CASE_PAGE: _first_case(status="grid_pending", grid__code="320404002")},
    ("grid", "resolve"): {CASE_PAGE: _first_case(status="grid_handling", grid__code="320404002")},
    ("grid", "fail"): {CASE_PAGE: _first_case(status="grid_handling", grid__code="320404002")},
    ("grid", "return"): {CASE_PAGE: _first_case(status="grid_handling", grid__code="320404002")},
    # Part B: 就业后台, 信用评价管理员, 企业, 人力资源企业, 群众.
    ("portal_staff", "accounts"): {ACCOUNT_PAGE: _first("core.EnterpriseAccount", "account_id",
                                                        user__username="ent_demo2")},
    ("portal_staff", "news"): {"admin:portal_news_change": _first("portal.News", "news_id")},
    ("portal_staff", "demands"): {"admin:portal_demand_change": _first("portal.Demand", "demand_id", status="pending")},
    ("portal_staff", "jobfairs"): {"admin:portal_jobfair_change": _first("portal.JobFair", "fair_id",
                                                                        name__contains="春风行动")},
    ("portal_staff", "registrations"): {"admin:portal_registration_change": _first(
        "portal.Registration", "registration_id", status="pending")},
    ("portal_staff", "concerns"): {"admin:portal_concern_change": _first("portal.Concern", "concern_id", status="new")},
    ("credit_staff", "accounts"): {ACCOUNT_PAGE: _first("core.EnterpriseAccount", "account_id",
                                                        user__username="hr_demo2")},
    ("credit_staff", "criteria"): {"admin:credit_criteria_year": lambda: {"year": 2026}},
    ("credit_staff", "declarations"): {"admin:credit_declaration_page": _first(
        "credit.Declaration", "declaration_id", **HR_DEMO1_DECLARATION)},
    ("credit_staff", "deductions"): {"admin:credit_declaration_page": _first(
        "credit.Declaration", "declaration_id", **HR_DEMO1_DECLARATION)},
    ("enterprise", "demands"): {"portal:demand_detail": _first("portal.Demand", "demand_id",
                                                               account__user__username="ent_demo1", status="approved",
                                                               outcome="")},  # its 招聘结果 form is open
    ("enterprise", "jobfairs"): {"portal:registration_detail": _first(
        "portal.Registration", "registration_id", account__user__username="ent_demo1", status="pending")},
    ("hr_company", "declaration"): {"credit_portal:declaration": _first("credit.Declaration", "pk",
                                                                        **HR_DEMO1_DECLARATION)},
    ("hr_company", "returned"): {"credit_portal:declaration": _first("credit.Declaration", "pk",
                                                                     **HR_DEMO1_DECLARATION)},
    ("hr_company", "results"): {"credit_portal:declaration": _first("credit.Declaration", "pk",
                                                                    **HR_DEMO1_DECLARATION)},
    # The poster's questionnaire (its key in the QR address).
    ("public", "employee"): {"questionnaires:employee_entry": lambda: {"key": "employee"}},
}

# Sections whose labels the picture test checks in the browser (shot.assert_labels): the
# sign-in page (the label check's client is signed in already), and the inspector's steps,
# whose cases the picture test walks through (the demo data has none waiting for inspector1).
BROWSER_LABELS: set[tuple[str, str]] = {
    ("grid", "login"),
    # The export's progress page and its 下载 Excel exist once an export was started.
    ("clerk", "export"),
    ("inspector", "claim"), ("inspector", "milestones"), ("inspector", "handling"), ("inspector", "close"),
    ("inspector", "execution"),
    # Part B. 生成结果 makes the results (and their 发布/导出 buttons) in the picture test; the
    # registration forms are the anonymous visitor's; the phone client is drawn by script; the
    # declaration form opens once hr_demo2 is approved in the window (the test does both); the
    # employee's page names the employer only from the poster's address (?enterprise=…).
    ("credit_staff", "results"), ("enterprise", "register"), ("enterprise", "phone"),
    ("hr_company", "register"), ("hr_company", "declaration"), ("public", "employee"),
    # 急难愁盼's pages are public.md's (their 帮助 opens it); enterprise.md repeats the steps.
    ("enterprise", "concerns"),
}


def pytest_collection_modifyitems(config, items):
    """pytest-django creates the test database only for the tests that ask for
    one (a ``django_db`` mark, ``db``, ``live_server``), and each of those runs
    in a transaction (on a SQLite site an IMMEDIATE one, which would lock the
    live server's writes out) or is flushed after it (which would take the demo
    data with it). The picture tests ask for ``demo_server`` instead: tell
    pytest-django (pinned in requirements-dev.txt) that they need the default
    database, and nothing more. The test's own few reads and sign-ins go
    through ``in_thread`` (a connection of its own, committed at once)."""
    from pytest_django import fixtures

    if getattr(fixtures._get_databases_for_test, "manual_aware", False):
        return
    original = fixtures._get_databases_for_test

    def databases_for_test(test):
        if "demo_server" in getattr(test, "fixturenames", ()):
            return ("default",), False
        return original(test)

    databases_for_test.manual_aware = True
    fixtures._get_databases_for_test = databases_for_test


def in_thread(function, *args, **kwargs):
    """``function(*args, **kwargs)`` on its own thread and database connection (committed at once)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def images_dir() -> Path:
    return DOCS_IMAGES if os.environ.get("ZHONGLOU_MANUAL_IMAGES", "").strip() == "docs" else BUILD_IMAGES


def load_demo_data() -> None:
    """``manage.py load_demo`` on the test site, marked ``demo = true`` meanwhile (load_demo refuses other sites)."""
    import dataclasses

    from django.conf import settings
    from django.core.management import call_command

    site = settings.SITE
    settings.SITE = dataclasses.replace(site, raw={**site.raw, "site": {**site.site, "demo": True}})
    try:
        call_command("load_demo", stdout=io.StringIO())
    finally:
        settings.SITE = site


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data, committed (the live server's thread reads it), for one
    module; then every table is emptied and the base data put back."""
    from django.core.cache import cache
    from django.core.management import call_command

    from zhonglou_hrss.core.fixtures_sync import sync_base

    with django_db_blocker.unblock():
        load_demo_data()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        sync_base()
    cache.clear()


@pytest.fixture(scope="session")
def _manual_live_server(django_db_setup):
    """pytest-django's ``live_server`` would flush the database after every
    test (it makes the test transactional); this one leaves that to ``demo_data``."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()
    server.stop()


@pytest.fixture
def demo_server(_manual_live_server, demo_data, django_db_blocker):
    """The live server over the demo data; the test (and the server's thread) may use the database."""
    with django_db_blocker.unblock():
        yield _manual_live_server


def _session_cookie(username: str, url: str) -> dict:
    from django.conf import settings
    from django.test import Client

    from tests.conftest import MODEL_BACKEND
    from zhonglou_hrss.core.models import User

    client = Client()
    client.force_login(User.objects.get(username=username), backend=MODEL_BACKEND)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": url}


@pytest.fixture
def _contexts(browser):  # noqa: F811
    opened = []
    yield opened
    for context in opened:
        context.close()


def _page_as(browser, server, opened, username, **options):  # noqa: F811
    context = browser.new_context(base_url=server.url, locale=LOCALE, timezone_id=TIMEZONE, **options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    opened.append(context)
    if username:
        context.add_cookies([in_thread(_session_cookie, username, server.url)])
    page = context.new_page()
    # The desk asks "确认…？" before some actions (data-confirm): the reader answers yes.
    page.on("dialog", lambda dialog: dialog.accept())
    return page


@pytest.fixture
def desk_as(browser, demo_server, _contexts):  # noqa: F811
    """desk_as("clerk") -> a 1366×768 page signed in as that demo user (None: anonymous)."""
    return lambda username: _page_as(browser, demo_server, _contexts, username, viewport=DESK_VIEWPORT)


@pytest.fixture
def phone_as(browser, demo_server, _contexts):  # noqa: F811
    """phone_as("grid_320404001") -> a 375×812 touch page signed in as that demo user (None: anonymous)."""
    return lambda username: _page_as(browser, demo_server, _contexts, username, viewport=PHONE_VIEWPORT,
                                     is_mobile=True, has_touch=True, device_scale_factor=1)


def save_small_png(raw: bytes, path: Path) -> None:
    """A screenshot as a palette PNG (a tenth of the size; screenshots have few colours)."""
    from PIL import Image

    image = Image.open(io.BytesIO(raw)).convert("RGB")
    small = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    path.parent.mkdir(parents=True, exist_ok=True)
    small.save(path, format="PNG", optimize=True)


class Shot:
    """shot(page, "clerk/case_list", highlight=locator) -> the PNG's path."""

    def __init__(self):
        self.texts: list[str] = []

    def __call__(self, page, name: str, *, highlight=None, full_page: bool = False) -> Path:
        path = images_dir() / f"{name.removesuffix('.png')}.png"
        page.wait_for_load_state("load")
        if highlight is not None:
            highlight.first.scroll_into_view_if_needed()
            highlight.first.evaluate(f"el => {{ el.dataset.manualOutline = el.style.outline; "
                                     f"el.style.outline = '{OUTLINE}'; el.style.outlineOffset = '2px'; }}")
        try:
            raw = page.screenshot(full_page=full_page, animations="disabled")
        finally:
            if highlight is not None:
                highlight.first.evaluate("el => { el.style.outline = el.dataset.manualOutline || ''; "
                                         "el.style.outlineOffset = ''; delete el.dataset.manualOutline; }")
        self.texts.append(page.content())
        save_small_png(raw, path)
        return path

    def assert_labels(self, manual: str, section_id: str) -> None:
        """Every 【label】 of that section appears in one of the pages pictured by this test."""
        from zhonglou_hrss.core import manuals

        section = manual_section(manuals.get(manual), section_id)
        seen = "\n".join(visible_text(html) for html in self.texts)
        missing = [label for label in section.labels if label not in seen]
        assert not missing, f"{manual}.md#{section_id} 提到的界面文字在页面上找不到：{missing}"


@pytest.fixture
def shot():
    return Shot()


def manual_section(manual, section_id):
    assert manual is not None
    for section in manual.sections:
        if section.id == section_id:
            return section
    raise AssertionError(f"{manual.slug}.md 没有 {{#{section_id}}} 一节")


def visible_text(html: str) -> str:
    """What a reader can find on a page: its text, and the words of buttons,
    inputs, pictures and links given as attributes (value, placeholder, title,
    alt, aria-label). Whitespace is squeezed."""
    import re
    from html import unescape

    attributes = re.findall(r'\b(?:value|placeholder|title|alt|aria-label)="([^"]*)"', html)
    html = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", " ", html, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", unescape(text + " " + " ".join(attributes)))
