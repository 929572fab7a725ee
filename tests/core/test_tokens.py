"""API tokens (issue 10 items 1, 2 and 8): no token while an initial password
must be changed; tokens expire, are revoked by logging out, a password change,
an admin's reset, a lockout, deactivation, the user and the admin; one
address failing across many usernames waits. R-SYS-03 (accounts and their
security)."""

from datetime import timedelta

import axes.utils
import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.conftest import MODEL_BACKEND, PASSWORD
from zhonglou_hrss.core import tokens
from zhonglou_hrss.core.auth import address_limit
from zhonglou_hrss.core.models import AuditLog

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
LOOKUP = "/api/v1/lookups/education_levels/"


@pytest.fixture(autouse=True)
def _clean_axes():
    axes.utils.reset()
    yield
    axes.utils.reset()


def _sign_in(username, password=PASSWORD, address="127.0.0.1"):
    return APIClient(REMOTE_ADDR=address).post(TOKEN, {"username": username, "password": password}, format="json")


def _client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _works(key) -> bool:
    response = _client(key).get(LOOKUP)
    assert response.status_code in (200, 401, 403), response.content
    return response.status_code == 200


def _desk(user):
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def _revocations(user, reason):
    return AuditLog.objects.filter(action=AuditLog.Action.TOKEN_REVOKE, target_id=str(user.pk),
                                   detail__reason=reason)


# --- item 1: the forced password change --------------------------------------------------
def test_no_token_while_the_initial_password_must_be_changed(make_user):
    """Issue 10 item 1: a user who must change the password gets a 403 saying
    so, and no token row is written."""
    user = make_user("clerk1", roles=["district_clerk"])
    user.password_change_required = True
    user.save()
    response = _sign_in("clerk1")
    assert response.status_code == 403
    assert "修改初始密码" in response.json()["detail"]
    assert not AuthToken.objects.filter(user=user).exists()


def test_a_token_stops_working_once_a_password_change_is_required(make_user):
    """Issue 10 item 1: a token held when the flag is set (however it was set)
    gives no access until the password is changed."""
    user = make_user("clerk1", roles=["district_clerk"])
    key = _sign_in("clerk1").json()["token"]
    assert _works(key)
    type(user).objects.filter(pk=user.pk).update(password_change_required=True)
    response = _client(key).get(LOOKUP)
    assert response.status_code == 403
    assert "修改初始密码" in response.json()["detail"]


def test_admin_reset_revokes_tokens_and_the_new_password_gets_none(client_as, make_user):
    """Issue 10 items 1 and 2: an admin's reset in the desk revokes the
    user's tokens (audited); signing in with the reset password gets no token."""
    user = make_user("clerk1", roles=["district_clerk"])
    key = _sign_in("clerk1").json()["token"]
    response = client_as("admin").post(f"/desk/core/user/{user.pk}/password/", {
        "password1": "Reset#pass2026", "password2": "Reset#pass2026", "usable_password": "true"})
    assert response.status_code == 302
    assert not _works(key)
    assert _revocations(user, tokens.Revoked.PASSWORD).count() == 1
    assert _sign_in("clerk1", "Reset#pass2026").status_code == 403


# --- item 2: expiry and revocation -------------------------------------------------------
def test_sign_in_answers_token_and_expiry_and_stores_only_a_hash(make_user):
    """Issue 10 item 2: {token, expiry}; the database keeps a digest, never the key; audited."""
    user = make_user("clerk1", roles=["district_clerk"])
    body = _sign_in("clerk1").json()
    assert set(body) == {"token", "expiry"}
    row = AuthToken.objects.get(user=user)
    assert body["token"] not in (row.digest, row.token_key) and row.digest != body["token"]
    assert AuditLog.objects.filter(action=AuditLog.Action.TOKEN_ISSUE, target_id=str(user.pk)).count() == 1


def test_staff_tokens_last_twelve_hours_enterprise_tokens_thirty_days(make_user, settings):
    """Issue 10 item 2: lifetimes are site settings, by kind of account."""
    make_user("clerk1", roles=["district_clerk"])
    make_user("ent1", roles=["enterprise_user"])
    now = timezone.now()
    assert _sign_in("clerk1").status_code == 200 and _sign_in("ent1").status_code == 200
    staff = AuthToken.objects.get(user__username="clerk1")
    external = AuthToken.objects.get(user__username="ent1")
    assert abs(staff.expiry - now - timedelta(hours=settings.TOKEN_HOURS_STAFF)) < timedelta(minutes=1)
    assert abs(external.expiry - now - timedelta(hours=settings.TOKEN_HOURS_EXTERNAL)) < timedelta(minutes=1)
    assert settings.TOKEN_HOURS_STAFF == 12 and settings.TOKEN_HOURS_EXTERNAL == 720


def test_an_expired_token_is_refused_in_chinese_and_removed(make_user):
    """Issue 10 item 2: past its expiry a token answers 401 (Chinese) and its row goes."""
    user = make_user("clerk1", roles=["district_clerk"])
    key = _sign_in("clerk1").json()["token"]
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - timedelta(seconds=1))
    response = _client(key).get(LOOKUP)
    assert response.status_code == 401
    assert "重新登录" in response.json()["detail"]
    assert not AuthToken.objects.filter(user=user).exists()


def test_nightly_job_deletes_expired_tokens_only(make_user):
    """Issue 10 item 2: the housekeeping job removes expired rows, keeps live ones."""
    user = make_user("clerk1", roles=["district_clerk"])
    old, _ = tokens.issue(user)
    live, _ = tokens.issue(user)
    AuthToken.objects.filter(pk=old.pk).update(expiry=timezone.now() - timedelta(hours=1))
    from zhonglou_hrss.core.tasks import delete_expired_tokens

    assert delete_expired_tokens() == 1
    assert list(AuthToken.objects.filter(user=user).values_list("pk", flat=True)) == [live.pk]


def test_own_password_change_revokes_every_token(make_user):
    """Issue 10 item 2: after the user changes the password, old tokens fail."""
    user = make_user("clerk1", roles=["district_clerk"])
    keys = [_sign_in("clerk1").json()["token"] for _ in range(2)]
    user.set_password("Another#pass2026")
    user.save()
    assert not any(_works(k) for k in keys)
    assert _revocations(user, tokens.Revoked.PASSWORD).count() == 1


def test_logout_revokes_this_token_and_logout_all_every_one(make_user):
    """Issue 10 item 2: POST auth/logout/ ends this token only; auth/logout-all/ every one."""
    user = make_user("clerk1", roles=["district_clerk"])
    phone, laptop, tablet = (_sign_in("clerk1").json()["token"] for _ in range(3))
    assert _client(phone).post("/api/v1/auth/logout/").status_code == 204
    assert not _works(phone) and _works(laptop) and _works(tablet)
    assert _revocations(user, tokens.Revoked.LOGOUT).count() == 1
    assert _client(laptop).post("/api/v1/auth/logout-all/").status_code == 204
    assert not _works(laptop) and not _works(tablet)
    assert _client(laptop).post("/api/v1/auth/logout/").status_code == 401


def test_deactivation_revokes_tokens(make_user):
    """Issue 10 item 2: a deactivated account's tokens are deleted."""
    user = make_user("clerk1", roles=["district_clerk"])
    key = _sign_in("clerk1").json()["token"]
    user.is_active = False
    user.save()
    assert not AuthToken.objects.filter(user=user).exists()
    assert not _works(key)
    assert _revocations(user, tokens.Revoked.DEACTIVATED).count() == 1


def test_lockout_revokes_tokens_and_the_token_endpoint_says_locked(make_user):
    """Issue 10 items 2 and 8: five failures lock the account: its tokens stop
    working, and the token endpoint answers 429 saying locked, in minutes."""
    user = make_user("clerk1", roles=["district_clerk"])
    key = _sign_in("clerk1").json()["token"]
    for i in range(5):
        assert _sign_in("clerk1", f"wrong-{i}").status_code in (400, 429)
    assert not _works(key)
    assert _revocations(user, tokens.Revoked.LOCKOUT).count() == 1
    response = _sign_in("clerk1")  # the right password, while locked
    assert response.status_code == 429
    detail = response.json()["detail"]
    assert "锁定" in detail and "30分钟" in detail and "PT30M" not in detail
    assert not AuthToken.objects.filter(user=user).exists()


def test_desk_lockout_page_says_minutes(make_user):
    """Issue 10 item 8: the desk's lockout page says 30分钟, not PT30M."""
    make_user("clerk1", roles=["district_clerk"])
    client = Client()
    for i in range(5):
        client.post("/desk/login/", {"username": "clerk1", "password": f"wrong-{i}"})
    response = client.post("/desk/login/", {"username": "clerk1", "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "30分钟后可再次尝试" in html and "PT30M" not in html


# --- item 8: one address across usernames --------------------------------------------------
def test_one_address_failing_across_usernames_waits_on_api_and_desk(make_user, settings):
    """Issue 10 item 8: 20 usernames from one address, one try each, then even
    a right password from that address is refused (429) on the API and the
    desk; another address is not affected; the per-user lockout still holds."""
    address, other = "203.0.113.7", "203.0.113.8"
    address_limit().reset(address)
    make_user("clerk1", roles=["district_clerk"])
    limit = settings.LOGIN_FAILURES_PER_ADDRESS
    assert limit == 20
    for i in range(limit):
        assert _sign_in(f"guess{i}", "wrong", address=address).status_code == 400
    response = _sign_in("clerk1", address=address)
    assert response.status_code == 429
    assert "该网络地址登录失败次数过多" in response.json()["detail"]
    desk = Client(REMOTE_ADDR=address).post("/desk/login/", {"username": "clerk1", "password": PASSWORD})
    assert desk.status_code == 429
    assert "该网络地址登录失败次数过多" in desk.content.decode()
    assert _sign_in("clerk1", address=other).status_code == 200
    address_limit().reset(address)


# --- the desk's token list -------------------------------------------------------------------
def test_desk_token_list_shows_own_tokens_and_admin_sees_all(client_as, role_user, make_user):
    """Issue 10 item 2: every desk user lists their own tokens; the user
    administrator lists everyone's; the key itself is never shown."""
    clerk = role_user("clerk")
    other = make_user("clerk2", roles=["district_clerk"])
    mine, mine_key = tokens.issue(clerk)
    theirs, _ = tokens.issue(other)
    page = _desk(clerk).get("/desk/core/apitoken/")
    assert page.status_code == 200
    html = page.content.decode()
    assert mine.token_key[:8] in html and theirs.token_key[:8] not in html and mine_key not in html
    page = client_as("admin").get("/desk/core/apitoken/").content.decode()
    assert mine.token_key[:8] in page and theirs.token_key[:8] in page


def test_desk_revokes_own_token_not_anothers(client_as, role_user, make_user):
    """Issue 10 item 2: revoking in the desk deletes the row (audited); a clerk
    cannot reach another user's token."""
    clerk = role_user("clerk")
    other = make_user("clerk2", roles=["district_clerk"])
    mine, mine_key = tokens.issue(clerk)
    theirs, theirs_key = tokens.issue(other)
    client = _desk(clerk)
    response = client.post("/desk/core/apitoken/", {"action": "revoke_selected", "_selected_action": [mine.pk, theirs.pk]})
    assert response.status_code == 302
    assert not _works(mine_key) and _works(theirs_key)
    assert _revocations(clerk, tokens.Revoked.BY_SELF).count() == 1
    assert client.post(f"/desk/core/apitoken/{theirs.pk}/delete/", {"post": "yes"}).status_code in (302, 403)
    assert _works(theirs_key)


def test_admin_revokes_anyones_token_in_the_desk(client_as, make_user):
    """Issue 10 item 2: the user administrator revokes a token (audited as by an admin)."""
    other = make_user("clerk2", roles=["district_clerk"])
    theirs, key = tokens.issue(other)
    response = client_as("admin").post(f"/desk/core/apitoken/{theirs.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not _works(key)
    row = _revocations(other, tokens.Revoked.BY_ADMIN).get()
    assert row.actor.username == "u_admin"
