"""Issue 11 item 10 in a real browser: clerks read lookups by their Chinese
names (the code only for who maintains the lists)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_desk_login import PASSWORD, login, real_problems
from zhonglou_hrss.core.models import Grid, LookupEntry, LookupKind

pytestmark = pytest.mark.e2e


def test_clerk_reads_lookup_names_not_codes(live_server, base_data, make_user, desk_page, screenshot, page_problems):
    """issue 11 item 10: 字典 and the export's 筛选条件 for a clerk: 拖欠工资, never wage_arrears."""
    make_user("clerk_e2e", roles=["district_clerk"], name="王内勤", password=PASSWORD)
    page = desk_page
    page.goto("/desk/")
    login(page, "clerk_e2e")

    page.goto("/desk/core/lookupentry/?kind__exact=case_reason")
    table = page.locator("#result_list")
    expect(table).to_contain_text("拖欠工资")
    expect(table).not_to_contain_text("wage_arrears")
    expect(table.locator("thead")).not_to_contain_text("编码")
    screenshot(page, "lookups_clerk")
    table.get_by_role("link", name="拖欠工资").click()
    expect(page.locator("#content")).to_contain_text("拖欠工资")
    expect(page.locator("#content")).not_to_contain_text("wage_arrears")

    grid = Grid.objects.get(code="320404001")
    reason = LookupEntry.objects.get(kind=LookupKind.CASE_REASON, code="wage_arrears")
    page.goto(f"/desk/kuaiban/exports/?kind=kuaiban_case&grid__id__exact={grid.pk}&reason__id__exact={reason.pk}")
    expect(page.locator("#content")).to_contain_text("网格：五星街道；案由：拖欠工资")
    expect(page.locator("#content")).not_to_contain_text("wage_arrears")
    expect(page.locator("#content")).not_to_contain_text("320404001")
    screenshot(page, "export_filters_clerk")
    assert real_problems(page_problems, page) == []


def test_admin_sees_lookup_codes(live_server, base_data, make_user, desk_page):
    """issue 11 item 10: who maintains the lists sees the codes they refer to."""
    make_user("admin_e2e", roles=["admin"], password=PASSWORD)
    page = desk_page
    page.goto("/desk/")
    login(page, "admin_e2e")
    page.goto("/desk/core/lookupentry/?kind__exact=case_reason")
    expect(page.locator("#result_list thead")).to_contain_text("编码")
    expect(page.locator("#result_list")).to_contain_text("wage_arrears")

