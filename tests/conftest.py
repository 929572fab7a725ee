"""Shared fixtures: base data, users per role, private file folders."""

from __future__ import annotations

import pytest
from django.test import Client

from zhonglou_hrss.core.fixtures_sync import role_group, sync_base
from zhonglou_hrss.core.models import Grid, User

PASSWORD = "Test#pass2026"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the base fixtures, as a real site does."""
    with django_db_blocker.unblock():
        sync_base()


@pytest.fixture
def base_data(db):
    """Base fixtures for tests that run after a flush (transactional / live server)."""
    sync_base()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # PBKDF2's deliberate slowness is for attackers, not for test users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _site_folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads" / "public"
    settings.PRIVATE_UPLOADS_DIR = tmp_path / "uploads" / "private"
    settings.EXPORTS_DIR = tmp_path / "exports"
    for path in (settings.MEDIA_ROOT, settings.PRIVATE_UPLOADS_DIR, settings.EXPORTS_DIR):
        path.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def make_user(db):
    """make_user("clerk", roles=["district_clerk"], grids=["320404001"])"""

    def _make(username: str, *, roles: list[str] = (), grids: list[str] = (), name: str = "", mobile: str = "",
              password: str = PASSWORD) -> User:
        user = User.objects.create(username=username, name=name or username, mobile=mobile)
        user.set_password(password)
        user.save()
        user.groups.set([role_group(code) for code in roles])
        if grids:
            user.grids.set(Grid.objects.filter(code__in=grids))
        return user

    return _make


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
