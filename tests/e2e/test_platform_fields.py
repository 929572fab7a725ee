"""Issue 17 in a real browser: the 系统管理员 adds a field to 快办事件 on the
desk page (a bad code refused by the field, then saved), the clerk's
registration form offers it with its help and a required mark, a wrong value
is refused next to it, the saved case shows it; axe on the pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e import test_accessibility
from tests.e2e.desk import PASSWORD, login
from tests.e2e.test_desk_login import real_problems
from zhonglou_hrss.core.models import CustomField
from zhonglou_hrss.kuaiban.models import Case

pytestmark = pytest.mark.e2e
axe = test_accessibility.axe


def test_an_administrator_adds_a_field_and_the_clerk_fills_it(
    live_server, base_data, make_user, desk_page, screenshot, page_problems
):
    make_user("cf_admin_e2e", roles=["admin"], name="系统管理员", password=PASSWORD)
    make_user("cf_clerk_e2e", roles=["district_clerk"], name="王内勤", password=PASSWORD)
    page = desk_page
    login(page, "cf_admin_e2e")
    page.goto("/desk/core/customfield/add/")
    page.get_by_label("对象").select_option("case")
    page.get_by_label("字段代码").fill("Arrears Months")
    page.get_by_label("名称").fill("欠薪月数")
    page.get_by_label("类型").select_option("number")
    page.get_by_label("必填").check()
    page.get_by_label("填写说明").fill("按月计，不足一月按一月")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("字段代码须小写字母开头")).to_be_visible()
    assert not CustomField.objects.exists()
    page.get_by_label("字段代码").fill("arrears_months")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("欠薪月数").first).to_be_visible()
    screenshot(page, "platform_field_list")
    assert CustomField.objects.get().code == "arrears_months"

    page.context.clear_cookies()  # sign out: the clerk's turn
    login(page, "cf_clerk_e2e")
    page.goto("/desk/kuaiban/case/register/")
    field = page.get_by_label("欠薪月数")
    expect(field).to_be_visible()
    expect(page.get_by_text("按月计，不足一月按一月")).to_be_visible()
    page.get_by_label("上报人姓名").fill("李四")
    page.get_by_label("身份证号").fill("11010519491231002X")
    page.get_by_label("手机号").fill("13800138000")
    page.get_by_label("对方单位名称").fill("常州某某机械有限公司")
    page.get_by_label("案由").select_option("wage_arrears")
    page.get_by_label("所属网格").select_option("320404001")
    page.get_by_label("来源渠道").select_option("phone")
    page.get_by_label("具体诉求").fill("讨要三个月工资")
    field.fill("三个")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_text("欠薪月数：应为整数")).to_be_visible()
    screenshot(page, "platform_field_error", full_page=True)
    assert not Case.objects.exists()
    page.get_by_label("欠薪月数").fill("3")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_text("已登记事件")).to_be_visible()
    expect(page.locator("dl").get_by_text("欠薪月数")).to_be_visible()
    screenshot(page, "platform_field_case", full_page=True)
    assert Case.objects.get().custom == {"arrears_months": 3}
    # The refused registration answered 400 on purpose (the form with its errors); nothing else.
    assert [p for p in real_problems(page_problems, page) if "400" not in p] == []


def test_the_field_pages_pass_axe(live_server, base_data, make_user, axe):
    make_user("cf_admin_axe", roles=["admin"], password=PASSWORD)
    page = axe.page("desk")
    test_accessibility.login(page, "cf_admin_axe")
    for name, url in (("desk_custom_fields", "/desk/core/customfield/"),
                      ("desk_custom_field_add", "/desk/core/customfield/add/")):
        page.goto(url)
        axe.check(page, name)
    axe.assert_clean()


def test_the_enterprise_list_shows_a_custom_column_and_filters_by_range(
    live_server, base_data, make_user, desk_page, screenshot, page_problems
):
    """Issue 17: the desk's enterprise list with the fields marked 在列表中显示 as columns, and a
    number range in the sidebar keeping the right company."""
    from tests.custom_lists import A, B, define_fields, give
    from zhonglou_hrss.core.models import Enterprise
    from zhonglou_hrss.core.validators import uscc_check_char

    admin = make_user("cf_admin_list", roles=["admin"], name="系统管理员", password=PASSWORD)
    define_fields(admin, "enterprise")
    for n, values in enumerate((A, B)):
        body = f"91320404MA1X0E2{n}1"
        give(Enterprise.objects.create(uscc=body + uscc_check_char(body), name=f"浏览器字段企业{'甲乙'[n]}"),
             "enterprise", values)
    page = desk_page
    login(page, "cf_admin_list")
    page.goto("/desk/core/enterprise/")
    table = page.locator("#result_list")
    expect(table.get_by_role("columnheader", name="级别")).to_be_visible()
    expect(table.get_by_role("columnheader", name="职工人数")).to_be_visible()
    expect(table.get_by_text("乙类")).to_be_visible()
    expect(table.get_by_text("张**")).to_be_visible()
    screenshot(page, "platform_enterprise_custom_columns", full_page=True)
    page.goto("/desk/core/enterprise/?custom.staff_from=10")
    expect(page.locator("#result_list").get_by_text("浏览器字段企业乙")).to_be_visible()
    expect(page.locator("#result_list").get_by_text("浏览器字段企业甲")).to_have_count(0)
    screenshot(page, "platform_enterprise_custom_range", full_page=True)
    assert real_problems(page_problems, page) == []
