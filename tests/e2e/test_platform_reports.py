"""Saved reports in a real browser (issue 17): a leader builds a report in the
desk — source 快办事件, grouped by grid and month, counted — sees the table
and the chart at once, saves it and shares it with 网格员; a grid worker finds
it in the sidebar under 统计分析 and sees only their grid's figures. Screenshots
at 1366×768 (build/screenshots/platform_report_*.png), no CSP violation, no
failed request; axe on the list, the builder and a report's page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import DESK_VIEWPORT, _new_page
from tests.e2e.desk import PASSWORD, problems
from tests.e2e.desk import login as desk_login
from tests.e2e.test_accessibility import axe  # noqa: F401  (the axe-core fixture)
from tests.e2e.test_csp import Violations
from tests.kuaiban.conftest import registration
from zhonglou_hrss.core import clock
from zhonglou_hrss.core.models import Grid
from zhonglou_hrss.kuaiban.models import CaseSource
from zhonglou_hrss.kuaiban.services.registration import register_case
from zhonglou_hrss.platform.models import SavedReport

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(live_server, base_data, make_user):
    clerk = make_user("e2e_rp_clerk", roles=["district_clerk"], name="王内勤", password=PASSWORD)
    leader = make_user("e2e_rp_leader", roles=["leader"], name="李科长", password=PASSWORD)
    grid = make_user("e2e_rp_grid", roles=["grid_worker"], grids=["320404001"], name="五星网格员", password=PASSWORD)
    moments = [(2026, 1, 5, "320404001"), (2026, 1, 31, "320404001"), (2026, 2, 3, "320404001"),
               (2026, 2, 9, "320404002"), (2026, 3, 1, "320404002"), (2026, 3, 2, "320404002")]
    for year, month, day, code in moments:
        with clock.at(timezone.make_aware(dt.datetime(year, month, day, 10, 0))):
            register_case(actor=clerk, data=registration(grid=code), source=CaseSource.INTERNAL)
    names = dict(Grid.objects.filter(code__in=["320404001", "320404002"]).values_list("code", "name"))
    return {"leader": leader, "grid": grid, "names": names}


def build(page):
    page.goto("/desk/platform/savedreport/new/")
    expect(page.locator("#rb-source option[value=cases]")).to_have_count(1)
    page.locator("#rb-source").select_option("cases")
    expect(page.locator('[data-column="number"]')).to_have_count(1)
    groups = page.locator(".rb-group")
    groups.nth(0).locator("select").nth(0).select_option("grid__name")
    groups.nth(1).locator("select").nth(0).select_option("created_at")
    expect(groups.nth(1).locator("select").nth(1)).to_have_value("month")
    page.locator("#rb-add-aggregate").click()
    page.locator("#rb-run").click()


def test_build_save_share_and_open_shared(world, desk_page, browser, live_server, page_problems, screenshot):
    page = desk_page
    csp = Violations(page)
    desk_login(page, "e2e_rp_leader")
    page.goto("/desk/platform/savedreport/")
    expect(page.locator("#new-report")).to_be_visible()
    screenshot(page, "platform_report_list_empty", full_page=True)
    build(page)
    table = page.locator("#rb-table")
    expect(table.locator("thead th")).to_have_text(["所属网格", "登记时间（按月）", "数量"])
    five, yong = world["names"]["320404001"], world["names"]["320404002"]
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator("tbody tr").nth(0)).to_contain_text("2026-01")
    expect(page.locator('#rb-chart-area[data-rendered="1"] canvas')).to_have_count(1)
    page.wait_for_timeout(300)
    screenshot(page, "platform_report_builder", full_page=True)

    # A missing name is told next to the field, and nothing is saved.
    page.locator("#rb-save").click()
    expect(page.locator("#rb-err-name")).to_contain_text("请填写报表名称")
    assert not SavedReport.objects.exists()

    page.locator("#rb-chart").select_option("line")
    page.locator("#rb-name").fill("各网格每月事件数")
    page.locator('[data-role="网格员"]').check()
    page.locator("#rb-save").click()
    page.wait_for_url("**/view/")
    report = SavedReport.objects.get()
    assert report.definition["group_by"] == ["grid__name", "created_at:month"]
    assert list(report.shared_with.values_list("name", flat=True)) == ["网格员"]
    expect(page.locator("#rb-title")).to_have_text("各网格每月事件数")
    expect(page.locator("#rb-table tbody tr")).to_have_count(4)
    expect(page.locator('#rb-chart-area[data-rendered="1"] canvas')).to_have_count(1)
    page.wait_for_timeout(300)
    screenshot(page, "platform_report_saved", full_page=True)
    page.goto("/desk/platform/savedreport/")
    expect(page.locator("#reports-mine")).to_contain_text("各网格每月事件数")
    screenshot(page, "platform_report_list", full_page=True)
    assert csp.found() == []
    # The one refusal asked for above (no name) answered 400, as it should.
    refused = re.compile(r"HTTP 400: .*/api/v1/platform/reports/$|status of 400")
    assert [p for p in problems(page_problems, page) if not refused.search(p)] == []
    assert len([p for p in problems(page_problems, page) if "HTTP 400" in p]) == 1

    # The grid worker: the report under 统计分析 in the sidebar, their grid's figures only, read-only.
    context, worker = _new_page(browser, live_server, page_problems, viewport=DESK_VIEWPORT)
    try:
        desk_login(worker, "e2e_rp_grid")
        worker.goto("/desk/")
        link = worker.get_by_role("link", name="各网格每月事件数")
        expect(link).to_have_count(1)
        link.click()
        expect(worker.locator("#rb-table tbody tr")).to_have_count(2)  # January (2 cases) and February
        expect(worker.locator("#rb-table tbody")).not_to_contain_text(yong)
        expect(worker.locator("#rb-table tbody")).to_contain_text(five)
        expect(worker.locator("#rb-form")).to_have_count(0)
        expect(worker.locator('#rb-chart-area[data-rendered="1"] canvas')).to_have_count(1)
        worker.wait_for_timeout(300)
        screenshot(worker, "platform_report_shared_grid_worker", full_page=True)
        # The Excel export through the export jobs (masked: no full export for a grid worker).
        expect(worker.locator("#rb-export-full")).to_have_count(0)
        worker.locator("#rb-export-button").click()
        expect(worker.locator("#report-export-status")).to_have_text("已完成")
        with worker.expect_download() as download:
            worker.locator("#report-export-download").click()
        assert download.value.suggested_filename.startswith("各网格每月事件数")
        screenshot(worker, "platform_report_export_job")
        # (a download "aborts" the navigation that fetched it)
        assert [p for p in problems(page_problems, worker) if "/download/" not in p] == []
    finally:
        context.close()


def test_axe_on_the_report_pages(world, axe):  # noqa: F811  (the fixture of test_accessibility)
    page = axe.page("desk")
    desk_login(page, "e2e_rp_leader")
    page.goto("/desk/platform/savedreport/")
    axe.check(page, "platform_report_list")
    build(page)
    expect(page.locator("#rb-table tbody tr")).to_have_count(4)
    page.locator("#rb-add-filter").click()
    axe.check(page, "platform_report_builder")
    page.locator(".rb-filter .rb-remove").click()
    page.locator("#rb-name").fill("无障碍检查")
    page.locator("#rb-save").click()
    page.wait_for_url("**/view/")
    expect(page.locator("#rb-table tbody tr")).to_have_count(4)
    axe.check(page, "platform_report_page")
    axe.assert_clean()
