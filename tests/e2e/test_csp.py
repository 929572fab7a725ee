"""Issue 10 item 9 in a real browser: the Content-Security-Policy is in force
and the pages still work under it. Every main desk page (sign-in, home, case
list, case page, registration, map, analysis, boundary, QR posters, API docs)
and the public phone pages (report, done, progress) are opened; Chromium
reports no violation of the policy (neither on the console nor as a
``securitypolicyviolation`` event), and what the moved scripts do still
happens: Alpine opens the desk's dialogs, the year list submits itself, the
boundary reset asks first, companions are added, the 大字 switch works. An
inline script put into a page does not run.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.e2e.test_public_report import phone_photo
from tests.kuaiban.conftest import id_number_for, registration
from zhonglou_hrss.core.models import User
from zhonglou_hrss.kuaiban import rules as stats
from zhonglou_hrss.kuaiban.models import Case, CaseSource
from zhonglou_hrss.kuaiban.selectors import boundary as boundary_selectors
from zhonglou_hrss.kuaiban.services import boundary as boundary_service
from zhonglou_hrss.kuaiban.services.registration import register_case

pytestmark = pytest.mark.e2e

PASSWORD = "E2e#pass2026"
IGNORED = re.compile(r"favicon\.ico")
# Chromium's console line for a blocked resource or script names the policy.
VIOLATION = re.compile(r"Content[ -]Security[ -]Policy", re.I)
# Run by Playwright before the page's own scripts (not subject to the policy).
WATCH = """
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', e => window.__csp.push(
        e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' @' + e.sourceFile + ':' + e.lineNumber));
"""


class Violations:
    """CSP violations of one browser page: console lines and DOM events."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        page.add_init_script(WATCH)
        page.on("console", lambda msg: VIOLATION.search(msg.text) and self.console.append(msg.text))

    def found(self) -> list[str]:
        events = self.page.evaluate("() => window.__csp || []")
        return self.console + [f"securitypolicyviolation: {e}" for e in events]

    def none_on(self, url: str):
        """Open the page, let it settle, and assert it broke no rule."""
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        assert self.found() == [], url


def header_of(page, url) -> str:
    response = page.request.get(url)
    return response.headers.get("content-security-policy", "")


def problems(page_problems, page):
    return [p for p in page_problems(page) if not IGNORED.search(p)]


def test_desk_pages_break_no_rule_and_still_work(live_server, base_data, make_user, desk_page, page_problems,
                                                  screenshot):
    """issue 10 item 9: the desk's main pages under the policy — no violation, Alpine and our scripts work."""
    make_user("e2e_admin", roles=["admin", "leader", "district_clerk"], password=PASSWORD)
    clerk = make_user("e2e_clerk", roles=["district_clerk"])
    for code in ("320404001", "320404002"):
        register_case(actor=clerk, data=registration(grid=code), source=CaseSource.INTERNAL)
    waiting = register_case(actor=clerk, data=registration(grid="320404"), source=CaseSource.INTERNAL).case
    page = desk_page
    csp = Violations(page)

    csp.none_on("/desk/")  # → the sign-in page, back to the desk after
    policy = header_of(page, "/desk/login/")
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    page.get_by_label("用户名").fill("e2e_admin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(f"{live_server.url}/desk/")
    assert csp.found() == []

    # Alpine (unfold's sidebar): the collapsed 系统设置 group opens.
    page.wait_for_function("() => window.Alpine !== undefined")
    page.locator("#nav-sidebar").get_by_role("heading", name="系统设置").click()
    expect(page.locator('#nav-sidebar a[href="/desk/core/grid/"]')).to_be_visible()
    assert csp.found() == []

    csp.none_on("/desk/kuaiban/case/")
    expect(page.locator("#result_list tbody tr")).to_have_count(3)

    # The case page: an action's dialog opens (Alpine x-on:click) and closes.
    csp.none_on(f"/desk/kuaiban/case/{waiting.pk}/")
    page.locator('button[data-action="assign"]').click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_be_hidden()
    assert csp.found() == []

    # Registration: companions are added and removed (kuaiban/companions.js).
    csp.none_on("/desk/kuaiban/case/register/")
    page.locator("#add-companion").click()
    page.locator("#add-companion").click()
    expect(page.locator("#companions [data-companion]")).to_have_count(2)
    expect(page.locator("#id_companions-TOTAL_FORMS")).to_have_value("2")
    expect(page.locator("#companions [data-companion]").nth(1).locator("input").first).to_have_attribute(
        "name", re.compile(r"^companions-1-"))
    page.locator("#companions [data-remove]").first.click()
    expect(page.locator("#id_companions-TOTAL_FORMS")).to_have_value("1")
    assert csp.found() == []

    # The map and the analysis; the year list submits itself (desk.js, data-autosubmit).
    csp.none_on("/desk/kuaiban/stats/map/")
    page.wait_for_selector('#zl-map[data-ready="1"]')
    page.evaluate("() => window.zlMapChart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0})")
    page.wait_for_timeout(200)
    assert csp.found() == []
    year = stats.this_year()
    csp.none_on(f"/desk/kuaiban/stats/analysis/?year={year - 1}")  # the list offers this year too
    page.wait_for_selector('#stats-analysis[data-charts-ready="1"]')
    with page.expect_navigation():
        page.select_option("#year-select", str(year))
    assert f"year={year}" in page.url
    page.wait_for_selector('#stats-analysis[data-charts-ready="1"]')
    assert csp.found() == []

    # The boundary page: the reset asks first (desk.js, data-confirm); refusing keeps the page.
    boundary_service.replace_boundary(actor=User.objects.get(username="e2e_admin"),
                                      content=boundary_selectors.current_bytes(), filename="zhonglou.geojson")
    csp.none_on("/desk/kuaiban/stats/boundary/")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.get_by_role("button", name="恢复系统自带").click()
    page.wait_for_timeout(300)
    assert asked and "恢复系统自带" in asked[0]
    assert boundary_selectors.current().uploaded  # refused: nothing reset
    assert csp.found() == []

    csp.none_on("/kuaiban/qr/")
    expect(page.locator("[data-poster]").first).to_be_visible()
    # The rest of the desk: lists, forms (Django admin's own scripts), imports, history, exports.
    admin_pk = User.objects.get(username="e2e_admin").pk
    for url in ("/desk/kuaiban/petition/", "/desk/kuaiban/petition/new/", f"/desk/kuaiban/case/{waiting.pk}/history/",
                "/desk/kuaiban/exports/?kind=kuaiban_case", "/desk/core/enterprise/", "/desk/core/enterprise/add/",
                "/desk/core/enterprise/import/", "/desk/core/user/", f"/desk/core/user/{admin_pk}/change/",
                "/desk/core/role/add/", "/desk/core/grid/", "/desk/core/lookupentry/", "/desk/core/auditlog/",
                "/desk/password_change/"):
        csp.none_on(url)

    # The API's docs (Swagger UI, its start-up script a file) and the browsable API.
    csp.none_on("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("钟楼区人社局")
    csp.none_on("/api/v1/kuaiban/cases/")
    assert problems(page_problems, page) == []

    # An inline script slipped into a page does not run; the browser says why.
    page.goto("/desk/")
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__inline = 1'; document.body.appendChild(s); }""")
    page.wait_for_timeout(100)
    assert page.evaluate("() => typeof window.__inline") == "undefined"
    assert any("script-src" in v for v in csp.found())


def test_public_pages_break_no_rule_and_still_work(live_server, base_data, phone_page, page_problems, settings,
                                                    tmp_path):
    """issue 10 item 9: the public phone pages (QR report, done, progress) under the policy."""
    settings.CAPTCHA_TEST_MODE = True
    cache.clear()
    page = phone_page
    csp = Violations(page)

    csp.none_on("/kuaiban/report/?grid=320404002")
    policy = header_of(page, "/kuaiban/report/")
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    # public_early.js ran in <head>: scripts on, the larger text remembered.
    assert page.evaluate("() => document.documentElement.classList.contains('kb-js')")
    page.get_by_role("button", name="大字").click()
    assert page.evaluate("() => document.documentElement.classList.contains('kb-large')")
    page.reload()
    assert page.evaluate("() => document.documentElement.classList.contains('kb-large')")
    page.get_by_role("button", name="大字").click()
    page.get_by_role("button", name="＋ 添加同行人员").click()
    expect(page.locator("[data-companion]:visible")).to_have_count(1)
    page.get_by_role("button", name="删除").click()
    expect(page.locator("[data-companion]:visible")).to_have_count(0)
    expect(page.locator("#kb-captcha-img")).to_be_visible()
    assert csp.found() == []

    page.locator("#f-reporter_name").fill("钱十一")
    page.locator("#f-reporter_id_number").fill(id_number_for(4242))
    page.locator("#f-reporter_phone").fill("13912345678")
    page.locator("#f-photo").set_input_files(str(phone_photo(tmp_path / "photo.jpg")))
    expect(page.locator("#kb-photo-preview")).to_be_visible()  # a data: URL (FileReader)
    page.locator("#f-respondent_name").fill("常州某某五金制品有限公司")
    page.locator("#f-reason").select_option("wage_arrears")
    page.locator("#f-demand").fill("2026年1月至3月工资未发放。")
    page.locator("#f-captcha").fill("PASSED")
    page.locator("#kb-submit").click()
    page.wait_for_url("**/kuaiban/report/done/")
    assert csp.found() == []
    number = page.locator("#kb-case-number").inner_text().strip()
    assert Case.objects.filter(number=number).exists()

    csp.none_on(f"/kuaiban/progress/?number={number}")
    page.locator("#f-phone").fill("13912345678")
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".kb-status")).to_be_visible()
    assert csp.found() == []
    assert problems(page_problems, page) == []
