"""The role editor (R-SYS-01; issue 11 item 9): permissions grouped by
subsystem and task, in Chinese, with checkboxes; internal permissions neither
offered nor dropped; what each role holds at a glance (list and 角色权限一览)."""

from __future__ import annotations

import tomllib

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from zhonglou_hrss.core import permission_groups, registry
from zhonglou_hrss.core.fixtures_sync import BASE_DIR, role_group
from zhonglou_hrss.core.models import AuditLog, Enterprise

pytestmark = pytest.mark.django_db

# Django's two-box picker (filter_horizontal), which the editor no longer uses.
PICKER_TEXT = ("Choose all", "Remove all", "click to clear", "by selecting them", "selector-available")


def perm(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def names(group) -> set[str]:
    return {f"{a}.{c}" for a, c in group.permissions.values_list("content_type__app_label", "codename")}


def registered() -> list[str]:
    return [n for _, tasks in registry.permission_layout() for t in tasks for n in t.permissions]


def edit_form(role, perms) -> dict:
    return {"name": role.name, "permissions": [str(perm(n).pk) for n in perms], "_save": "保存"}


# --- the groups -----------------------------------------------------------------------------
def test_groups_by_subsystem_in_order():
    """issue 11 item 9: core's 工作台与系统设置 first, then the apps' (快办事件), the shared 企业库."""
    titles = [g.title for g, _ in registry.permission_layout()]
    assert titles == ["工作台与系统设置", "快办事件", "就业服务", "信用评价", "问卷评价", "企业"]
    tasks = {g.title: [t.title for t in ts] for g, ts in registry.permission_layout()}
    assert tasks["快办事件"] == ["查看事件", "统计分析", "办理事件", "导出与二维码", "信访"]
    assert tasks["工作台与系统设置"][:3] == ["工作台", "用户", "角色"]


def test_every_registered_permission_exists_and_is_named_once():
    """issue 11 item 9: no typo in a group (it would silently vanish), no permission in two tasks."""
    names_ = registered()
    assert len(names_) == len(set(names_)), [n for n in names_ if names_.count(n) > 1]
    shown = {e.key for g in permission_groups.layout() for t in g.tasks for e in t.entries}
    assert shown == set(names_)


def test_every_fixture_role_permission_is_in_a_group():
    """issue 11 item 9: what roles.toml grants is all shown in the editor (none hidden)."""
    with (BASE_DIR / "roles.toml").open("rb") as fh:
        granted = {n for role in tomllib.load(fh)["role"] for n in role["permissions"]}
    assert granted <= set(registered()), granted - set(registered())


def test_internals_are_in_no_group():
    """issue 11 item 9: sessions, content types, the admin log, Django-RQ, knox and axes internals,
    Django's groups and permissions, history tables: never offered."""
    internal = {"sessions.view_session", "contenttypes.change_contenttype", "admin.view_logentry",
                "django_rq.admin", "auth.change_group", "auth.change_permission", "knox.view_authtoken",
                "axes.view_accesslog", "axes.view_accessfailurelog", "axes.view_accessattemptexpiration",
                "core.view_fixturerecord", "core.view_historicalenterprise", "kuaiban.view_casecount",
                "kuaiban.view_caseevent", "kuaiban.change_case", "core.delete_user"}
    assert not internal & set(registered())


def test_labels_are_chinese_whatever_django_stored():
    """issue 11 item 9: Django's model permissions read 新增/修改/删除/查看 + the model's
    verbose_name even while the stored name is still Django's "Can add …"; our own
    permissions read their Chinese names."""
    add = perm("core.add_enterprise")
    Permission.objects.filter(pk=add.pk).update(name="Can add 企业")
    add.refresh_from_db()
    assert permission_groups.label(add) == "新增企业"
    assert permission_groups.label(perm("core.view_role")) == "查看角色"
    assert permission_groups.label(perm("core.view_pii")) == "查看完整身份证号和手机号"
    assert permission_groups.label(perm("kuaiban.assign_case")) == "指派事件给监察员"
    labels = [e.label for g in permission_groups.layout() for t in g.tasks for e in t.entries]
    assert not [x for x in labels if not any("\u4e00" <= ch <= "\u9fff" for ch in x)]


def test_an_app_adds_its_group_and_tasks_and_registering_twice_replaces():
    """issue 11 item 9: the one place apps extend: a later app registers its group; the
    same task again replaces it; a task may join another app's group."""
    before = registry.permission_layout()
    try:
        registry.permission_group("示例子系统", order=15)
        registry.permission_task("示例子系统", "评分", permissions=["core.view_enterprise"])
        registry.permission_task("示例子系统", "评分", permissions=["core.view_grid"])
        registry.permission_task("工作台与系统设置", "附加", permissions=["core.view_auditlog"], order=999)
        layout = {g.title: ts for g, ts in registry.permission_layout()}
        assert [g.title for g, _ in registry.permission_layout()][:3] == ["工作台与系统设置", "快办事件", "示例子系统"]
        assert [t.permissions for t in layout["示例子系统"]] == [("core.view_grid",)]
        assert layout["工作台与系统设置"][-1].title == "附加"
        with pytest.raises(ValueError):
            registry.permission_task("示例子系统", "错", permissions=["view_grid"])
    finally:
        registry._registry.permission_groups.pop("示例子系统", None)
        registry._registry.permission_tasks[:] = [
            t for t in registry._registry.permission_tasks if t.group != "示例子系统" and t.title != "附加"]
    assert registry.permission_layout() == before


# --- the editor -----------------------------------------------------------------------------
def test_editor_offers_grouped_checkboxes_in_chinese(client_as):
    """issue 11 item 9: no English picker text, headings per subsystem and task, one checkbox
    per permission with its Chinese name, ticked for what the role holds; no internals."""
    role = role_group("district_clerk")
    html = client_as("admin").get(f"/desk/core/role/{role.pk}/change/").content.decode()
    for text in PICKER_TEXT:
        assert text not in html, text
    for text in ("工作台与系统设置", "快办事件", "办理事件", "信访", "内部登记快办事件", "查看用户", "新增字典项"):
        assert text in html, text
    for internal in ("会话", "内容类型", "日志记录", "auth token", "Access admin page", "登录尝试过期时间",
                     "事件统计计数", "基础数据同步记录"):
        assert internal not in html, internal
    triage = perm("kuaiban.triage_case")
    assert f'value="{triage.pk}" data-perm="kuaiban.triage_case"' in html
    assert html.count('type="checkbox" name="permissions"') == len(registered())
    checked = html.count(" checked>")
    assert checked == role.permissions.count()


def test_saving_keeps_internal_permissions_and_audits_only_the_change(client_as):
    """issue 11 item 9: a role holding internal permissions keeps them when saved from the
    editor (they are not shown, so not ticked); the audit log records only what changed."""
    role = role_group("portal_staff")
    hidden = [perm("sessions.view_session"), perm("auth.view_permission")]
    role.permissions.add(*hidden)
    before = names(role)
    admin = client_as("admin")
    page = admin.get(f"/desk/core/role/{role.pk}/change/").content.decode()
    assert "此角色另有 2 项系统内部权限" in page
    AuditLog.objects.all().delete()

    shown_now = sorted(before - {"sessions.view_session", "auth.view_permission"} - {"core.view_lookupentry"})
    response = admin.post(f"/desk/core/role/{role.pk}/change/", edit_form(role, shown_now + ["core.view_grid"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert names(role) == (before - {"core.view_lookupentry"}) | {"core.view_grid"}
    rows = list(AuditLog.objects.filter(action=AuditLog.Action.PERMISSION_CHANGE).order_by("pk"))
    assert sorted((r.detail["op"], tuple(r.detail["items"])) for r in rows) == [
        ("add", ("core.view_grid",)), ("remove", ("core.view_lookupentry",))]


def test_saving_unchanged_changes_nothing(client_as):
    """issue 11 item 9: saving without ticking anything else changes nothing and logs nothing."""
    role = role_group("leader")
    role.permissions.add(perm("sessions.view_session"))
    before = names(role)
    AuditLog.objects.all().delete()
    shown = sorted(before - {"sessions.view_session"})
    response = client_as("admin").post(f"/desk/core/role/{role.pk}/change/", edit_form(role, shown))
    assert response.status_code == 302
    assert names(role) == before
    assert not AuditLog.objects.filter(action=AuditLog.Action.PERMISSION_CHANGE).exists()


def test_an_internal_permission_cannot_be_slipped_in(client_as):
    """issue 11 item 9: the editor grants only what it offers; a forged internal one is refused
    in Chinese and nothing is saved."""
    role = role_group("leader")
    before = names(role)
    response = client_as("admin").post(f"/desk/core/role/{role.pk}/change/",
                                       edit_form(role, sorted(before) + ["auth.change_permission"]))
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert names(role) == before


def test_role_name_follows_the_typed_text_rule(client_as):
    """issue 11 item 9 / issue 10 item 7: the editor's name is checked like every typed name —
    an invisible character refused in Chinese, full-width spaces and letters made plain."""
    role = role_group("leader")
    before = names(role)
    admin = client_as("admin")
    refused = admin.post(f"/desk/core/role/{role.pk}/change/", {**edit_form(role, sorted(before)),
                                                                "name": "领\u202e导"})
    assert refused.status_code == 200
    assert "角色名称含有不可见字符或控制字符" in refused.content.decode()
    response = admin.post(f"/desk/core/role/{role.pk}/change/", {**edit_form(role, sorted(before)),
                                                                 "name": "  领导\u3000ＡＢ  "})
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.name == "领导 AB" and names(role) == before


def test_a_new_role_from_the_editor(client_as, make_user):
    """issue 11 item 9: a role made in the editor works at once for its users."""
    admin = client_as("admin")
    assert admin.get("/desk/core/role/add/").status_code == 200
    response = admin.post("/desk/core/role/add/", {
        "name": "企业库查询员", "permissions": [str(perm(n).pk) for n in ("core.access_desk", "core.view_enterprise")],
        "_save": "保存"})
    assert response.status_code == 302
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="企业库查询员")
    assert names(group) == {"core.access_desk", "core.view_enterprise"}
    user = make_user("ent_viewer")
    user.groups.add(group)
    Enterprise.objects.create(uscc="914403001922038216", name="某企业")
    from django.test import Client

    from tests.conftest import MODEL_BACKEND

    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    assert client.get("/desk/core/enterprise/").status_code == 200


# --- at a glance ----------------------------------------------------------------------------
def test_role_list_shows_what_each_role_holds_per_group(client_as):
    """issue 11 item 9: the list's 权限 column counts per group; internal ones are counted apart."""
    role_group("inspector").permissions.add(perm("sessions.view_session"))
    html = client_as("admin").get("/desk/core/role/").content.decode()
    total_kuaiban = sum(len(t.permissions) for g, ts in registry.permission_layout() if g.title == "快办事件"
                        for t in ts)
    assert f"快办事件 10/{total_kuaiban}" in html  # the district clerk
    assert "另有内部权限 1 项" in html
    assert "角色权限一览" in html


def test_overview_matrix_of_roles_and_permissions(client_as):
    """issue 11 item 9: 角色权限一览 — every role against every offered permission."""
    admin = client_as("admin")
    response = admin.get("/desk/core/role/overview/")
    assert response.status_code == 200
    html = response.content.decode()
    roles = response.context["roles"]
    assert [r["name"] for r in roles][:5] == ["系统管理员", "区后勤人员", "领导", "监察员", "网格员"]
    sections = {s["title"]: s["rows"] for s in response.context["sections"]}
    assign = next(r for r in sections["快办事件"] if r["key"] == "kuaiban.assign_case")
    assert assign["label"] == "指派事件给监察员"
    assert [roles[i]["name"] for i, held in enumerate(assign["cells"]) if held] == ["领导"]
    assert "会话" not in html and "Choose all" not in html


def test_overview_and_editor_only_for_who_may_see_roles(client_as):
    """issue 11 item 9 / R-SYS-01: roles are the admin's."""
    for role in ("clerk", "leader", "grid_worker"):
        client = client_as(role)
        assert client.get("/desk/core/role/overview/").status_code == 403, role


def test_permission_names_translated_by_sync_use_the_editor_verbs():
    """issue 11 item 9: one table of verbs for sync_fixtures and the editor."""
    from zhonglou_hrss.core.fixtures_sync import SyncReport, translate_permission_names

    ct = ContentType.objects.get(app_label="core", model="grid")
    Permission.objects.filter(content_type=ct, codename="delete_grid").update(name="Can delete 网格")
    translate_permission_names(SyncReport())
    assert perm("core.delete_grid").name == "删除网格"
