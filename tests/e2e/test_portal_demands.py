"""Talent demands in a real browser (issue 13): an enterprise fills the demand
form with many rows — three positions added, majors added, one major and one
position removed in place — is refused with the error at its row's field and
nothing lost, corrects it and submits; then the outcome; 就业后台 review it,
and the statistics page draws its charts; the enterprise page. Screenshots of
every new page at 1366×768 and 375×812 (build/screenshots/demand_*.png), no
CSP violation, no failed request, nothing wider than the screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.desk import login as desk_login
from tests.e2e.test_accessibility import axe  # noqa: F401  (the axe-core fixture)
from tests.e2e.test_csp import Violations
from tests.e2e.test_portal import PASSWORD, problems
from tests.portal.conftest import registration
from tests.portal.demands import approved_demand, demand_input, demand_position
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access, register_account
from zhonglou_hrss.portal.models import Demand, DemandStatus
from zhonglou_hrss.portal.services.demands import MajorInput, decide_demand, save_demand, submit_demand

pytestmark = pytest.mark.e2e
SIZES = ["desk", "phone"]


@pytest.fixture
def world(live_server, base_data, make_user):
    staff = make_user("e2e_demands", roles=["portal_staff"], name="陈就业", password=PASSWORD)
    ent = register_account(data=registration(1, password=PASSWORD, name="常州钟晟精密机械有限公司"))
    other = register_account(data=registration(2, password=PASSWORD, name="常州龙城新能源科技有限公司",
                                                industrial_chain="nev_auto_parts"))
    pending = register_account(data=registration(3, password=PASSWORD, name="常州荷花池餐饮管理有限公司"))
    for account in (ent, other):
        decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=True)
    # Figures for the statistics: approved demands with outcomes, one waiting.
    approved_demand(ent.user, staff, demand_input(positions=[
        demand_position(1, position="technician", headcount=12, age_band="26_35", education="junior_college",
                        salary_min=6000, salary_max=9000, majors=[MajorInput("08", 6)]),
        demand_position(2, headcount=30, gender="male", salary_min=4500, salary_max=6000)],
        services=["job_fair", "school_enterprise"]), outcome="completed")
    approved_demand(other.user, staff, demand_input(positions=[
        demand_position(1, position="电池检测工", headcount=40, age_band="18_25", education="bachelor",
                        gender="female", salary_min=7000, salary_max=10000, majors=[MajorInput("12", 10)])],
        services=["job_fair"]), outcome="partial", hired=25)
    waiting = save_demand(actor=other.user, data=demand_input(positions=2))
    submit_demand(actor=other.user, demand_id=waiting.pk)
    return {"staff": staff, "ent": ent, "other": other, "pending": pending, "waiting": waiting}


def portal_login(page, username):
    page.goto("/portal/login/")
    page.get_by_label("登录账号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#status-badge")).to_be_visible()


def fill_position(page, index, *, post="general_worker", other="", headcount="10", salary=("4500", "6000")):
    p = f"positions[{index}]"
    page.locator(f'select[name="{p}.position"]').select_option(post)
    if other:
        expect(page.locator(f'input[name="{p}.position_other"]')).to_be_visible()
        page.locator(f'input[name="{p}.position_other"]').fill(other)
    page.locator(f'input[name="{p}.headcount"]').fill(headcount)
    page.locator(f'select[name="{p}.gender"]').select_option("any")
    page.locator(f'select[name="{p}.employment_type"]').select_option("contract")
    page.locator(f'input[name="{p}.salary_min"]').fill(salary[0])
    page.locator(f'input[name="{p}.salary_max"]').fill(salary[1])
    for field, value in (("age_band", "18_25"), ("education", "senior_high"), ("skill_level", "any"),
                         ("experience", "any")):
        page.locator(f'select[name="{p}.{field}"]').select_option(value)
    page.locator(f'textarea[name="{p}.description"]').fill(f"岗位{index}的工作内容")


def row(page, index):
    return page.locator(f'[data-position][data-prefix="positions[{index}]"]')


def add_major(page, index, category, headcount):
    r = row(page, index)
    r.get_by_role("button", name="＋ 增加专业").click()
    major = r.locator("[data-major]").last
    major.locator("select").select_option(category)
    major.locator("input").fill(headcount)


def no_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("size", SIZES)
def test_R_PT_05_the_form_with_many_rows(world, request, page_problems, screenshot, size):
    page = request.getfixturevalue(f"{size}_page")
    tag = "pc" if size == "desk" else "phone"
    csp = Violations(page)
    portal_login(page, "ent1")
    page.goto("/portal/demands/")
    screenshot(page, f"demand_{tag}_portal_list", full_page=True)
    page.get_by_role("link", name="新建需求").first.click()
    expect(page.locator("#demand-form")).to_be_visible()
    expect(page.locator("#demand-industry")).to_have_text("制造业")  # from the profile
    page.get_by_label("企业用工规模（人）").fill("320")
    page.get_by_label("3月").check()
    page.get_by_label("4月").check()
    page.get_by_label("组织招聘会").check()
    fill_position(page, 0)
    for _ in range(3):
        page.get_by_role("button", name="＋ 增加岗位").click()
    expect(page.locator("[data-position]")).to_have_count(4)
    expect(page.locator("[data-position-number]")).to_have_text(["1", "2", "3", "4"])
    fill_position(page, 1, post="__other__", other="激光焊接工", headcount="6")
    fill_position(page, 2, headcount="3")
    fill_position(page, 3, post="technician", headcount="8", salary=("9000", "5000"))  # max below min
    add_major(page, 0, "08", "2")
    add_major(page, 0, "12", "3")
    add_major(page, 1, "09", "2")
    add_major(page, 3, "08", "1")
    add_major(page, 3, "09", "1")
    row(page, 3).locator("[data-major]").last.get_by_role("button", name="删除专业").click()
    expect(row(page, 3).locator("[data-major]")).to_have_count(1)
    row(page, 2).get_by_role("button", name="删除该岗位").click()
    expect(page.locator("[data-position]")).to_have_count(3)
    expect(page.locator("[data-position-number]")).to_have_text(["1", "2", "3"])
    screenshot(page, f"demand_{tag}_portal_form", full_page=True)

    page.get_by_role("button", name="提交审核").click()
    # Refused: the third row (now positions[2]) carries the error; everything typed is kept.
    expect(page.locator("#id_positions2-salary_max-err")).to_have_text("月薪上限不能低于月薪下限")
    expect(page.locator("[data-position]")).to_have_count(3)
    expect(page.locator('input[name="positions[1].position_other"]')).to_have_value("激光焊接工")
    expect(page.locator('input[name="positions[2].salary_min"]')).to_have_value("9000")
    expect(page.locator('select[name="positions[0].majors[1].category"]')).to_have_value("12")
    expect(page.get_by_label("3月")).to_be_checked()
    assert Demand.objects.filter(account=world["ent"]).count() == 1  # only the fixture's
    screenshot(page, f"demand_{tag}_portal_form_errors", full_page=True)

    page.locator('input[name="positions[2].salary_max"]').fill("12000")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#demand-status")).to_have_text("待审核")
    demand = Demand.objects.get(account=world["ent"], status=DemandStatus.PENDING)
    rows = list(demand.positions.order_by("order"))
    assert [p.position_text for p in rows][1:] == ["激光焊接工", rows[2].position_text]
    assert [p.majors.count() for p in rows] == [2, 1, 1] and rows[2].salary_max == 12000
    screenshot(page, f"demand_{tag}_portal_detail", full_page=True)
    no_overflow(page)

    # Approved by staff: no more edits; the outcome form, correctable for 30 days.
    decide_demand(actor=world["staff"], demand_id=demand.pk, approve=True)
    page.reload()
    expect(page.locator("#demand-edit")).to_have_count(0)
    expect(page.locator("#outcome-window")).to_contain_text("30天")
    for p in rows:
        page.locator(f"#id_hired_{p.pk}").fill("2")
    page.get_by_label("未完全达成").check()
    screenshot(page, f"demand_{tag}_portal_outcome", full_page=True)
    page.get_by_role("button", name="提交招聘结果").click()
    expect(page.locator("#outcome-status")).to_have_text("未完全达成")
    page.wait_for_load_state("networkidle")  # (a navigation now would abort the page's last requests)
    page.goto("/portal/demands/")
    expect(page.locator(f'[data-demand="{demand.pk}"]')).to_contain_text("未完全达成")
    no_overflow(page)
    assert csp.found() == []
    assert problems(page_problems, page) == []


@pytest.mark.parametrize("size", SIZES)
def test_R_PT_04_a_pending_account_is_told_why(world, request, page_problems, screenshot, size):
    page = request.getfixturevalue(f"{size}_page")
    tag = "pc" if size == "desk" else "phone"
    portal_login(page, "ent3")
    page.goto("/portal/demands/new/")
    expect(page.locator("#refusal")).to_contain_text("账号待审核")
    expect(page.locator("#demand-form")).to_have_count(0)
    screenshot(page, f"demand_{tag}_portal_refused", full_page=True)
    no_overflow(page)


@pytest.mark.parametrize("size", SIZES)
def test_R_PT_13_14_review_and_statistics_in_the_desk(world, request, page_problems, screenshot, size):
    page = request.getfixturevalue(f"{size}_page")
    tag = "pc" if size == "desk" else "phone"
    csp = Violations(page)
    desk_login(page, "e2e_demands")
    page.goto("/desk/portal/demand/")
    expect(page.locator("#result_list")).to_contain_text("常州龙城新能源科技有限公司")
    screenshot(page, f"demand_{tag}_desk_list", full_page=True)

    waiting = world["waiting"]
    page.goto(f"/desk/portal/demand/{waiting.pk}/")
    expect(page.locator("#demand-status")).to_have_text("待审核")
    page.locator("#reject-open").click()
    page.locator("#id_reason").fill("岗位描述过于简单，请补充工作内容")
    screenshot(page, f"demand_{tag}_desk_detail", full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#reject").click()
    expect(page.locator("#demand-status")).to_have_text("未通过")
    expect(page.locator("#timeline")).to_contain_text("审核不通过")
    assert Demand.objects.get(pk=waiting.pk).reject_reason == "岗位描述过于简单，请补充工作内容"
    page.wait_for_load_state("networkidle")

    page.goto("/desk/portal/demand/stats/")
    expect(page.locator('#stats-cards [data-figure="approved"] .zl-card-value')).to_have_text("2")
    for key in ("age_band", "education", "gender", "salary_band", "major_category", "industrial_chain", "services",
                "enterprises"):
        expect(page.locator(f'#chart-{key}[data-rendered="1"] canvas')).to_have_count(1)
    expect(page.locator("#definitions")).to_contain_text("满意度")
    page.wait_for_timeout(300)
    screenshot(page, f"demand_{tag}_desk_stats", full_page=True)
    no_overflow(page)
    with page.expect_download() as download:
        page.locator("#export").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto(f"/desk/core/enterprise/uscc/{world['other'].enterprise.uscc}/")
    expect(page.locator('[data-section="demands"]')).to_contain_text("未通过")
    screenshot(page, f"demand_{tag}_desk_enterprise", full_page=True)
    no_overflow(page)
    assert csp.found() == []
    # (a download "aborts" the navigation that fetched it)
    assert [p for p in problems(page_problems, page) if "stats/export/" not in p] == []


def test_axe_on_the_demand_pages(world, axe):  # noqa: F811  (the fixture of test_accessibility)
    """axe-core (the rules of tests/e2e/test_accessibility.py) on the new pages, portal and desk."""
    ent, staff = world["ent"], world["staff"]
    demand = Demand.objects.filter(account=ent).first()
    for kind in ("desk", "phone"):
        page = axe.page(kind)
        portal_login(page, "ent1")
        page.goto("/portal/demands/")
        axe.check(page, f"demand_{kind}_portal_list")
        page.goto("/portal/demands/new/")
        page.get_by_role("button", name="＋ 增加岗位").click()
        row(page, 1).get_by_role("button", name="＋ 增加专业").click()
        axe.check(page, f"demand_{kind}_portal_form")
        page.locator('input[name="positions[1].headcount"]').fill("0")
        page.get_by_role("button", name="保存草稿").click()
        expect(page.locator(".pt-alert--error")).to_be_visible()
        axe.check(page, f"demand_{kind}_portal_form_errors")
        page.goto(f"/portal/demands/{demand.pk}/")
        axe.check(page, f"demand_{kind}_portal_detail")
    page = axe.page("desk")
    desk_login(page, staff.username)
    for name, url in (("list", "/desk/portal/demand/"), ("detail", f"/desk/portal/demand/{world['waiting'].pk}/"),
                      ("stats", "/desk/portal/demand/stats/"),
                      ("enterprise", f"/desk/core/enterprise/uscc/{ent.enterprise.uscc}/")):
        page.goto(url)
        axe.check(page, f"demand_desk_{name}")
    axe.assert_clean()
