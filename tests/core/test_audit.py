"""The audit log (审计日志): sign-ins, failures, account, role, grid and
permission changes, password resets — who, what, when, from where — kept
read-only (R-SYS-01, R-SYS-03; architecture house rule 10; R-KB-20 asks the
same traceability of cases)."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.test import Client

from tests.conftest import PASSWORD
from zhonglou_hrss.core.fixtures_sync import role_group
from zhonglou_hrss.core.models import AuditLog, Grid, User

pytestmark = pytest.mark.django_db


def _mark() -> int:
    """The last audit row's id: rows written after it belong to the step under test
    (fixtures and base-data sync write rows of their own)."""
    return AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _rows(action, since=0):
    return AuditLog.objects.filter(action=action, id__gt=since).order_by("id")


def user_change_data(user: User, **overrides) -> dict:
    """The desk's user change form as a browser would submit it."""
    data = {
        "username": user.username,
        "name": user.name,
        "mobile": user.mobile,
        "email": user.email,
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "grids": [str(pk) for pk in user.grids.values_list("pk", flat=True)],
        "is_active": "on" if user.is_active else "",
        "_save": "保存",
    }
    if user.password_change_required:
        data["password_change_required"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v not in ("", None)}


def _login(client, username, password):
    return client.post("/desk/login/", {"username": username, "password": password, "next": "/desk/"})


# --- sign-in --------------------------------------------------------------------------
def test_login_writes_audit_row(make_user):
    """R-SYS-03: a desk sign-in is written as "login" with the user and address."""
    user = make_user("clerk1", roles=["district_clerk"])
    client = Client()
    since = _mark()
    response = _login(client, "clerk1", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/desk/"
    row = _rows("login", since).get()
    assert row.actor == user
    assert row.actor_username == "clerk1"
    assert row.target_id == str(user.pk)
    assert row.ip == "127.0.0.1"


def test_wrong_password_writes_login_failed_with_username(make_user):
    """R-SYS-03: a failed sign-in is written as "login_failed" naming the username tried."""
    make_user("clerk1", roles=["district_clerk"])
    since = _mark()
    response = _login(Client(), "clerk1", "wrong-password-1")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    row = _rows("login_failed", since).get()
    assert row.actor is None
    assert row.actor_username == "clerk1"
    assert row.target_repr == "clerk1"
    assert row.ip == "127.0.0.1"
    assert not _rows("login", since).exists()


def test_unknown_username_failure_is_audited(db):
    """R-SYS-03: a failure for a username that does not exist is recorded too."""
    since = _mark()
    _login(Client(), "nobody_here", "whatever-1")
    assert _rows("login_failed", since).get().actor_username == "nobody_here"


def test_logout_writes_audit_row(make_user):
    """R-SYS-03: signing out is written as "logout"."""
    user = make_user("clerk1", roles=["district_clerk"])
    client = Client()
    _login(client, "clerk1", PASSWORD)
    since = _mark()
    response = client.post("/desk/logout/")
    assert response.status_code in (200, 302)
    row = _rows("logout", since).get()
    assert row.actor == user
    # Really signed out.
    assert client.get("/desk/").status_code == 302


# --- account changes in the desk -----------------------------------------------------------
def test_user_create_in_desk_writes_user_create(client_as):
    """R-SYS-03: creating a user with the desk's add form writes "user_create"."""
    client = client_as("admin")
    since = _mark()
    response = client.post("/desk/core/user/add/", {
        "username": "new_worker", "name": "新网格员", "mobile": "13900139001",
        "password1": "Strong#pass2026", "password2": "Strong#pass2026", "_save": "保存",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="new_worker")
    assert user.password_change_required is True
    row = _rows("user_create", since).get(target_id=str(user.pk))
    assert row.actor.username == "u_admin"
    assert row.target_type == "core.User"
    # Creating the account is not also a password change.
    assert not _rows("password_change", since).filter(target_id=str(user.pk)).exists()


def test_role_change_in_desk_writes_role_names(client_as, make_user):
    """R-SYS-01 / R-SYS-03: binding roles in the desk writes "role_change" with the role names."""
    target = make_user("worker1", roles=["leader"])
    client = client_as("admin")
    grid = Grid.objects.get(code="320404001")
    since = _mark()
    response = client.post(f"/desk/core/user/{target.pk}/change/", user_change_data(
        target,
        groups=[str(role_group("grid_worker").pk), str(role_group("inspector").pk)],
        grids=[str(grid.pk)],
    ))
    assert response.status_code == 302, response.content.decode()[:3000]
    rows = _rows("role_change", since).filter(target_id=str(target.pk))
    assert rows.count() == 2
    details = [r.detail for r in rows]
    assert {"op": "remove", "items": ["领导"]} in details
    assert {"op": "add", "items": sorted(["网格员", "监察员"])} in details
    assert all(r.actor.username == "u_admin" for r in rows)
    assert set(target.groups.values_list("name", flat=True)) == {"网格员", "监察员"}


def test_grid_binding_in_desk_writes_grid_binding(client_as, make_user):
    """R-SYS-03: binding grids writes "grid_binding" with the grid codes."""
    target = make_user("worker1", roles=["grid_worker"], grids=["320404001"])
    client = client_as("admin")
    grids = Grid.objects.filter(code__in=["320404002", "320404003"])
    since = _mark()
    response = client.post(f"/desk/core/user/{target.pk}/change/",
                           user_change_data(target, grids=[str(g.pk) for g in grids]))
    assert response.status_code == 302
    details = [r.detail for r in _rows("grid_binding", since).filter(target_id=str(target.pk))]
    assert len(details) == 2
    assert {"op": "remove", "items": ["320404001"]} in details
    assert {"op": "add", "items": ["320404002", "320404003"]} in details
    assert set(target.grids.values_list("code", flat=True)) == {"320404002", "320404003"}


def test_user_field_change_writes_user_change(client_as, make_user):
    """R-SYS-03: editing a user's name writes "user_change" naming the fields (not values)."""
    target = make_user("worker1", roles=["leader"], mobile="13800138000")
    client = client_as("admin")
    since = _mark()
    response = client.post(f"/desk/core/user/{target.pk}/change/",
                           user_change_data(target, name="改后的名字", mobile="13900139000"))
    assert response.status_code == 302
    row = _rows("user_change", since).get(target_id=str(target.pk))
    assert sorted(row.detail["fields"]) == ["mobile", "name"]
    assert "13900139000" not in str(row.detail)


def test_permission_change_in_desk_writes_permission_change(client_as):
    """R-SYS-01: changing a role's permissions in the desk writes "permission_change"."""
    group = role_group("credit_staff")
    client = client_as("admin")
    perms = list(group.permissions.values_list("pk", flat=True))
    extra = Permission.objects.get(content_type__app_label="core", codename="view_grid")
    since = _mark()
    response = client.post(f"/desk/core/role/{group.pk}/change/", {
        "name": group.name, "permissions": [str(p) for p in perms + [extra.pk]], "_save": "保存",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    row = _rows("permission_change", since).get(target_id=str(group.pk))
    assert row.detail == {"op": "add", "items": ["core.view_grid"]}
    assert row.actor.username == "u_admin"
    assert row.target_repr == "信用评价管理员"


# --- passwords ------------------------------------------------------------------------------
def test_admin_password_reset_audited_and_forces_change(client_as, make_user):
    """R-SYS-03: an admin's password reset writes "password_change", sets
    password_change_required, and the user must change it on the next request."""
    target = make_user("clerk1", roles=["district_clerk"])
    assert target.password_change_required is False
    client = client_as("admin")
    assert client.get(f"/desk/core/user/{target.pk}/password/").status_code == 200
    since = _mark()
    response = client.post(f"/desk/core/user/{target.pk}/password/", {
        "password1": "Reset#pass2026", "password2": "Reset#pass2026", "usable_password": "true",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    target.refresh_from_db()
    assert target.password_change_required is True
    assert target.check_password("Reset#pass2026")
    row = _rows("password_change", since).get(target_id=str(target.pk))
    assert row.detail == {"reset_by_admin": True}
    assert row.actor.username == "u_admin"

    # That user signs in with the reset password and is sent to change it.
    user_client = Client()
    assert _login(user_client, "clerk1", "Reset#pass2026").status_code == 302
    response = user_client.get("/desk/")
    assert response.status_code == 302
    assert response["Location"] == "/desk/password_change/"
    assert user_client.get("/desk/core/enterprise/").status_code == 302
    api = user_client.get("/api/v1/lookups/positions/")
    assert api.status_code == 403
    assert "修改初始密码" in api.json()["detail"]

    # Changing it themselves clears the flag and opens the desk.
    response = user_client.post("/desk/password_change/", {
        "old_password": "Reset#pass2026", "new_password1": "Mine#pass2026", "new_password2": "Mine#pass2026",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    target.refresh_from_db()
    assert target.password_change_required is False
    assert user_client.get("/desk/").status_code == 200
    own = _rows("password_change", since).filter(target_id=str(target.pk)).last()
    assert own.detail == {"reset_by_admin": False}
    assert own.actor == target


# --- the log itself ---------------------------------------------------------------------------
def test_audit_log_page_is_admin_only(client_as):
    """R-SYS-01: the audit log is for the admin; a clerk gets 403."""
    assert client_as("admin").get("/desk/core/auditlog/").status_code == 200
    assert client_as("clerk").get("/desk/core/auditlog/").status_code == 403
    assert client_as("leader").get("/desk/core/auditlog/").status_code == 403


def test_audit_log_has_no_add_change_delete(client_as, make_user):
    """R-SYS-01: the desk offers no way to add, change or delete audit rows."""
    since = _mark()
    make_user("someone")  # writes a user_create row
    row = _rows("user_create", since).get()
    client = client_as("admin")
    assert client.get("/desk/core/auditlog/add/").status_code == 403
    # The detail page is read-only ...
    response = client.get(f"/desk/core/auditlog/{row.pk}/change/")
    assert response.status_code == 200
    assert 'name="action"' not in response.content.decode()
    # ... and a forged change is refused.
    response = client.post(f"/desk/core/auditlog/{row.pk}/change/", {"action": "logout", "actor_username": "x"})
    assert response.status_code == 403
    assert client.post(f"/desk/core/auditlog/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post("/desk/core/auditlog/", {
        "action": "delete_selected", "_selected_action": [str(row.pk)], "post": "yes",
    })
    assert AuditLog.objects.filter(pk=row.pk).exists()
    row.refresh_from_db()
    assert row.action == "user_create"
    assert row.actor_username == ""


def test_audit_log_model_refuses_edit_and_delete(make_user):
    """R-SYS-01: AuditLog.save on an existing row and .delete raise PermissionDenied."""
    since = _mark()
    make_user("someone")
    row = _rows("user_create", since).get()
    row.action = "logout"
    with pytest.raises(PermissionDenied):
        row.save()
    with pytest.raises(PermissionDenied):
        row.delete()
    fresh = AuditLog.objects.get(pk=row.pk)
    assert fresh.action == "user_create"


def test_audit_log_list_filters_by_action(client_as, make_user):
    """R-SYS-01: the audit list filters by action."""
    make_user("created_one")
    _login(Client(), "created_one", "bad-password-1")
    client = client_as("admin")
    response = client.get("/desk/core/auditlog/?action=login_failed")
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert shown
    assert {row.action for row in shown} == {"login_failed"}
    assert "created_one" in {row.actor_username for row in shown}
    assert "created_one" in response.content.decode()
    response = client.get("/desk/core/auditlog/?action=user_create")
    shown = list(response.context["cl"].result_list)
    assert {row.action for row in shown} == {"user_create"}
    assert AuditLog.objects.exclude(action="user_create").exists()
