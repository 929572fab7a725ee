"""The pictures of docs/manual/credit_staff.md (信用评价管理员, issue 18), taken
on the demo data as credit_staff at 1366×768."""

import pytest

pytestmark = pytest.mark.e2e


def test_credit_staff_pictures_home_accounts_criteria_declaration(demo_server, desk_as, shot):
    """R-CR-01, 02, 04, 06: desk home, an HR company's account, the year's criteria, a declaration's scoring."""
    page = desk_as("credit_staff")
    page.goto("/desk/")
    shot(page, "credit_staff/home", highlight=page.get_by_text("待终评信用申报").first)
    page.goto("/desk/core/enterpriseaccount/?credit=pending")
    page.get_by_role("link", name="常州新北劳务派遣有限公司").click()
    shot(page, "credit_staff/account", highlight=page.get_by_role("button", name="审核通过"))
    page.goto("/desk/credit/criteriayear/")
    page.get_by_role("link", name="2026年度").first.click()
    shot(page, "credit_staff/criteria", highlight=page.get_by_role("button", name="复制上一年"))
    page.goto("/desk/credit/declaration/")
    page.get_by_role("link", name="常州钟楼人力资源服务有限公司").click()
    shot(page, "credit_staff/declaration", highlight=page.get_by_role("button", name="确认终评"))
    box = page.locator("#deduct-box")
    box.scroll_into_view_if_needed()
    shot(page, "credit_staff/deductions", highlight=box.get_by_role("button", name="记录扣分"))


def test_credit_staff_generates_results_picture(demo_server, desk_as, shot):
    """R-CR-09, 10: 生成结果 makes version 1 with rankings and charts; 导出Excel and 发布 are offered."""
    page = desk_as("credit_staff")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/desk/credit/resultversion/?year=2026")
    page.locator("#generate").click()
    page.wait_for_load_state("load")
    publish = page.locator("#publish")
    assert publish.inner_text().strip() == "发布第1版"
    assert page.get_by_text("常州永红人才服务有限公司").count() >= 1
    shot(page, "credit_staff/results", highlight=publish)
    shot.assert_labels("credit_staff", "results")
