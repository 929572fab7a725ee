"""Issue 11 items 3, 5 and 8 in a real browser ("what a new clerk, leader,
grid worker and inspector hit on first use"): the grid's acceptance in the
case list after the grid is done, a grid worker's analysis without a
one-grid ranking, the leader's home and case list. Screenshots in
build/screenshots/issue11_*.png (look at them).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.kuaiban.conftest import HANDLING, registration
from tests.e2e.desk import PASSWORD, login, problems
from zhonglou_hrss.core import clock
from zhonglou_hrss.core.display import when
from zhonglou_hrss.core.models import User
from zhonglou_hrss.kuaiban.models import Case, CaseSource, GridRound
from zhonglou_hrss.kuaiban.selectors.figures import year_figures
from zhonglou_hrss.kuaiban.services.registration import register_case
from zhonglou_hrss.kuaiban.services.transitions import perform

pytestmark = pytest.mark.e2e

RESOLVE = {"resolution_way": "mediation", "amount": "1200", "notes": "已调解"}


def seed(make_user) -> dict:
    """Six cases of 五星街道 and two of 永红街道, registered ten days ago: two
    resolved by the grid, one failed and closed by an inspector, one in the
    grid's hands (accepted today: not overdue), the rest waiting."""
    clerk = make_user("e2e_clerk", roles=["district_clerk"], name="王内勤", password=PASSWORD)
    leader = make_user("e2e_leader", roles=["leader"], name="李科长", password=PASSWORD)
    inspector = make_user("e2e_inspector", roles=["inspector"], name="张监察", password=PASSWORD)
    grid1 = make_user("e2e_grid1", roles=["grid_worker"], grids=["320404001"], name="五星网格员", password=PASSWORD)
    now = clock.now()

    def case(grid="320404001"):
        with clock.at(now - timedelta(days=10)):
            return register_case(actor=clerk, data=registration(grid=grid), source=CaseSource.INTERNAL).case

    def act(case, days_ago, action, actor, **data):
        with clock.at(now - timedelta(days=days_ago)):
            perform(case_id=case.pk, action=action, actor=actor, data=data)

    resolved = [case(), case()]
    for c in resolved:
        act(c, 9, "grid_accept", grid1)
        act(c, 8, "grid_resolve", grid1, **RESOLVE)
    closed = case()
    act(closed, 9, "grid_accept", grid1)
    act(closed, 8, "grid_fail", grid1, notes="企业拒绝调解")
    act(closed, 7, "triage_escalate", clerk)
    act(closed, 7, "assign", leader, inspector="e2e_inspector")
    act(closed, 6, "claim", inspector)
    act(closed, 5, "record_handling", inspector, **HANDLING)
    act(closed, 5, "close", inspector)
    handling = case()
    perform(case_id=handling.pk, action="grid_accept", actor=grid1, data={})
    waiting = [case(), case(), case("320404002"), case("320404002")]
    return {"resolved": resolved[0], "closed": closed, "handling": handling, "waiting": waiting}


def row(page, number):
    return page.locator("#result_list tbody tr", has=page.get_by_text(number, exact=True))


def test_grid_acceptance_in_the_case_list(live_server, base_data, make_user, desk_page, screenshot, page_problems):
    """Issue 11 item 3: the clerk's list shows when the grid accepted a case
    the grid has resolved, and a case that went on to an inspector — not "—"."""
    cases = seed(make_user)
    page = desk_page
    login(page, "e2e_clerk")
    page.goto("/desk/kuaiban/case/")
    for case in (cases["resolved"], cases["closed"]):
        accepted = GridRound.objects.get(case=case).accepted_at
        expect(row(page, case.number).locator("td.field-accepted_col")).to_have_text(when(accepted))
    expect(row(page, cases["waiting"][0].number).locator("td.field-accepted_col")).to_have_text("—")
    screenshot(page, "issue11_item3_clerk_case_list", full_page=True)
    assert problems(page_problems, page) == []


def test_grid_worker_analysis_has_no_one_grid_ranking(live_server, base_data, make_user, desk_page, screenshot,
                                                      page_problems):
    """Issue 11 item 5: the grid worker's 数据分析 shows their grid's completion
    rate without a 名次 (one grid: nothing to rank) and says why; the leader's
    ranking keeps its places."""
    seed(make_user)
    page = desk_page
    login(page, "e2e_grid1")
    page.goto("/desk/kuaiban/stats/analysis/")
    section = page.locator("#section-ranking")
    expect(section.get_by_role("heading")).to_contain_text("本网格完成率")
    expect(section.locator("th")).to_have_text(["网格", "收到", "完成", "完成率"])
    expect(section.locator("#ranking-not-shown")).to_be_visible()
    section.scroll_into_view_if_needed()
    screenshot(page, "issue11_item5_grid_worker_analysis", full_page=True)
    assert problems(page_problems, page) == []

    page.context.clear_cookies()
    login(page, "e2e_leader")
    page.goto("/desk/kuaiban/stats/analysis/")
    section = page.locator("#section-ranking")
    expect(section.get_by_role("heading")).to_contain_text("网格完成率排名")
    expect(section.locator("th").first).to_have_text("名次")
    expect(section.locator('tr[data-grid="320404001"] [data-figure="rank"]')).to_have_text("1")
    screenshot(page, "issue11_item5_leader_analysis", full_page=True)


def test_leader_home_and_case_list(live_server, base_data, make_user, desk_page, screenshot, page_problems):
    """Issue 11 item 8: the leader's home starts with this year's received,
    completed, completion rate and overdue (neutral at 0), each against a
    month ago, and no registry or grid counts; the case list shows the
    inspector, amount, closing time and days open, fits the screen, and 显示列
    adds a column that stays."""
    cases = seed(make_user)
    page = desk_page
    login(page, "e2e_leader")
    year = clock.now().year
    first_row = page.locator("#work-cards .zl-cards").first
    expect(first_row.locator(".zl-card > .zl-card-title:first-child")).to_have_text(
        [f"{year}年收到事件", f"{year}年完成事件", f"{year}年完成率", "超时事件"])
    f = year_figures(User.objects.get(username="e2e_leader"))
    assert f["received"] >= 1  # registered ten days ago: this year's unless the year is younger
    expect(first_row.locator(".zl-card-value")).to_have_text(
        [str(f["received"]), str(f["completed"]), f"{f['rate']}%", "0"])
    overdue = first_row.locator(".zl-card").nth(3)
    assert "zl-red" not in overdue.get_attribute("class")
    assert overdue.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
    expect(page.locator("#desk-cards")).to_have_count(0)
    expect(page.get_by_text("企业库", exact=True).locator("xpath=ancestor::a[contains(@class,'zl-card')]")).to_have_count(0)
    screenshot(page, "issue11_item8_leader_home", full_page=True)

    page.get_by_role("link", name="全部事件").click()
    page.wait_for_load_state("networkidle")
    closed = row(page, cases["closed"].number)
    expect(closed.locator("td.field-inspector_col")).to_have_text("张监察")
    expect(closed.locator("td.field-amount_col")).to_have_text("¥3,000.00")
    expect(closed.locator("td.field-closed_col")).to_have_text(when(Case.objects.get(pk=cases["closed"].pk).closed_at))
    expect(closed.locator("td.field-days_col")).to_have_text("5天")
    expect(row(page, cases["resolved"].number).locator("td.field-amount_col")).to_have_text("¥1,200.00")
    expect(page.locator("#case-counts a[href='?overdue=true']")).not_to_have_class(re.compile(r"zl-red"))
    table, container = page.evaluate("""() => {
        const t = document.querySelector('#result_list');
        return [t.scrollWidth, t.parentElement.clientWidth];
    }""")
    assert table <= container, f"表格宽 {table}px，超出 {container}px"
    screenshot(page, "issue11_item8_leader_case_list", full_page=True)

    page.get_by_text("显示列").click()
    chooser = page.locator("#case-columns form")
    expect(chooser).to_be_visible()
    chooser.get_by_label("网格接收").check()
    screenshot(page, "issue11_item8_column_chooser")
    chooser.get_by_role("button", name="应用").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#result_list thead th.column-accepted_col")).to_be_visible()
    page.reload()
    expect(page.locator("#result_list thead th.column-accepted_col")).to_be_visible()
    accepted = GridRound.objects.get(case=cases["resolved"]).accepted_at
    expect(row(page, cases["resolved"].number).locator("td.field-accepted_col")).to_have_text(when(accepted))
    assert problems(page_problems, page) == []
