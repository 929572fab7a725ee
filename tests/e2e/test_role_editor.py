"""Issue 11 item 9 in a real browser: the role editor in Chinese — permissions
grouped by subsystem and task with checkboxes, no English picker, no
internals; a change is saved (internal permissions kept) and shows in the
role list and in 角色权限一览. The user form's role and grid pickers speak
Chinese too."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from tests.e2e import test_accessibility
from tests.e2e.test_desk_login import PASSWORD, assert_no_horizontal_overflow, login, real_problems
from zhonglou_hrss.core.fixtures_sync import role_group
from zhonglou_hrss.core import registry
from zhonglou_hrss.core.models import AuditLog

pytestmark = pytest.mark.e2e
axe = test_accessibility.axe  # the fixture: axe-core on a page (issue 11 item 12)

ENGLISH_PICKER = re.compile(r"Choose|Remove all|click to clear|selecting them")


def names(group) -> set[str]:
    return {f"{a}.{c}" for a, c in group.permissions.values_list("content_type__app_label", "codename")}


def test_admin_edits_a_role_with_grouped_chinese_checkboxes(
    live_server, base_data, make_user, desk_page, screenshot, page_problems
):
    """issue 11 item 9: the editor, saving (internal permissions kept), the list and the matrix."""
    make_user("admin_e2e", roles=["admin"], name="系统管理员", password=PASSWORD)
    role = role_group("portal_staff")
    session = Permission.objects.get(content_type__app_label="sessions", codename="view_session")
    role.permissions.add(session)  # an internal permission the editor does not show
    before = names(role)
    page = desk_page
    page.goto("/desk/")
    login(page, "admin_e2e")

    page.goto(f"/desk/core/role/{role.pk}/change/")
    editor = page.locator(".zl-perms")
    expect(editor).to_be_visible()
    body = page.locator("#content").inner_text()
    assert not ENGLISH_PICKER.search(body), ENGLISH_PICKER.search(body)
    assert "会话" not in body and "内容类型" not in body and "auth token" not in body
    expect(editor.locator("legend")).to_have_text([group.title for group, _ in registry.permission_layout()])
    grids = editor.locator('[data-task="网格与区界地图"]')
    expect(grids).to_contain_text("查看网格")
    expect(page.get_by_text("此角色另有 1 项系统内部权限")).to_be_visible()
    lookups = editor.locator('input[data-perm="core.view_lookupentry"]')
    expect(lookups).to_be_checked()
    assert_no_horizontal_overflow(page)
    screenshot(page, "role_editor", full_page=True)

    # Tick 查看网格 by its Chinese label, untick 查看字典项, save.
    grids.get_by_label("查看网格").check()
    lookups.uncheck()
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r"/desk/core/role/$"))
    assert names(role) == (before - {"core.view_lookupentry"}) | {"core.view_grid"}
    assert "sessions.view_session" in names(role)
    changes = AuditLog.objects.filter(action=AuditLog.Action.PERMISSION_CHANGE, target_id=str(role.pk))
    assert {(a["op"], tuple(a["items"])) for a in changes.values_list("detail", flat=True)} >= {
        ("add", ("core.view_grid",)), ("remove", ("core.view_lookupentry",))}

    # The list: what each role holds per group, internal ones apart.
    row = page.locator("#result_list tr", has_text="就业后台")
    expect(row).to_contain_text(re.compile(r"工作台与系统设置 \d+/"))
    # 就业后台 holds every permission of its own group, however many the portal registers.
    services = next(tasks for group, tasks in registry.permission_layout() if group.title == "就业服务")
    held = len({p for task in services for p in task.permissions})
    expect(row).to_contain_text(f"就业服务 {held}/{held}")
    expect(row).to_contain_text("企业 1/4")
    expect(row).to_contain_text("另有内部权限 1 项")
    screenshot(page, "role_list")

    page.get_by_role("link", name="角色权限一览").click()
    expect(page.get_by_role("heading", name="角色权限一览", level=2)).to_be_visible()
    headers = page.locator(".zl-matrix thead th").all_inner_texts()
    column = headers.index("就业后台")
    grid_row = page.locator('.zl-matrix tr[data-perm="core.view_grid"]')
    cells = grid_row.locator("td")
    # td 0 is the permission's name; the roles follow (the task's th spans rows).
    expect(cells.nth(column - 1)).to_contain_text("✓")
    expect(cells.nth(0)).to_have_text("查看网格")
    expect(page.locator(".zl-matrix")).not_to_contain_text("会话")
    screenshot(page, "role_overview", full_page=True)
    assert real_problems(page_problems, page) == []


def test_user_form_pickers_speak_chinese(live_server, base_data, make_user, desk_page, screenshot):
    """issue 11 item 9: the two-box pickers left on the user form (roles, grids) have no English."""
    admin = make_user("admin_e2e", roles=["admin"], name="系统管理员", password=PASSWORD)
    page = desk_page
    page.goto("/desk/")
    login(page, "admin_e2e")
    page.goto(f"/desk/core/user/{admin.pk}/change/")
    page.wait_for_selector(".selector-chooseall")
    text = page.locator("#content").inner_text()
    assert not ENGLISH_PICKER.search(text), ENGLISH_PICKER.search(text)
    expect(page.locator(".selector-chooseall").first).to_have_text("全选角色")
    expect(page.get_by_text("可用 角色")).to_be_visible()
    screenshot(page, "user_form_pickers", full_page=True)


def test_role_and_lookup_pages_pass_axe(live_server, base_data, make_user, axe):
    """issue 11 items 9, 10 / item 12's rules: the role list, the editor, 角色权限一览 and a clerk's
    字典 have one h1, labelled checkboxes, readable contrast and sound landmarks."""
    make_user("admin_e2e", roles=["admin"], password=PASSWORD)
    make_user("clerk_e2e", roles=["district_clerk"], password=PASSWORD)
    role = role_group("district_clerk")
    page = axe.page("desk")
    test_accessibility.login(page, "admin_e2e")
    for name, url in (("desk_roles", "/desk/core/role/"), ("desk_role_editor", f"/desk/core/role/{role.pk}/change/"),
                      ("desk_role_overview", "/desk/core/role/overview/")):
        page.goto(url)
        axe.check(page, name)
    clerk = axe.page("desk")
    test_accessibility.login(clerk, "clerk_e2e")
    clerk.goto("/desk/core/lookupentry/")
    axe.check(clerk, "desk_lookups_clerk")
    axe.assert_clean()
