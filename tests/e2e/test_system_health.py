"""Issue 9 in a real browser: 系统管理员's desk home with the backup warning
and the 系统状态 page — accessible (axe-core: no serious problem, one h1),
and under the Content-Security-Policy with no violation and no page error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.desk import PASSWORD, login, problems
from tests.e2e.test_accessibility import axe  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e

WATCH = """
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective));
"""


@pytest.fixture
def sysadmin(base_data, make_user):
    return make_user("e2e_sysadmin", roles=["admin"], name="系统管理员", password=PASSWORD)


def _home_then_status(page):
    login(page, "e2e_sysadmin")
    card = page.locator("#work-cards a.zl-card", has_text="最近一次成功备份")
    expect(card).to_contain_text("从未备份")
    expect(card).to_have_class("zl-card zl-red")
    return card


def test_issue_9_admin_home_and_system_status_are_accessible(live_server, sysadmin, axe):  # noqa: F811
    page = axe.page("desk")
    card = _home_then_status(page)
    axe.check(page, "desk_home_admin_backup_warning")
    card.click()
    expect(page.locator("#health-checks")).to_contain_text("数据库")
    axe.check(page, "desk_system_health")
    axe.assert_clean()


def test_issue_9_system_status_under_the_csp(live_server, sysadmin, desk_page, page_problems):
    desk_page.add_init_script(WATCH)
    _home_then_status(desk_page).click()
    expect(desk_page.locator("#health-cron")).to_contain_text("夜间备份")
    desk_page.wait_for_load_state("networkidle")
    assert desk_page.evaluate("window.__csp") == []
    assert problems(page_problems, desk_page) == []
