"""R-SYS-01 / R-SYS-03 in a real browser: signing in to the desk, in Chinese,
and each role seeing only its own sidebar entries."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "E2e#pass2026"
TITLE = "钟楼区人社局业务管理系统"
SETTINGS_LINKS = {
    "用户": "/desk/core/user/",
    "角色": "/desk/core/role/",
    "网格": "/desk/core/grid/",
    "字典": "/desk/core/lookupentry/",
    "审计日志": "/desk/core/auditlog/",
}
# Chromium asks for /favicon.ico on its own; the desk declares no icon yet.
IGNORED_PROBLEMS = re.compile(r"favicon\.ico|Failed to load resource: the server responded with a status of 404")


def real_problems(page_problems, page) -> list[str]:
    problems = page_problems(page)
    favicon_only = all(IGNORED_PROBLEMS.search(p) for p in problems)
    return [] if favicon_only else problems


def login(page, username: str, password: str = PASSWORD):
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def sidebar(page):
    return page.locator("#nav-sidebar")


def platform_fonts(page, selector: str) -> list[str]:
    """The fonts Chromium actually used to draw the element's text (DevTools
    protocol): a CJK family there means the Chinese glyphs exist, no tofu."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})
        node = cdp.send("DOM.querySelector", {"nodeId": root["root"]["nodeId"], "selector": selector})
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
        return [f["familyName"] for f in fonts]
    finally:
        cdp.detach()


def assert_chinese_renders(page, selector: str):
    fonts = platform_fonts(page, selector)
    assert any("CJK" in f or "Hei" in f or "Song" in f for f in fonts), (
        f"{selector} 的中文没有用中文字体绘制（可能显示为方框）：{fonts}；请安装 fonts-noto-cjk"
    )


def assert_no_horizontal_overflow(page):
    scroll_width, view_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= view_width, f"页面横向溢出：内容宽 {scroll_width}px，窗口宽 {view_width}px"


def test_admin_signs_in_and_sees_system_settings(
    live_server, base_data, make_user, desk_page, screenshot, page_problems
):
    make_user("admin_e2e", roles=["admin"], name="系统管理员", mobile="13800000001", password=PASSWORD)
    page = desk_page

    page.goto("/desk/")
    assert "/desk/login/" in page.url, "未登录打开工作台应转到登录页"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert TITLE in page.title()
    expect(page.get_by_text(TITLE).first).to_be_visible()
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    assert_chinese_renders(page, "button[type=submit]")
    assert_chinese_renders(page, "label[for=id_username]")
    assert_no_horizontal_overflow(page)
    screenshot(page, "login")

    login(page, "admin_e2e")

    expect(page).to_have_url(f"{live_server.url}/desk/")
    expect(page).to_have_title(re.compile(r"^工作台"))
    expect(page.get_by_role("heading", name="系统管理员，您好")).to_be_visible()
    nav = sidebar(page)
    expect(nav.get_by_text("工作台首页")).to_be_visible()
    settings_group = nav.get_by_role("heading", name="系统设置")
    expect(settings_group).to_be_visible()
    # The group is collapsible and starts closed; Alpine.js opens it once started.
    page.wait_for_function("() => window.Alpine !== undefined")
    settings_group.click()
    for label, href in SETTINGS_LINKS.items():
        link = nav.locator(f'a[href="{href}"]')
        expect(link, f"侧栏“系统设置”下应有“{label}”").to_be_visible()
        expect(link).to_contain_text(label)
    assert_chinese_renders(page, "#nav-sidebar h2")
    assert_no_horizontal_overflow(page)
    screenshot(page, "desk_home")
    assert real_problems(page_problems, page) == []


def test_grid_worker_does_not_see_system_settings(
    live_server, base_data, make_user, desk_page, screenshot, page_problems
):
    make_user("grid_e2e", roles=["grid_worker"], grids=["320404001"], name="五星网格员", password=PASSWORD)
    page = desk_page
    page.goto("/desk/")
    login(page, "grid_e2e")

    expect(page).to_have_url(f"{live_server.url}/desk/")
    nav = sidebar(page)
    expect(nav.get_by_text("工作台首页")).to_be_visible()
    expect(nav.locator('a[href="/desk/core/enterprise/"]')).to_be_visible()
    expect(nav.get_by_text("系统设置")).not_to_be_visible()
    for href in SETTINGS_LINKS.values():
        assert page.locator(f'a[href="{href}"]').count() == 0
    screenshot(page, "desk_home_grid_worker")
    assert real_problems(page_problems, page) == []


def test_grid_worker_sees_no_system_settings_anywhere(live_server, base_data, make_user, desk_page):
    make_user("grid_e2e", roles=["grid_worker"], grids=["320404001"], password=PASSWORD)
    page = desk_page
    page.goto("/desk/")
    login(page, "grid_e2e")
    assert page.get_by_text("系统设置").filter(visible=True).count() == 0


def test_grid_worker_desk_fits_a_phone(live_server, base_data, make_user, phone_page, screenshot):
    make_user("grid_e2e", roles=["grid_worker"], grids=["320404001"], name="五星网格员", password=PASSWORD)
    page = phone_page
    page.goto("/desk/")
    assert_no_horizontal_overflow(page)
    screenshot(page, "login_phone")
    login(page, "grid_e2e")
    expect(page).to_have_title(re.compile(r"^工作台"))
    assert_no_horizontal_overflow(page)
    screenshot(page, "desk_home_phone", full_page=True)


def test_wrong_password_shows_chinese_error(live_server, base_data, make_user, desk_page, screenshot):
    make_user("admin_e2e", roles=["admin"], password=PASSWORD)
    page = desk_page
    page.goto("/desk/")
    login(page, "admin_e2e", "wrong-password-1")

    assert "/desk/login/" in page.url
    error = page.get_by_text("用户名或密码不正确")
    expect(error).to_be_visible()
    expect(error).to_contain_text("连续输错5次账号将被锁定")
    expect(page.get_by_label("用户名"), "登录失败后应保留已输入的用户名").to_have_value("admin_e2e")
    assert_no_horizontal_overflow(page)
    screenshot(page, "login_wrong_password")


def test_login_page_has_no_english_phrases(live_server, desk_page):
    page = desk_page
    page.goto("/desk/login/")
    text = page.locator("body").inner_text()
    english = re.findall(r"[A-Za-z]{2,}(?: [A-Za-z]{2,})+", text)
    assert not english, f"登录页应全部为中文，仍有英文：{english}"


# --- known defects, seen in the screenshots (build/screenshots/login.png) ---------------
# strict: when the defect is fixed the test passes, the run reports XPASS(strict)
# as a failure, and the marker is to be removed.

def test_login_inputs_are_visible_boxes(live_server, desk_page):
    page = desk_page
    page.goto("/desk/login/")
    for selector in ("#id_username", "#id_password"):
        style = page.eval_on_selector(
            selector, "el => { const s = getComputedStyle(el); return [s.borderTopStyle, s.borderTopWidth]; }"
        )
        assert style[0] != "none" and style[1] != "0px", f"{selector} 没有可见边框：{style}"
