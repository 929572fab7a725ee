"""Issue 11 in a real browser: what a new clerk, leader, grid worker and
inspector hit on first use — each test fails on the desk as it was.

Items here: 1 (录入信访 reachable), 4 (监察处置 says 已办结), 6 (one-click
actions, labels read once), 7 (required marks, 归属网格 proposed, a refused
dialog stays on the case's address), 11 (the phone pages' labels and
spacing), 13 (改派 after the claim). Screenshots: build/screenshots/first_use_*.png.
"""

from __future__ import annotations


import pytest
from playwright.sync_api import expect

from tests.kuaiban.conftest import HANDLING, registration
from tests.e2e.desk import PASSWORD, login, problems
from zhonglou_hrss.kuaiban.models import CaseSource
from zhonglou_hrss.kuaiban.services.registration import register_case
from zhonglou_hrss.kuaiban.services.transitions import perform

pytestmark = pytest.mark.e2e


@pytest.fixture
def team(base_data, make_user):
    return {
        "clerk": make_user("e2e_clerk", roles=["district_clerk"], name="王内勤", password=PASSWORD),
        "leader": make_user("e2e_leader", roles=["leader"], name="李科长", password=PASSWORD),
        "grid": make_user("e2e_grid1", roles=["grid_worker"], grids=["320404001"], name="五星网格员",
                          password=PASSWORD),
        "insp1": make_user("e2e_insp1", roles=["inspector"], name="张监察", password=PASSWORD),
        "insp2": make_user("e2e_insp2", roles=["inspector"], name="赵监察", password=PASSWORD),
    }


def new_case(team, grid="320404001"):
    return register_case(actor=team["clerk"], data=registration(grid=grid), source=CaseSource.INTERNAL).case


def inspecting(team):
    case = new_case(team)
    for action, who, data in [("grid_accept", "grid", {}), ("grid_fail", "grid", {"notes": "企业拒绝调解"}),
                              ("triage_escalate", "clerk", {}), ("assign", "leader", {"inspector": "e2e_insp1"}),
                              ("claim", "insp1", {})]:
        perform(case_id=case.pk, action=action, actor=team[who], data=data)
    return case


def test_item_1_clerk_reaches_petition_entry_from_the_sidebar(live_server, team, desk_page, page_problems):
    """R-KB-15, item 1: the sidebar's 录入信访 and the list's button open the entry form."""
    page = desk_page
    login(page, "e2e_clerk")
    page.locator("#nav-sidebar").get_by_role("link", name="录入信访").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="录入信访")).to_be_visible()
    assert page.url.endswith("/desk/kuaiban/petition/new/")
    page.goto("/desk/kuaiban/petition/")
    page.get_by_role("link", name="录入信访").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/desk/kuaiban/petition/new/")
    page.goto("/desk/kuaiban/petition/add/")  # an old bookmark
    assert page.url.endswith("/desk/kuaiban/petition/new/")
    assert problems(page_problems, page) == []


def test_item_6_grid_worker_accepts_in_one_click(live_server, team, desk_page, page_problems, screenshot):
    """R-KB-03, item 6: 确认接收 is one click — no empty dialog — and the page says it was done."""
    case = new_case(team)
    page = desk_page
    login(page, "e2e_grid1")
    page.goto(f"/desk/kuaiban/case/{case.pk}/")
    expect(page.locator("text=确认确认")).to_have_count(0)
    page.get_by_role("button", name="确认接收").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".zl-head .zl-badge").first).to_have_text("网格处置中")
    expect(page.get_by_text("已完成：确认接收")).to_be_visible()
    assert not page.locator(".zl-dialog:visible").count()
    screenshot(page, "first_use_accepted")
    assert problems(page_problems, page) == []


def test_item_7_refused_dialog_stays_on_the_case_address(live_server, team, desk_page, page_problems):
    """R-KB-04, item 7: a refused dialog comes back open with its errors; the address is
    the case's, so a reload does not post again."""
    case = new_case(team)
    perform(case_id=case.pk, action="grid_accept", actor=team["grid"], data={})
    page = desk_page
    login(page, "e2e_grid1")
    page.goto(f"/desk/kuaiban/case/{case.pk}/")
    page.get_by_role("button", name="调解成功").click()
    dialog = page.get_by_role("dialog", name="调解成功")
    dialog.get_by_role("button", name="确认调解成功").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/desk/kuaiban/case/{case.pk}/")
    dialog = page.get_by_role("dialog", name="调解成功")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_text("请选择成功方式")).to_be_visible()
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("dialog", name="调解成功")).to_be_hidden()
    assert problems(page_problems, page) == []  # the refusal is a redirect now, not a 400 page


def test_item_7_required_marks_and_the_proposed_grid(live_server, team, desk_page, screenshot):
    """R-KB-02 / R-KB-13, item 7: 内部登记 marks its required fields before any submit; the
    inspector's 记录处理结果 proposes the case's grid as 归属网格."""
    page = desk_page
    login(page, "e2e_clerk")
    page.goto("/desk/kuaiban/case/register/")
    for label in ("上报人姓名", "身份证号", "手机号", "对方单位名称", "案由", "所属网格", "来源渠道", "具体诉求"):
        expect(page.locator(f"label:has-text('{label}') .zl-error")).to_have_text("*")
    expect(page.locator("label:has-text('对方单位统一社会信用代码') .zl-error")).to_have_count(0)
    screenshot(page, "first_use_register")
    case = inspecting(team)
    page.context.clear_cookies()
    login(page, "e2e_insp1")
    page.goto(f"/desk/kuaiban/case/{case.pk}/")
    page.get_by_role("button", name="记录处理结果").click()
    grid = page.get_by_role("dialog", name="记录处理结果").get_by_label("归属网格（统计用）")
    assert grid.evaluate("el => el.options[el.selectedIndex].text") == "五星街道"


def test_items_4_and_13_leader_reassigns_then_the_panel_says_closed(live_server, team, desk_page, page_problems,
                                                                    screenshot):
    """R-KB-09 / R-KB-20, item 13: the leader moves a claimed case to another inspector with a
    reason; the timeline says so; the first inspector no longer sees it.
    Item 4: after 办结 the 监察处置 table says 已办结."""
    case = inspecting(team)
    page = desk_page
    login(page, "e2e_leader")
    page.goto(f"/desk/kuaiban/case/{case.pk}/")
    page.get_by_role("button", name="改派监察员").click()
    dialog = page.get_by_role("dialog", name="改派监察员")
    expect(dialog.get_by_text("改派后原监察员将不能再查看")).to_be_visible()
    dialog.get_by_label("监察员").select_option("e2e_insp2")
    dialog.get_by_label("改派理由").fill("张监察病假")
    dialog.get_by_role("button", name="确认改派监察员").click()
    page.wait_for_load_state("networkidle")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("改派监察员")
    expect(timeline).to_contain_text("张监察病假")
    expect(timeline).to_contain_text("赵监察")
    screenshot(page, "first_use_reassigned", full_page=True)

    perform(case_id=case.pk, action="record_handling", actor=team["insp2"], data=dict(HANDLING))
    perform(case_id=case.pk, action="close", actor=team["insp2"], data={})
    page.reload()
    panel = page.locator(".zl-box", has=page.get_by_role("heading", name="监察处置"))
    rows = panel.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("已改派")
    expect(rows.nth(1)).to_contain_text("已办结")
    expect(panel).not_to_contain_text("处置中")

    page.context.clear_cookies()
    login(page, "e2e_insp1")
    response = page.goto(f"/desk/kuaiban/case/{case.pk}/")
    assert response.status == 404
    assert problems(page_problems, page) == [f"HTTP 404: {live_server.url}/desk/kuaiban/case/{case.pk}/"]


def test_item_11_phone_cards_progress_button_and_photo_hint(live_server, team, phone_page, screenshot):
    """R-KB-01 / R-KB-16, item 11: on a phone the case card's number row is labelled 事件编号 (not
    选择此记录); the progress page's phone field does not touch 查询; the
    photo hint keeps "PNG" in one piece."""
    new_case(team)
    page = phone_page
    login(page, "e2e_grid1")
    page.goto("/desk/kuaiban/case/")
    first = page.locator("#result_list tbody tr").first.locator("td").first
    label = first.evaluate("el => getComputedStyle(el, '::before').content")
    assert label == '"事件编号"'
    screenshot(page, "first_use_phone_cards")

    page.goto("/kuaiban/progress/")
    field = page.locator("#f-phone").bounding_box()
    button = page.get_by_role("button", name="查询").bounding_box()
    assert button["y"] - (field["y"] + field["height"]) >= 12

    page.goto("/kuaiban/report/")
    lines = page.evaluate("""() => {
        const el = document.getElementById('kb-photo-name');
        const text = el.firstChild; const at = text.data.indexOf('PNG');
        const range = document.createRange(); range.setStart(text, at); range.setEnd(text, at + 3);
        return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
    }""")
    assert lines == 1


def test_item_14_inspector_reads_the_district_figures(live_server, team, desk_page, page_problems, screenshot):
    """R-KB-18 / R-KB-19, item 14: an inspector opens 一张图 and 数据分析 from the sidebar: the
    district's numbers, no links into case lists they could not show."""
    new_case(team)
    new_case(team, grid="320404002")
    page = desk_page
    login(page, "e2e_insp1")
    page.locator("#nav-sidebar").get_by_role("link", name="一张图").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("全区统计数字")).to_be_visible()
    table = page.locator("#map-table")
    expect(table.locator("tr[data-grid='320404001'] [data-figure='cases_received']")).to_have_text("1")
    expect(table.locator("a")).to_have_count(0)
    screenshot(page, "first_use_inspector_map")
    page.locator("#nav-sidebar").get_by_role("link", name="数据分析").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#stats-analysis a[href*='/desk/kuaiban/case/']")).to_have_count(0)
    assert problems(page_problems, page) == []
