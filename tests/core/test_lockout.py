"""Login lockout (django-axes): 5 failed sign-ins lock the account from that
address; the locked user sees a Chinese page; the admin can unlock.
Requirements: R-SYS-01 / R-SYS-03 (accounts and their security, set by the
admin), architecture stack (django-axes, lockout on username + address)."""

import axes.utils
import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from tests.conftest import PASSWORD
from zhonglou_hrss.core.models import AuditLog

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture(autouse=True)
def _clean_axes():
    axes.utils.reset()
    yield
    axes.utils.reset()


def _login(client, username, password):
    return client.post("/desk/login/", {"username": username, "password": password, "next": "/desk/"})


def _fail(client, username, times):
    return [_login(client, username, f"wrong-password-{i}") for i in range(times)]


def _mark() -> int:
    return AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_settings_lock_on_username_and_address():
    """R-SYS-03: the limit is 5 and the lock is per username + address (not the
    whole office behind one NAT address)."""
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_LOCKOUT_CALLABLE == "zhonglou_hrss.core.auth.lockout_response"


def test_four_failures_do_not_lock(make_user):
    """R-SYS-03: below the limit the right password still signs in."""
    make_user("clerk1", roles=["district_clerk"])
    client = Client()
    responses = _fail(client, "clerk1", LIMIT - 1)
    assert all(r.status_code == 200 for r in responses)
    assert "连续输错5次账号将被锁定" in responses[-1].content.decode()
    response = _login(client, "clerk1", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/desk/"


def test_five_failures_lock_the_account(make_user):
    """R-SYS-03: after 5 failures the 6th attempt, even with the right password,
    gets the Chinese lockout page; a "lockout" audit row is written."""
    make_user("clerk1", roles=["district_clerk"])
    client = Client()
    since = _mark()
    _fail(client, "clerk1", LIMIT)
    rows = AuditLog.objects.filter(action="lockout", id__gt=since)
    assert rows.count() == 1
    row = rows.get()
    assert row.actor_username == "clerk1"
    assert row.ip == "127.0.0.1"
    assert AuditLog.objects.filter(action="login_failed", id__gt=since).count() == LIMIT

    response = _login(client, "clerk1", PASSWORD)
    assert response.status_code in (403, 429)
    assert "core/lockout.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "账号已临时锁定" in html
    assert "请联系系统管理员" in html
    # Not signed in.
    assert not AuditLog.objects.filter(action="login", id__gt=since).exists()
    assert client.get("/desk/").status_code == 302
    # A fresh browser from the same address is locked out too.
    assert "账号已临时锁定" in _login(Client(), "clerk1", PASSWORD).content.decode()


def test_other_username_same_address_not_locked(make_user):
    """R-SYS-03: one person's typos do not lock colleagues at the same address."""
    make_user("clerk1", roles=["district_clerk"])
    make_user("clerk2", roles=["district_clerk"])
    client = Client()
    _fail(client, "clerk1", LIMIT)
    response = _login(Client(), "clerk2", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/desk/"


def test_same_username_other_address_not_locked(make_user):
    """R-SYS-03: the lock is for username + address."""
    make_user("clerk1", roles=["district_clerk"])
    _fail(Client(), "clerk1", LIMIT)
    other = Client(REMOTE_ADDR="10.0.0.8")
    response = _login(other, "clerk1", PASSWORD)
    assert response.status_code == 302


def test_admin_unlocks_in_desk(make_user, client_as):
    """R-SYS-03: an admin (axes.delete_accessattempt) unlocks by deleting the
    AccessAttempt in the desk; the user can then sign in."""
    make_user("clerk1", roles=["district_clerk"])
    _fail(Client(), "clerk1", LIMIT)
    attempt = AccessAttempt.objects.get(username="clerk1")
    assert attempt.failures_since_start == LIMIT

    admin = client_as("admin")
    listing = admin.get("/desk/axes/accessattempt/")
    assert listing.status_code == 200
    assert "clerk1" in listing.content.decode()
    assert admin.get(f"/desk/axes/accessattempt/{attempt.pk}/delete/").status_code == 200
    response = admin.post(f"/desk/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="clerk1").exists()

    response = _login(Client(), "clerk1", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/desk/"


def test_unlock_page_refused_without_permission(make_user, client_as):
    """R-SYS-01: only a role with the axes permissions sees and deletes lockouts."""
    make_user("clerk1", roles=["district_clerk"])
    _fail(Client(), "clerk1", LIMIT)
    attempt = AccessAttempt.objects.get(username="clerk1")
    clerk = client_as("clerk")
    assert clerk.get("/desk/axes/accessattempt/").status_code == 403
    assert clerk.post(f"/desk/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_success_resets_failure_count(make_user):
    """R-SYS-03: a successful sign-in clears earlier failures (AXES_RESET_ON_SUCCESS)."""
    make_user("clerk1", roles=["district_clerk"])
    _fail(Client(), "clerk1", LIMIT - 1)
    assert _login(Client(), "clerk1", PASSWORD).status_code == 302
    _fail(Client(), "clerk1", LIMIT - 1)
    assert _login(Client(), "clerk1", PASSWORD).status_code == 302
