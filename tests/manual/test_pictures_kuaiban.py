"""The pictures of the kuaiban staff manuals (issue 18): 系统管理员, 区后勤人员, 领导,
监察员 and 网格员 (on a phone), each walked through the real pages as that demo
user on the demo data — the steps the manual tells, in its order. One module:
the demo data is loaded once (tests/manual/conftest.py); tests that change a
case pick their own (by status), so their order does not matter."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.manual.conftest import in_thread

pytestmark = pytest.mark.e2e
DEMO_PASSWORD = "demo12345"


def case_id(**filters) -> int:
    def first():
        from zhonglou_hrss.kuaiban.models import Case

        case = Case.objects.filter(**filters).order_by("pk").first()
        assert case is not None, f"演示数据里没有这样的事件：{filters}"
        return case.pk

    return in_thread(first)


def user_pk(username: str) -> int:
    from zhonglou_hrss.core.models import User

    return User.objects.get(username=username).pk


def actions(page):
    return page.locator("#case-actions")


def dialog(page, name: str):
    return page.get_by_role("dialog", name=name)


def done(page, text: str):
    expect(page.get_by_text(text).first).to_be_visible()


def test_admin_manual_pictures(desk_as, shot):
    """admin.md: home, a new user and their roles, import, a role's permissions, grids, custom fields, audit, health."""
    page = desk_as("admin")
    page.goto("/desk/")
    shot(page, "admin/home", highlight=page.get_by_text("最近一次成功备份").locator(".."))
    page.goto("/desk/core/user/add/")
    page.get_by_label("用户名").fill("grid_new")
    page.get_by_label("姓名").fill("新网格员")
    shot(page, "admin/user_add", highlight=page.get_by_role("button", name="保存并继续编辑"))
    clerk = in_thread(user_pk, "clerk")
    page.goto(f"/desk/core/user/{clerk}/change/")
    roles = page.get_by_text("角色与网格").first
    roles.scroll_into_view_if_needed()
    shot(page, "admin/user_roles", highlight=page.get_by_label("角色"))
    page.goto("/desk/core/user/import/")
    shot(page, "admin/import", highlight=page.get_by_role("link", name="下载导入模板（Excel）"))
    page.goto("/desk/core/role/")
    page.get_by_role("link", name="网格员", exact=True).first.click()
    page.wait_for_load_state("load")
    shot(page, "admin/role", highlight=page.get_by_text("进入工作台（后台）").first)
    page.goto("/desk/core/grid/")
    shot(page, "admin/grids", highlight=page.get_by_role("link", name="320404001"))
    page.goto("/desk/core/customfield/add/")
    shot(page, "admin/custom_field", highlight=page.get_by_label("对象"))
    page.goto("/desk/core/auditlog/")
    shot(page, "admin/audit")
    page.goto("/desk/system/health/")
    shot(page, "admin/health", highlight=page.get_by_role("cell", name="最近备份"))


def test_clerk_manual_pictures(desk_as, shot):
    """clerk.md: home, the case list, registering a case, triage, a petition, enterprises, export, QR posters."""
    page = desk_as("clerk")
    page.goto("/desk/")
    shot(page, "clerk/home", highlight=page.locator("#work-cards"))
    page.goto("/desk/kuaiban/case/")
    shot(page, "clerk/case_list", highlight=page.locator("#case-columns summary"))
    page.locator("#content").get_by_role("link", name="内部登记").click()
    page.get_by_label("上报人姓名").fill("周明")
    page.get_by_label("身份证号").first.fill("320404199001011231")
    page.get_by_label("手机号").first.fill("13812345678")
    page.get_by_label("对方单位名称").fill("常州钟晟精密机械有限公司")
    page.get_by_label("案由").select_option(label="拖欠工资")
    page.get_by_label("所属网格").select_option(label="五星街道")
    page.get_by_label("来源渠道").select_option(label="来访")
    page.get_by_label("具体诉求").fill("要求支付拖欠的3个月工资")
    shot(page, "clerk/register", highlight=page.get_by_role("button", name="登记", exact=True))
    page.get_by_role("button", name="登记", exact=True).click()
    done(page, "已登记事件")
    shot(page, "clerk/registered", highlight=page.get_by_text("已登记事件").first)

    page.goto(f"/desk/kuaiban/case/{case_id(status='district_triage')}/")
    actions(page).get_by_role("button", name="重新指定网格").click()
    shot(page, "clerk/triage", highlight=dialog(page, "重新指定网格").get_by_label("新网格"))

    page.goto("/desk/kuaiban/petition/new/")
    page.get_by_label("姓名").first.fill("钱芳")
    shot(page, "clerk/petition", highlight=page.get_by_role("button", name="保存", exact=True))
    page.goto("/desk/core/enterprise/")
    shot(page, "clerk/enterprises", highlight=page.get_by_role("link", name="查看全貌").first)
    page.goto("/desk/kuaiban/case/?status=closed")
    shot(page, "clerk/export_list", highlight=page.get_by_role("button", name="导出当前列表"))
    page.get_by_role("button", name="导出当前列表").click()
    expect(page.get_by_role("link", name="下载 Excel")).to_be_visible()
    shot(page, "clerk/export_done", highlight=page.get_by_role("link", name="下载 Excel"))
    page.get_by_role("link", name="返回导出页").click()
    page.get_by_label("完整（须填写理由）").check()
    page.get_by_label("完整导出的理由").fill("市信访局来函核查，需核对身份")
    shot(page, "clerk/export", highlight=page.get_by_role("button", name="开始导出"))
    shot.assert_labels("clerk", "export")
    page.goto("/kuaiban/qr/")
    shot(page, "clerk/qr", highlight=page.get_by_role("link", name="PDF").first)


def test_leader_manual_pictures(desk_as, shot):
    """leader.md: home cards, assigning an inspector, the one map, the analysis, a custom report."""
    page = desk_as("leader")
    page.goto("/desk/")
    shot(page, "leader/home", highlight=page.locator("#work-cards"))
    page.goto(f"/desk/kuaiban/case/{case_id(status='awaiting_assignment')}/")
    actions(page).get_by_role("button", name="指派监察员").click()
    box = dialog(page, "指派监察员")
    box.get_by_label("监察员").select_option(label="张监察（inspector1）")
    shot(page, "leader/assign", highlight=box.get_by_role("button", name="确认指派监察员"))
    page.goto("/desk/kuaiban/stats/map/")
    page.wait_for_load_state("networkidle")
    shot(page, "leader/map", highlight=page.get_by_role("link", name="导出Excel").first)
    page.goto("/desk/kuaiban/stats/analysis/")
    page.wait_for_load_state("networkidle")
    shot(page, "leader/analysis")
    page.goto("/desk/platform/savedreport/new/")
    page.wait_for_load_state("networkidle")
    shot(page, "leader/report", highlight=page.get_by_role("button", name="查看结果"))


def test_inspector_manual_pictures(desk_as, shot):
    """inspector.md: the leader assigns a case to inspector1, who claims it, records the
    milestones, the handling with a penalty, the penalty decision, closes it and records the execution."""
    number = case_id(status="awaiting_assignment")
    leader = desk_as("leader")
    leader.goto(f"/desk/kuaiban/case/{number}/")
    actions(leader).get_by_role("button", name="指派监察员").click()
    dialog(leader, "指派监察员").get_by_label("监察员").select_option(label="张监察（inspector1）")
    dialog(leader, "指派监察员").get_by_role("button", name="确认指派监察员").click()
    done(leader, "已完成：指派监察员")

    page = desk_as("inspector1")
    page.goto("/desk/kuaiban/case/")
    shot(page, "inspector/list", highlight=page.locator("#content").get_by_role("link", name="KB").first)
    page.goto(f"/desk/kuaiban/case/{number}/")
    shot(page, "inspector/claim", highlight=actions(page).get_by_role("button", name="确认认领"))
    actions(page).get_by_role("button", name="确认认领").click()
    done(page, "已完成：确认认领")

    actions(page).get_by_role("button", name="记录立案时间").click()
    shot(page, "inspector/filing", highlight=dialog(page, "记录立案时间").get_by_role("button", name="确认记录立案时间"))
    dialog(page, "记录立案时间").get_by_role("button", name="确认记录立案时间").click()
    done(page, "已完成：记录立案时间")
    actions(page).get_by_role("button", name="记录调查时间").click()
    dialog(page, "记录调查时间").get_by_role("button", name="确认记录调查时间").click()
    done(page, "已完成：记录调查时间")

    actions(page).get_by_role("button", name="记录处理结果").click()
    box = dialog(page, "记录处理结果")
    box.get_by_label("处理金额（元）").fill("12000")
    box.get_by_label("处理结果").fill("责令企业限期支付拖欠工资")
    box.get_by_label("对方单位统一社会信用代码").fill("91320404292328242T")
    box.get_by_label("归属网格（统计用）").select_option(label="永红街道")
    box.get_by_label("需要处罚").check()
    shot(page, "inspector/handling", highlight=box.get_by_role("button", name="确认记录处理结果"))
    box.get_by_role("button", name="确认记录处理结果").click()
    done(page, "已完成：记录处理结果")

    actions(page).get_by_role("button", name="记录处罚决定时间").click()
    dialog(page, "记录处罚决定时间").get_by_role("button", name="确认记录处罚决定时间").click()
    done(page, "已完成：记录处罚决定时间")
    shot(page, "inspector/close", highlight=actions(page).get_by_role("button", name="办结"))
    actions(page).get_by_role("button", name="办结").click()
    # 办结 asks first (workflow: confirm=…); its dialog opens a moment after the click (Alpine's
    # x-show), so wait for its button rather than counting dialogs at once.
    dialog(page, "办结").get_by_role("button", name="确认办结").click()
    done(page, "已完成：办结")

    actions(page).get_by_role("button", name="补录执行情况").click()
    box = dialog(page, "补录执行情况")
    shot(page, "inspector/execution", highlight=box.locator("input").last)
    for section in ("claim", "milestones", "handling", "close", "execution"):
        shot.assert_labels("inspector", section)


def test_grid_manual_pictures(phone_as, shot):
    """grid.md on a phone: sign in, the list, accept a case, mediate it successfully; the failure and return forms."""
    page = phone_as(None)
    page.goto("/desk/login/")
    page.get_by_label("用户名").fill("grid_320404002")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    shot(page, "grid/login", highlight=page.get_by_role("button", name="登录"))
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")
    shot(page, "grid/home", highlight=page.locator("#work-cards").get_by_text("待我处理").first.locator(".."))
    shot.assert_labels("grid", "login")

    page.goto("/desk/kuaiban/case/")
    shot(page, "grid/list")
    pending = case_id(status="grid_pending", grid__code="320404002")
    page.goto(f"/desk/kuaiban/case/{pending}/")
    shot(page, "grid/accept", highlight=actions(page).get_by_role("button", name="确认接收"))
    actions(page).get_by_role("button", name="确认接收").click()
    done(page, "已完成：确认接收")

    actions(page).get_by_role("button", name="调解成功").click()
    box = dialog(page, "调解成功")
    box.get_by_label("成功方式").select_option(label="企业主动支付")
    box.get_by_label("金额（元）").fill("8600")
    shot(page, "grid/resolve", highlight=box.get_by_role("button", name="确认调解成功"))
    box.get_by_role("button", name="确认调解成功").click()
    done(page, "已完成：调解成功")

    handling = case_id(status="grid_handling", grid__code="320404002")
    page.goto(f"/desk/kuaiban/case/{handling}/")
    actions(page).get_by_role("button", name="调解失败").click()
    # Every action's form names its field alike (ids repeat across the dialogs): find it in the dialog.
    dialog(page, "调解失败").locator("textarea, input[type=text]").first.fill("企业负责人拒不到场，调解失败")
    shot(page, "grid/fail", highlight=dialog(page, "调解失败").get_by_role("button", name="确认调解失败"))
    page.keyboard.press("Escape")
    page.goto(f"/desk/kuaiban/case/{handling}/")
    actions(page).get_by_role("button", name="退回（非本网格）").click()
    dialog(page, "退回（非本网格）").locator("textarea, input[type=text]").first.fill("企业注册地与经营地均不在本网格")
    shot(page, "grid/return", highlight=dialog(page, "退回（非本网格）").get_by_role("button", name="确认退回（非本网格）"))
