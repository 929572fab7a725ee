"""Issue 11 item 12 in a real browser: axe-core (npm devDependency, never
served) checks the public phone pages and the main desk pages.

Rules: every rule axe tags ``wcag2a``, ``wcag2aa``, ``wcag21a``, ``wcag21aa``
and ``best-practice``. A page fails on any violation of impact *serious* or
*critical* (colour contrast, form labels, button and link names, ARIA…), and
on the structure rules whatever axe's impact for them (``STRUCTURE``: one
``main``, unique landmarks, all content inside landmarks, a level-one heading,
heading levels in order — axe calls these *moderate*); beside axe, exactly
one visible ``h1`` per page. No rule is switched off and no element excluded.

Pages: the public report page (empty, after a refused submit), the done page,
the progress page (empty, refused, with a result in progress and done) at
desk 1366×768 and phone 375×812; the desk's sign-in page, the home of a leader, a clerk, a grid
worker and an inspector, the case list, a case page (its action buttons and
an open dialog), 内部登记, the petition list and entry form, 一张图 and
数据分析 at 1366×768, and a petition's page, the QR posters, an export and
the boundary page;
the grid worker's sign-in, home, list, case page and a dialog at 375×812 too.
Screenshots: build/screenshots/a11y_*.png (the full page).

axe is put into each page by Playwright, so these browser contexts bypass
the Content-Security-Policy (``bypass_csp``; tests/e2e/test_csp.py checks the
policy itself).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from playwright.sync_api import expect

from tests.e2e.conftest import (DEFAULT_TIMEOUT_MS, DESK_VIEWPORT, LOCALE, PHONE_VIEWPORT, REPO_DIR, TIMEZONE,
                                _browser_required)
from tests.e2e.test_public_report import phone_photo
from tests.kuaiban.conftest import id_number_for, registration
from tests.e2e.desk import PASSWORD, login
from zhonglou_hrss.core import clock
from zhonglou_hrss.kuaiban.models import Case, CaseSource
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition
from zhonglou_hrss.kuaiban.services.registration import register_case
from zhonglou_hrss.kuaiban.services.transitions import perform

AXE = REPO_DIR / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}
# Landmarks and headings (issue 11 item 12): axe rates these "moderate"; they fail here too.
STRUCTURE = {
    "landmark-one-main", "landmark-no-duplicate-main", "landmark-main-is-top-level", "landmark-unique",
    "landmark-no-duplicate-banner", "landmark-no-duplicate-contentinfo", "region",
    "page-has-heading-one", "heading-order",
}

PHONE = "13912345678"
RESOLVED = {"resolution_way": "mediation", "amount": "1200", "notes": "已调解"}
VIEWPORTS = {"desk": dict(viewport=DESK_VIEWPORT),
             "phone": dict(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True, device_scale_factor=2)}

RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map(n => ({target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' '),
                                  impact: n.impact, summary: n.failureSummary}))}));
}"""
# Headings a sighted user sees at level one (closed dialogs and hidden templates do not count).
LEVEL_ONE = """() => [...document.querySelectorAll('h1, [role="heading"][aria-level="1"]')]
    .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
    .map(e => e.textContent.trim().replace(/\\s+/g, ' '))"""


class Axe:
    """Opens pages in contexts that bypass the CSP, runs axe on each and keeps
    what failed, so one run lists every page's problems."""

    def __init__(self, browser, live_server, screenshot):
        self.browser, self.live_server, self.screenshot = browser, live_server, screenshot
        self.contexts = []
        self.failures: list[str] = []
        self.checked: list[str] = []

    def page(self, kind: str):
        context = self.browser.new_context(base_url=self.live_server.url, locale=LOCALE, timezone_id=TIMEZONE,
                                           bypass_csp=True, **VIEWPORTS[kind])
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        self.contexts.append(context)
        return context.new_page()

    def check(self, page, name: str):
        """Run axe on the page as it is now; remember the failing rules."""
        page.wait_for_load_state("networkidle")
        self.screenshot(page, f"a11y_{name}", full_page=True)
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        found = []
        for violation in page.evaluate(RUN_AXE, TAGS):
            serious = [n for n in violation["nodes"] if n["impact"] in FAILING_IMPACTS or violation["id"] in STRUCTURE]
            if serious:
                found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
                found += [f"    {n['target']}  [{n['impact']}] {n['summary'].splitlines()[-1].strip()}"
                          for n in serious]
        headings = page.evaluate(LEVEL_ONE)
        if len(headings) != 1:
            found.append(f"one-h1: {len(headings)} visible level-one headings {headings}, want exactly one")
        self.checked.append(name)
        if found:
            self.failures.append(f"{name} ({page.url}):\n  " + "\n  ".join(found))

    def assert_clean(self):
        assert not self.failures, "axe found problems on {} of {} pages:\n{}".format(
            len(self.failures), len(self.checked), "\n".join(self.failures))

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def axe(browser, live_server, screenshot):
    if not AXE.exists():
        reason = f"没有找到 axe-core（{AXE}）：先运行 make frontend"
        if _browser_required():
            pytest.fail(f"ZHONGLOU_REQUIRE_BROWSER=1，但{reason}", pytrace=False)
        pytest.skip(reason)
    checker = Axe(browser, live_server, screenshot)
    yield checker
    checker.close()


@pytest.fixture
def team(base_data, make_user):
    return {
        "clerk": make_user("e2e_clerk", roles=["district_clerk"], name="王内勤", password=PASSWORD),
        "leader": make_user("e2e_leader", roles=["leader"], name="李科长", password=PASSWORD),
        "grid": make_user("e2e_grid1", roles=["grid_worker"], grids=["320404001"], name="五星网格员",
                          password=PASSWORD),
        "inspector": make_user("e2e_insp1", roles=["inspector"], name="张监察", password=PASSWORD),
        "admin": make_user("e2e_admin", roles=["admin"], name="系统管理员", password=PASSWORD),
    }


@pytest.fixture
def desk_cases(team):
    """Cases in several states: waiting for the grid, in the grid and overdue,
    with the leader, with the inspector; petitions, one handled."""
    clerk = team["clerk"]

    def new(grid="320404001"):
        return register_case(actor=clerk, data=registration(grid=grid), source=CaseSource.INTERNAL).case

    waiting = new()
    overdue = new()
    perform(case_id=overdue.pk, action="grid_accept", actor=team["grid"], data={})
    Case.objects.filter(pk=overdue.pk).update(grid_accepted_at=clock.now() - timedelta(days=30))
    with_leader = new(grid="320404")
    inspecting = new(grid="320404")
    perform(case_id=inspecting.pk, action="assign", actor=team["leader"], data={"inspector": "e2e_insp1"})
    petitions = [
        save_petition(actor=clerk, data=PetitionInput(
            name="李四", id_number=id_number_for(800 + i), phone="13900139000", respondent_name=f"信访测试公司{i}",
            reason="wage_arrears", grid="320404001", demand="要求支付工资", result="已协调" if done else "",
            handled_at=clock.now() if done else None))
        for i, done in enumerate((True, False))]
    cache.clear()
    return {"waiting": waiting, "overdue": overdue, "with_leader": with_leader, "inspecting": inspecting,
            "petition": petitions[0]}


@pytest.mark.e2e
@pytest.mark.parametrize("kind", ["phone", "desk"])
def test_public_pages(live_server, base_data, make_user, settings, tmp_path, axe, kind):
    """The QR report page empty and refused, the done page, the progress page
    empty, refused and with a result (in progress, then done)."""
    settings.CAPTCHA_TEST_MODE = True
    cache.clear()
    page = axe.page(kind)
    page.goto("/kuaiban/report/?grid=320404002")
    axe.check(page, f"{kind}_report")

    page.get_by_role("button", name="＋ 添加同行人员").click()
    page.locator("#f-reporter_name").fill("钱十一")
    page.locator("#f-reporter_id_number").fill(id_number_for(4242))
    page.locator("#f-reporter_phone").fill(PHONE)
    page.locator("#f-photo").set_input_files(str(phone_photo(tmp_path / "photo.jpg")))
    page.locator("#f-respondent_name").fill("常州某某五金制品有限公司")
    page.locator("#f-captcha").fill("PASSED")
    page.locator("#kb-submit").click()  # no reason, no demand, the companion empty: refused
    expect(page.locator('[data-error-for="demand"]')).to_have_text("请填写具体诉求")
    axe.check(page, f"{kind}_report_refused")

    page.locator("[data-companion]:visible").get_by_role("button", name="删除").click()
    page.locator("#f-reason").select_option("wage_arrears")
    page.locator("#f-demand").fill("2026年1月至3月工资未发放。")
    page.locator("#f-captcha").fill("PASSED")
    page.locator("#kb-submit").click()
    page.wait_for_url("**/kuaiban/report/done/")
    number = page.locator("#kb-case-number").inner_text().strip()
    axe.check(page, f"{kind}_done")

    page.goto("/kuaiban/progress/")
    axe.check(page, f"{kind}_progress")
    page.locator("#f-number").fill(number)
    page.locator("#f-phone").fill("13900000000")
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".kb-alert")).to_be_visible()
    axe.check(page, f"{kind}_progress_refused")
    page.locator("#f-phone").fill(PHONE)
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".kb-status")).to_be_visible()
    axe.check(page, f"{kind}_progress_result")

    worker = make_user("e2e_grid2", roles=["grid_worker"], grids=["320404002"])
    case = Case.objects.get(number=number)
    perform(case_id=case.pk, action="grid_accept", actor=worker, data={})
    perform(case_id=case.pk, action="grid_resolve", actor=worker, data=dict(RESOLVED))
    page.goto("/kuaiban/progress/")
    page.locator("#f-number").fill(number)
    page.locator("#f-phone").fill(PHONE)
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".kb-status--done")).to_be_visible()
    axe.check(page, f"{kind}_progress_done")
    axe.assert_clean()


@pytest.mark.e2e
def test_desk_pages(live_server, team, desk_cases, axe):
    """The desk at 1366×768: sign-in, each role's home, lists, case page and
    dialog, registration, petitions, map and analysis, posters, an export, the boundary."""
    page = axe.page("desk")
    page.goto("/desk/login/")
    axe.check(page, "desk_login")

    login(page, "e2e_leader")
    expect(page.locator("#work-cards")).to_contain_text("超时事件")
    axe.check(page, "desk_home_leader")
    page.goto("/desk/kuaiban/case/")
    axe.check(page, "desk_case_list_leader")
    page.goto(f"/desk/kuaiban/case/{desk_cases['with_leader'].pk}/")
    expect(page.locator("#case-actions")).to_be_visible()
    axe.check(page, "desk_case_leader")
    page.locator('button[data-action="assign"]').click()
    expect(page.get_by_role("dialog")).to_be_visible()
    axe.check(page, "desk_case_leader_dialog")
    page.goto("/desk/kuaiban/stats/map/")
    page.wait_for_selector('#zl-map[data-ready="1"]')
    axe.check(page, "desk_map")
    page.goto("/desk/kuaiban/stats/analysis/")
    page.wait_for_selector('#stats-analysis[data-charts-ready="1"]')
    axe.check(page, "desk_analysis")

    page.context.clear_cookies()
    login(page, "e2e_clerk")
    axe.check(page, "desk_home_clerk")
    page.goto("/desk/kuaiban/case/")
    axe.check(page, "desk_case_list_clerk")
    page.goto("/desk/kuaiban/case/register/")
    axe.check(page, "desk_register")
    page.get_by_role("button", name="登记").click()  # refused: errors beside the fields
    expect(page.locator(".zl-field.has-error").first).to_be_visible()
    axe.check(page, "desk_register_refused")
    page.goto("/desk/kuaiban/petition/")
    axe.check(page, "desk_petition_list")
    page.goto("/desk/kuaiban/petition/new/")
    axe.check(page, "desk_petition_new")
    page.goto(f"/desk/kuaiban/petition/{desk_cases['petition'].pk}/")
    axe.check(page, "desk_petition_page")
    page.goto("/kuaiban/qr/")
    axe.check(page, "desk_posters")
    page.goto("/desk/kuaiban/exports/?kind=kuaiban_case")
    axe.check(page, "desk_export")

    page.context.clear_cookies()
    login(page, "e2e_insp1")
    axe.check(page, "desk_home_inspector")
    page.goto(f"/desk/kuaiban/case/{desk_cases['inspecting'].pk}/")
    axe.check(page, "desk_case_inspector")

    page.context.clear_cookies()
    login(page, "e2e_grid1")
    axe.check(page, "desk_home_grid")
    page.goto("/desk/kuaiban/case/")
    axe.check(page, "desk_case_list_grid")
    page.goto(f"/desk/kuaiban/case/{desk_cases['overdue'].pk}/")
    expect(page.locator(".zl-head")).to_contain_text("超时")
    axe.check(page, "desk_case_grid")

    page.context.clear_cookies()
    login(page, "e2e_admin")
    axe.check(page, "desk_home_admin")
    page.goto("/desk/kuaiban/stats/boundary/")
    axe.check(page, "desk_boundary")
    axe.assert_clean()


@pytest.mark.e2e
def test_grid_worker_desk_on_a_phone(live_server, team, desk_cases, axe):
    """The grid worker's desk at 375×812: sign-in, home, list, case page and a dialog."""
    page = axe.page("phone")
    page.goto("/desk/login/")
    axe.check(page, "phone_desk_login")
    login(page, "e2e_grid1")
    axe.check(page, "phone_desk_home_grid")
    page.goto("/desk/kuaiban/case/")
    axe.check(page, "phone_desk_case_list_grid")
    page.goto(f"/desk/kuaiban/case/{desk_cases['waiting'].pk}/")
    axe.check(page, "phone_desk_case_grid")
    page.goto(f"/desk/kuaiban/case/{desk_cases['overdue'].pk}/")
    page.locator('button[data-action="grid_resolve"]').click()
    expect(page.get_by_role("dialog")).to_be_visible()
    axe.check(page, "phone_desk_case_grid_dialog")
    axe.assert_clean()


@pytest.mark.e2e
def test_axe_itself_finds_a_planted_problem(live_server, base_data, axe):
    """The check is live: a grey-on-grey line and a nameless button put into
    the progress page are reported."""
    page = axe.page("phone")
    page.goto("/kuaiban/progress/")
    page.evaluate("""() => {
        const p = document.createElement('p'); p.textContent = '看不清的字';
        p.style.cssText = 'color:#bbb;background:#ccc'; document.querySelector('main').appendChild(p);
        document.querySelector('main').appendChild(document.createElement('button'));
    }""")
    axe.check(page, "planted")
    assert len(axe.failures) == 1
    assert re.search(r"color-contrast \(serious\)", axe.failures[0])
    assert re.search(r"button-name \(critical\)", axe.failures[0])


def test_axe_is_not_served():
    """axe-core is a devDependency for these tests: no static files finder offers it."""
    assert AXE.exists() or not _browser_required()
    served = [path for finder in finders.get_finders() for path, _ in finder.list([])]
    assert served and not [path for path in served if "axe" in path.lower()]
