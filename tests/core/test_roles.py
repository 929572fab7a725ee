"""Roles, users, grids and lookups — the system settings.

R-SYS-01 roles are data mapped to permissions, editable in the desk;
R-SYS-02 grids (街道 / 镇 / 区本级), inactive ones not offered;
R-SYS-03 users created and edited by the admin (roles, grids), never deleted;
R-SYS-05 lookup lists seeded from fixtures, served to pages and the API,
protected from deletion once used."""

import csv
import tomllib

import pytest
from django.contrib.auth.models import Permission
from django.db.models import ProtectedError
from django.test import Client

from tests.conftest import PASSWORD
from zhonglou_hrss.core.fixtures_sync import BASE_DIR, LOOKUP_FILES, role_group
from zhonglou_hrss.core.models import Enterprise, Grid, LookupEntry, LookupKind, User

pytestmark = pytest.mark.django_db


def _toml_roles() -> list[dict]:
    with (BASE_DIR / "roles.toml").open("rb") as fh:
        return tomllib.load(fh)["role"]


def _perm_names(group) -> set[str]:
    return {f"{a}.{c}" for a, c in group.permissions.values_list("content_type__app_label", "codename")}


def _csv_rows(filename) -> list[dict]:
    with (BASE_DIR / "lookups" / filename).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- R-SYS-01 roles -------------------------------------------------------------------------
def test_every_fixture_role_exists_with_exactly_its_permissions():
    """R-SYS-01: after sync each role in roles.toml exists with exactly its permissions."""
    specs = _toml_roles()
    codes = [s["code"] for s in specs]
    for expected in ("admin", "district_clerk", "leader", "inspector", "grid_worker",
                     "portal_staff", "credit_staff", "enterprise_user", "hr_company_user"):
        assert expected in codes
    for spec in specs:
        group = role_group(spec["code"])
        assert group.name == spec["name"]
        assert _perm_names(group) == set(spec["permissions"]), spec["code"]


def test_role_names_are_chinese():
    """R-SYS-01 / house rule 5: what staff see is Chinese."""
    names = {role_group(s["code"]).name for s in _toml_roles()}
    assert {"系统管理员", "区后勤人员", "领导", "监察员", "网格员", "就业后台", "信用评价管理员",
            "企业用户", "人力资源企业用户"} <= names


def test_grid_worker_role_has_work_in_grid(role_user):
    """R-SYS-01: the grid worker role carries core.work_in_grid; other staff do not."""
    assert "core.work_in_grid" in _perm_names(role_group("grid_worker"))
    assert role_user("grid_worker").has_perm("core.work_in_grid")
    assert not role_user("leader").has_perm("core.work_in_grid")


def test_enterprise_user_has_no_desk_access(make_user):
    """R-SYS-01: an enterprise account cannot enter the desk, even with the right password."""
    user = make_user("ent1", roles=["enterprise_user"])
    assert not user.has_perm("core.access_desk")
    client = Client()
    response = client.post("/desk/login/", {"username": "ent1", "password": PASSWORD, "next": "/desk/"})
    assert response.status_code == 200
    assert "该账号没有进入工作台的权限" in response.content.decode()
    assert client.get("/desk/").status_code == 302
    hr = make_user("hr1", roles=["hr_company_user"])
    assert not hr.has_perm("core.access_desk")


def test_admin_changes_role_permissions_in_desk_and_it_takes_effect(client_as, make_user):
    """R-SYS-01: the admin gives a role a permission in the desk; its users get it at once."""
    staff = make_user("portal1", roles=["portal_staff"])
    staff_client = Client()
    staff_client.force_login(staff, backend="zhonglou_hrss.core.auth.CachedModelBackend")
    assert staff_client.get("/desk/core/grid/").status_code == 403

    group = role_group("portal_staff")
    admin = client_as("admin")
    page = admin.get(f"/desk/core/role/{group.pk}/change/")
    assert page.status_code == 200
    assert "权限" in page.content.decode()
    view_grid = Permission.objects.get(content_type__app_label="core", codename="view_grid")
    current = [str(pk) for pk in group.permissions.values_list("pk", flat=True)]
    response = admin.post(f"/desk/core/role/{group.pk}/change/",
                          {"name": group.name, "permissions": current + [str(view_grid.pk)], "_save": "保存"})
    assert response.status_code == 302
    assert "core.view_grid" in _perm_names(group)
    assert staff_client.get("/desk/core/grid/").status_code == 200

    # And taking it away again.
    response = admin.post(f"/desk/core/role/{group.pk}/change/",
                          {"name": group.name, "permissions": current, "_save": "保存"})
    assert response.status_code == 302
    assert staff_client.get("/desk/core/grid/").status_code == 403


def test_role_pages_admin_only(client_as):
    """R-SYS-01: roles are the admin's to edit."""
    admin = client_as("admin")
    assert admin.get("/desk/core/role/").status_code == 200
    assert client_as("leader").get("/desk/core/role/").status_code == 403
    html = admin.get("/desk/core/role/").content.decode()
    for spec in _toml_roles():
        assert spec["name"] in html


# --- R-SYS-03 users -------------------------------------------------------------------------
def _user_form(user, **overrides):
    data = {
        "username": user.username, "name": user.name, "mobile": user.mobile, "email": user.email,
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "grids": [str(pk) for pk in user.grids.values_list("pk", flat=True)],
        "is_active": "on" if user.is_active else "", "_save": "保存",
    }
    if user.password_change_required:
        data["password_change_required"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v not in ("", None)}


def test_admin_creates_and_edits_a_user_in_desk(client_as):
    """R-SYS-03: the admin creates a user, edits the name, binds roles and grids."""
    admin = client_as("admin")
    assert admin.get("/desk/core/user/add/").status_code == 200
    response = admin.post("/desk/core/user/add/", {
        "username": "gw_new", "name": "新人", "mobile": "+86 139 0013 9000",
        "password1": "Strong#pass2026", "password2": "Strong#pass2026", "_save": "保存",
    })
    assert response.status_code == 302
    user = User.objects.get(username="gw_new")
    assert user.mobile == "13900139000"
    assert user.check_password("Strong#pass2026")
    assert user.password_change_required is True
    assert response["Location"] == f"/desk/core/user/{user.pk}/change/"

    grids = Grid.objects.filter(code__in=["320404001", "320404116"])
    response = admin.post(f"/desk/core/user/{user.pk}/change/", _user_form(
        user, name="新人（改）",
        groups=[str(role_group("grid_worker").pk), str(role_group("leader").pk)],
        grids=[str(g.pk) for g in grids],
    ))
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.name == "新人(改)"  # a typed name is NFKC-normalised: full-width brackets as plain ones
    assert set(user.groups.values_list("name", flat=True)) == {"网格员", "领导"}
    assert set(user.grids.values_list("code", flat=True)) == {"320404001", "320404116"}
    assert user.has_perm("core.work_in_grid")
    # The list shows roles and grids.
    html = admin.get("/desk/core/user/?q=gw_new").content.decode()
    assert "邹区镇" in html and "五星街道" in html


def test_add_form_rejects_bad_mobile_in_chinese(client_as):
    """R-SYS-03: a wrong mobile is refused with a Chinese message; nothing saved."""
    response = client_as("admin").post("/desk/core/user/add/", {
        "username": "bad_mobile", "name": "某", "mobile": "12345",
        "password1": "Strong#pass2026", "password2": "Strong#pass2026", "_save": "保存",
    })
    assert response.status_code == 200
    assert "手机号格式不正确" in response.content.decode()
    assert not User.objects.filter(username="bad_mobile").exists()


def test_cannot_bind_inactive_grid(client_as, make_user):
    """R-SYS-03 / R-SYS-02: binding an inactive grid is refused with a Chinese error."""
    user = make_user("gw1", roles=["grid_worker"], grids=["320404001"])
    kfq = Grid.objects.get(code="kfq")
    admin = client_as("admin")
    response = admin.post(f"/desk/core/user/{user.pk}/change/", _user_form(
        user, grids=[str(Grid.objects.get(code="320404001").pk), str(kfq.pk)],
    ))
    assert response.status_code == 200
    assert "不能绑定已停用的网格：钟楼经济开发区" in response.content.decode()
    assert set(user.grids.values_list("code", flat=True)) == {"320404001"}


def test_grid_deactivated_later_may_stay_bound(client_as, make_user):
    """R-SYS-02 / R-SYS-03: a grid already bound and later deactivated does not block
    saving the user (old bindings stay)."""
    user = make_user("gw1", roles=["grid_worker"], grids=["320404002"])
    Grid.objects.filter(code="320404002").update(active=False)
    response = client_as("admin").post(f"/desk/core/user/{user.pk}/change/", _user_form(user, name="改名"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.name == "改名"
    assert set(user.grids.values_list("code", flat=True)) == {"320404002"}


def test_users_are_never_deleted(client_as, make_user):
    """R-SYS-03: there is no delete; accounts are deactivated."""
    user = make_user("keep_me", roles=["leader"])
    admin = client_as("admin")
    assert admin.get(f"/desk/core/user/{user.pk}/delete/").status_code == 403
    assert admin.post(f"/desk/core/user/{user.pk}/delete/", {"post": "yes"}).status_code == 403
    admin.post("/desk/core/user/", {"action": "delete_selected", "_selected_action": [str(user.pk)], "post": "yes"})
    assert User.objects.filter(pk=user.pk).exists()
    html = admin.get("/desk/core/user/").content.decode()
    assert 'value="delete_selected"' not in html
    change = admin.get(f"/desk/core/user/{user.pk}/change/").content.decode()
    assert f"/desk/core/user/{user.pk}/delete/" not in change
    # Deactivating is the way.
    response = admin.post(f"/desk/core/user/{user.pk}/change/", _user_form(user, is_active=""))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active is False


def test_user_pages_forbidden_to_non_admins(client_as):
    """R-SYS-03: only the admin manages users."""
    for role in ("clerk", "leader", "inspector", "grid_worker", "portal_staff", "credit_staff"):
        assert client_as(role).get("/desk/core/user/").status_code == 403, role


# --- R-SYS-02 grids -----------------------------------------------------------------------
def test_grids_seeded():
    """R-SYS-02: 区本级 + 7 街道 + 1 镇 active; 钟楼经济开发区 (kfq) inactive."""
    active = Grid.objects.filter(active=True)
    assert active.filter(kind=Grid.Kind.DISTRICT).count() == 1
    assert active.get(kind=Grid.Kind.DISTRICT).name == "区本级"
    assert set(active.filter(kind=Grid.Kind.STREET).values_list("name", flat=True)) == {
        "五星街道", "永红街道", "北港街道", "西林街道", "南大街街道", "荷花池街道", "新闸街道",
    }
    assert list(active.filter(kind=Grid.Kind.TOWN).values_list("code", "name")) == [("320404116", "邹区镇")]
    assert active.count() == 9
    zone = Grid.objects.get(code="kfq")
    assert zone.active is False
    assert zone.name == "钟楼经济开发区"
    assert zone.kind == Grid.Kind.ZONE
    assert str(zone) == "钟楼经济开发区（已停用）"


def test_grid_api_offers_active_grids_only(client_as):
    """R-SYS-02: an inactive grid is not offered; street_grids never offers 区本级."""
    data = Client().get("/api/v1/lookups/grids/").json()
    codes = [g["code"] for g in data]
    assert "kfq" not in codes
    assert len(codes) == 9
    assert {"code": "320404", "label": "区本级"} in data
    street = [g["code"] for g in Client().get("/api/v1/lookups/street_grids/").json()]
    assert "320404" not in street and "kfq" not in street
    assert len(street) == 8

    Grid.objects.filter(code="320404005").update(active=False)
    codes = [g["code"] for g in Client().get("/api/v1/lookups/grids/").json()]
    assert "320404005" not in codes


def test_grids_cannot_be_deleted(client_as):
    """R-SYS-02: grids stay on old records; deactivate instead."""
    grid = Grid.objects.get(code="320404001")
    assert client_as("admin").post(f"/desk/core/grid/{grid.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Grid.objects.filter(pk=grid.pk).exists()


# --- R-SYS-05 lookups ------------------------------------------------------------------------
@pytest.mark.parametrize("kind, filename", list(LOOKUP_FILES.items()))
def test_lookups_seeded_per_kind(kind, filename):
    """R-SYS-05: each lookup list holds exactly the rows of its fixture file."""
    rows = _csv_rows(filename)
    entries = LookupEntry.objects.of(kind)
    assert entries.count() == len(rows)
    assert set(entries.values_list("code", flat=True)) == {r["code"] for r in rows}
    by_code = dict(entries.values_list("code", "label"))
    for row in rows:
        assert by_code[row["code"]] == row["label"]


def test_case_reason_count_matches_csv():
    """R-SYS-05: 案由 seeded from case_reasons.csv."""
    rows = _csv_rows("case_reasons.csv")
    assert len(rows) >= 4
    assert LookupEntry.objects.of(LookupKind.CASE_REASON).count() == len(rows)
    assert LookupEntry.objects.get(kind=LookupKind.CASE_REASON, code="wage_arrears").label == "拖欠工资"


def test_sourced_optional_skill_levels_inactive():
    """R-SYS-05: skill levels marked sourced-optional are seeded inactive."""
    rows = _csv_rows("skill_levels.csv")
    optional = {r["code"] for r in rows if r["status"] == "sourced-optional"}
    assert optional == {"apprentice", "principal_technician", "chief_technician"}
    levels = LookupEntry.objects.of(LookupKind.SKILL_LEVEL)
    assert set(levels.filter(active=False).values_list("code", flat=True)) == optional
    assert levels.filter(active=True).count() == len(rows) - len(optional)


def test_public_lookup_without_login_active_only():
    """R-SYS-05: /api/v1/lookups/case_reasons/ works without login and returns
    [{code, label}] of active entries, in order."""
    LookupEntry.objects.filter(kind=LookupKind.CASE_REASON, code="social_insurance").update(active=False)
    response = Client().get("/api/v1/lookups/case_reasons/")
    assert response.status_code == 200
    data = response.json()
    rows = [r for r in _csv_rows("case_reasons.csv") if r["code"] != "social_insurance"]
    assert data == [{"code": r["code"], "label": r["label"]} for r in rows]


def test_skill_level_api_omits_inactive(client_as):
    """R-SYS-05: the API offers only active skill levels."""
    data = client_as("portal_staff").get("/api/v1/lookups/skill_levels/").json()
    codes = {d["code"] for d in data}
    assert "apprentice" not in codes
    assert "junior" in codes


def test_private_lookup_needs_login(client_as):
    """R-SYS-05: /api/v1/lookups/positions/ needs a signed-in user."""
    assert Client().get("/api/v1/lookups/positions/").status_code in (401, 403)
    response = client_as("portal_staff").get("/api/v1/lookups/positions/")
    assert response.status_code == 200
    assert len(response.json()) == len(_csv_rows("positions.csv"))


def test_unknown_lookup_kind_404(client_as):
    """R-SYS-05: an unknown list answers 404."""
    assert client_as("portal_staff").get("/api/v1/lookups/no_such_list/").status_code == 404


def test_token_auth_reads_private_lookup(make_user):
    """R-SYS-05: the mini program signs in with a token and reads a private list."""
    make_user("ent_api", roles=["enterprise_user"])
    client = Client()
    token = client.post("/api/v1/auth/token/", {"username": "ent_api", "password": PASSWORD}).json()["token"]
    response = client.get("/api/v1/lookups/education_levels/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert {"code": "bachelor", "label": "本科"} in response.json()
    bad = client.post("/api/v1/auth/token/", {"username": "ent_api", "password": "nope"})
    assert bad.status_code == 400
    assert "用户名或密码不正确" in bad.content.decode()
    assert "token" not in bad.json()


def test_used_lookup_entry_cannot_be_deleted_but_can_be_deactivated(client_as):
    """R-SYS-05: an industry used by an enterprise cannot be deleted (model and desk)
    but can be deactivated; then it is no longer offered."""
    industry = LookupEntry.objects.get(kind=LookupKind.INDUSTRY, code="C")
    Enterprise.objects.create(uscc="914403001922038216", name="用它的企业", industry=industry)
    with pytest.raises(ProtectedError):
        industry.delete()

    admin = client_as("admin")
    response = admin.post(f"/desk/core/lookupentry/{industry.pk}/delete/", {"post": "yes"})
    assert response.status_code in (200, 403)
    assert LookupEntry.objects.filter(pk=industry.pk).exists()

    response = admin.post(f"/desk/core/lookupentry/{industry.pk}/change/", {
        "label": industry.label, "order": str(industry.order), "_save": "保存",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    industry.refresh_from_db()
    assert industry.active is False
    assert industry.code == "C"
    assert Enterprise.objects.get(uscc="914403001922038216").industry == industry
    codes = [d["code"] for d in Client().get("/api/v1/lookups/industries/").json()]
    assert "C" not in codes


def test_unused_lookup_entry_can_be_deleted_in_desk(client_as):
    """R-SYS-05: an entry nobody uses can be deleted by the admin."""
    entry = LookupEntry.objects.create(kind=LookupKind.POSITION, code="tmp_pos", label="临时岗位")
    response = client_as("admin").post(f"/desk/core/lookupentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not LookupEntry.objects.filter(pk=entry.pk).exists()


def test_lookup_code_fixed_once_created(client_as):
    """R-SYS-05: kind and code are what records refer to: a forged change is ignored."""
    entry = LookupEntry.objects.get(kind=LookupKind.CASE_REASON, code="wage_arrears")
    response = client_as("admin").post(f"/desk/core/lookupentry/{entry.pk}/change/", {
        "kind": "position", "code": "hacked", "label": "拖欠劳动报酬", "active": "on",
        "order": str(entry.order), "_save": "保存",
    })
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.kind, entry.code, entry.label) == ("case_reason", "wage_arrears", "拖欠劳动报酬")


def test_lookup_codes_shown_only_to_who_maintains_the_lists(client_as):
    """issue 11 item 10: clerks and other staff read a lookup's Chinese name, never its code
    (wage_arrears); the code only to who may change the lists, in the lookup pages."""
    entry = LookupEntry.objects.get(kind=LookupKind.CASE_REASON, code="wage_arrears")
    for role in ("clerk", "portal_staff"):
        client = client_as(role)
        page = client.get("/desk/core/lookupentry/?kind__exact=case_reason").content.decode()
        assert "拖欠工资" in page and "wage_arrears" not in page and "编码" not in page, role
        detail = client.get(f"/desk/core/lookupentry/{entry.pk}/change/").content.decode()
        assert "拖欠工资" in detail and "wage_arrears" not in detail and "编码" not in detail, role
        # Searching finds by name only.
        found = client.get("/desk/core/lookupentry/?q=wage_arrears").content.decode()
        assert "拖欠工资" not in found, role
        assert "拖欠工资" in client.get("/desk/core/lookupentry/?q=拖欠").content.decode(), role
    admin = client_as("admin")
    page = admin.get("/desk/core/lookupentry/?kind__exact=case_reason").content.decode()
    assert "wage_arrears" in page and "编码" in page
    assert "wage_arrears" in admin.get(f"/desk/core/lookupentry/{entry.pk}/change/").content.decode()
    assert "拖欠工资" in admin.get("/desk/core/lookupentry/?q=wage_arrears").content.decode()
