"""Shared fixtures: base data, users per role, private file folders."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from zhonglou_hrss.core.fixtures_sync import role_group, sync_base
from zhonglou_hrss.core.models import Grid, User

PASSWORD = "Test#pass2026"
MODEL_BACKEND = "zhonglou_hrss.core.auth.CachedModelBackend"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request):
    """SQLite: test in a database FILE, not Django's default in-memory one.

    Two users acting on one case at once are tested with real threads, each
    with its own connection (tests/kuaiban/test_concurrency.py). An in-memory
    test database is shared between threads only in SQLite's shared-cache mode,
    where a second writer fails at once with "database table is locked" instead
    of waiting for the first one's BEGIN IMMEDIATE lock as a real site's file
    database does. The file is per process (concurrent runs, xdist workers),
    in the temp folder, and removed by Django at the end of the run.
    """
    import os
    import tempfile
    from pathlib import Path

    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3" and not db.get("TEST", {}).get("NAME"):
        name = f"zhonglou_test_{Path(db['NAME']).parent.name}_{os.getpid()}.sqlite3"
        db.setdefault("TEST", {})["NAME"] = str(Path(tempfile.gettempdir()) / name)
        # The same locks as on a site (BEGIN IMMEDIATE, rollback journal); only
        # the durability a throwaway database does not need is skipped.
        db["OPTIONS"] = {**db.get("OPTIONS", {}), "init_command": "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY"}
    request.getfixturevalue("django_db_modify_db_settings_parallel_suffix")


@pytest.fixture(autouse=True)
def _fresh_address_limit():
    """Tests sign in from 127.0.0.1 all day: each starts with that address's
    failed sign-ins forgotten (core.auth.address_limit; its own tests use
    other addresses)."""
    from zhonglou_hrss.core.auth import address_limit

    address_limit().reset("127.0.0.1")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the base fixtures, as a real site does,
    and an empty cache: on a Redis site each test process has its own Redis
    database (siteconf.xdist_worker_redis_url), which may still hold an
    earlier run's permission sets and counts keyed by ids now reused."""
    from django.core.cache import cache

    cache.clear()
    with django_db_blocker.unblock():
        sync_base()


@pytest.fixture
def base_data(db):
    """Base fixtures for tests that run after a flush (transactional / live server)."""
    sync_base()


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool({"transactional_db", "live_server"} & fixtures or (marker and marker.kwargs.get("transaction")))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (threads, a live server) ends by emptying every
    table. Once its fixtures are torn down (the flush done), put the base data
    back, so the tests that follow on this process find the site as it was,
    whatever order the scheduler runs them in (xdist's work stealing does not
    keep pytest-django's "transactional tests last")."""
    yield
    # The last test of a process tears the test database down with it: nothing to restore.
    if nextitem is not None and _flushes_the_database(item):
        from pytest_django.plugin import blocking_manager_key

        from zhonglou_hrss.core.custom_fields import definitions_changed

        with item.config.stash[blocking_manager_key].unblock():
            sync_base()
            # The flush removed the test's custom fields without a signal: definitions kept
            # across requests (core.memo.kept) must not outlive it, as a restore clears the cache.
            definitions_changed()


@pytest.fixture(scope="session", autouse=True)
def _fast_passwords():
    # PBKDF2's deliberate slowness is for attackers, not for test users
    # (session-wide, so data built once per module is fast too).
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """Data built once for a whole test module (Django's ``setUpTestData``):
    the module runs inside one transaction, rolled back at its end; each
    test's own transaction (the ``db`` fixture) nests in it as a savepoint,
    so what a test changes is undone after it and the module's data stays.
    For modules whose tests only read that data (no live server, no threads)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        with transaction.atomic():
            yield
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _site_folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads" / "public"
    settings.PRIVATE_UPLOADS_DIR = tmp_path / "uploads" / "private"
    settings.EXPORTS_DIR = tmp_path / "exports"
    for path in (settings.MEDIA_ROOT, settings.PRIVATE_UPLOADS_DIR, settings.EXPORTS_DIR):
        path.mkdir(parents=True, exist_ok=True)


def create_user(username: str, *, roles: list[str] = (), grids: list[str] = (), name: str = "", mobile: str = "",
                password: str = PASSWORD) -> User:
    """A user holding these fixture roles (and grids)."""
    user = User.objects.create(username=username, name=name or username, mobile=mobile)
    user.set_password(password)
    user.save()
    user.groups.set([role_group(code) for code in roles])
    if grids:
        user.grids.set(Grid.objects.filter(code__in=grids))
    return user


@pytest.fixture
def make_user(db):
    """make_user("clerk", roles=["district_clerk"], grids=["320404001"])"""
    return create_user


ROLE_USERS = {
    "admin": {"roles": ["admin"]},
    "clerk": {"roles": ["district_clerk"]},
    "leader": {"roles": ["leader"]},
    "inspector": {"roles": ["inspector"]},
    "grid_worker": {"roles": ["grid_worker"], "grids": ["320404001"]},
    "portal_staff": {"roles": ["portal_staff"]},
    "credit_staff": {"roles": ["credit_staff"]},
    "enterprise_user": {"roles": ["enterprise_user"]},
}


@pytest.fixture
def role_user(make_user):
    """role_user("clerk") -> a user holding that fixture role."""

    def _get(role: str) -> User:
        return make_user(f"u_{role}", **ROLE_USERS[role])

    return _get


@pytest.fixture
def client_as(role_user):
    """client_as("admin") -> a logged-in test client for a user of that role."""

    def _client(role: str) -> Client:
        client = Client()
        client.force_login(role_user(role), backend=MODEL_BACKEND)
        return client

    return _client


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole test process (Playwright sync API), shared by
    tests/e2e and tests/manual: defined once, here. A second sync Playwright started in the
    same process (a fixture of the same name in another folder) fails every later browser test
    with "using Playwright Sync API inside the asyncio loop"."""
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _browser_required

    if not CHROMIUM.exists():
        reason = f"没有找到 Chromium（{CHROMIUM}）：跳过浏览器端到端测试。安装：apt-get install chromium fonts-noto-cjk"
        if _browser_required():
            pytest.fail(f"ZHONGLOU_REQUIRE_BROWSER=1，但{reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in this thread from here on;
    # Django's ORM (the tests' own fixtures) would otherwise refuse with
    # SynchronousOnlyOperation. Set only once a browser test starts: pytest-django
    # runs these live-server tests after the others.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()
