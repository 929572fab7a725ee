"""Issue 11 item 10 in a real browser: clerks read lookups by their Chinese
names (the code only for who maintains the lists), and the desk writes times
one way — 2026-12-02 20:44, never 2026年12月2日."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.test_desk_login import PASSWORD, login, real_problems
from zhonglou_hrss.core.models import AuditLog, Grid, LookupEntry, LookupKind, User

pytestmark = pytest.mark.e2e

CHINESE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
DESK_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


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


def test_desk_times_one_way(live_server, base_data, make_user, desk_page, screenshot, page_problems):
    """issue 11 item 10: users (上次登录), a user's page, the audit log: 2026-12-02 20:44."""
    make_user("admin_e2e", roles=["admin"], name="系统管理员", password=PASSWORD)
    person = make_user("dated_e2e", roles=["leader"], name="某人", password=PASSWORD)
    at = dt.datetime(2026, 12, 2, 20, 44, tzinfo=ZoneInfo("Asia/Shanghai"))
    User.objects.filter(pk=person.pk).update(last_login=at, date_joined=at)
    page = desk_page
    page.goto("/desk/")
    login(page, "admin_e2e")

    page.goto("/desk/core/user/")
    row = page.locator("#result_list tr", has_text="dated_e2e")
    expect(row.locator("td.field-last_login")).to_have_text("2026-12-02 20:44")
    expect(page.locator("#result_list tr", has_text="admin_e2e").locator("td.field-last_login")).to_have_text(
        DESK_TIME)
    assert not CHINESE_DATE.search(page.locator("#content").inner_text())
    screenshot(page, "users_dates")

    page.goto(f"/desk/core/user/{person.pk}/change/")
    expect(page.locator("#content")).to_contain_text("2026-12-02 20:44")
    assert not CHINESE_DATE.search(page.locator("#content").inner_text())

    AuditLog.objects.filter(actor_username="admin_e2e").update(at=at)
    page.goto("/desk/core/auditlog/?q=admin_e2e")
    expect(page.locator("#result_list .field-at", has_text="2026-12-02 20:44")).to_have_count(1)
    text = page.locator("#content").inner_text()
    assert not CHINESE_DATE.search(text), CHINESE_DATE.search(text)
    screenshot(page, "audit_dates")
    assert real_problems(page_problems, page) == []
