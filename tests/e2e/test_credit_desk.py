"""Credit's desk pages in a real browser (issue 15, R-CR-03, R-CR-04, R-CR-10,
R-CR-11): 信用评价管理员 scores a submitted declaration — changes an item's
points, adds a deduction, confirms 初评 and reads the working of the score
line by line; then the rankings page of a generated version with its ECharts
charts drawn. Screenshots at 1366×768 (build/screenshots/credit_desk_*.png),
no CSP violation, no failed request, nothing wider than the screen; axe-core
on each page (the rules of tests/e2e/test_accessibility.py)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.credit.conftest import YEAR, hr_company
from tests.e2e.desk import PASSWORD, problems
from tests.e2e.desk import login as desk_login
from tests.e2e.test_accessibility import axe  # noqa: F401  (the axe-core fixture)
from tests.e2e.test_csp import Violations
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access
from zhonglou_hrss.credit.models import CriteriaYear
from zhonglou_hrss.credit.services import declarations, scoring
from zhonglou_hrss.credit.services.results import generate_results

pytestmark = pytest.mark.e2e

# The refusal the scoring test provokes on purpose (a point above the cap) answers 400.
EXPECTED = re.compile(r"favicon\.ico|status of 404|/score/ \(400|HTTP 400: .*/score/|status of 400")
WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _declared(staff, n: int, name: str, *, points=1, final=False, veto=False):
    company = hr_company(n)
    company.company_name = name
    company.save(update_fields=["company_name"])
    decide_access(actor=staff, account_id=company.pk, subsystem=Subsystem.CREDIT, approve=True)
    d = declarations.create_declaration(actor=company.user, year=YEAR)
    codes = list(d.lines.values_list("item__code", flat=True))
    declarations.save_declaration(actor=company.user, declaration_id=d.pk, data=declarations.DeclarationInput(
        [declarations.LineInput(c, points, "见附件") for c in codes]))
    declarations.submit_declaration(actor=company.user, declaration_id=d.pk)
    if final:
        scoring.score_items(actor=staff, declaration_id=d.pk, stage="initial",
                            items=[scoring.ScoreInput(c, points, "材料齐全") for c in codes])
        if veto:
            scoring.mark_veto(actor=staff, declaration_id=d.pk, item="VETO-06", basis="一年内三次被查处")
        scoring.confirm_stage(actor=staff, declaration_id=d.pk, stage="initial")
        scoring.confirm_stage(actor=staff, declaration_id=d.pk, stage="final")
    return company, d


@pytest.fixture
def world(live_server, base_data, make_user, monkeypatch):
    staff = make_user("e2e_credit", roles=["credit_staff"], name="周信用", password=PASSWORD)
    today = timezone.localdate()
    CriteriaYear.objects.filter(year=YEAR).update(window_start=today - timedelta(days=1),
                                                  window_end=today + timedelta(days=30))
    _company, waiting = _declared(staff, 1, "常州钟楼人力资源服务有限公司")
    names = ["常州永红人才服务有限公司", "常州新北劳务派遣有限公司", "常州天宁人力资源有限公司",
             "常州武进外包服务有限公司", "常州金坛劳务合作有限公司", "常州溧阳人才派遣有限公司"]
    rated = [_declared(staff, 10 + i, name, points=(1 if i % 2 == 0 else 0), final=True, veto=(i == 5))[0]
             for i, name in enumerate(names)]
    scores = {c.enterprise.uscc: {"hr": D(70 + 5 * i), "hr_n": 3, "employee": D(60 + 6 * i), "employee_n": 8}
              for i, c in enumerate(rated[:4])}
    monkeypatch.setattr("zhonglou_hrss.credit.services.results.composite_scores", lambda year: scores)
    generate_results(actor=staff, year=YEAR)
    return {"staff": staff, "waiting": waiting}


def test_R_CR_03_scoring_page_score_deduct_confirm_and_see_the_working(world, desk_page, page_problems, screenshot):
    page = desk_page
    violations = Violations(page)
    desk_login(page, "e2e_credit")
    page.goto("/desk/credit/declaration/")
    expect(page.locator("#status-counts")).to_be_visible()
    screenshot(page, "credit_desk_declarations")
    page.get_by_role("link", name="常州钟楼人力资源服务有限公司").click()
    expect(page.locator("#declaration-status")).to_have_text("已提交（待初评）")
    screenshot(page, "credit_desk_declaration")
    screenshot(page, "credit_desk_declaration_full", full_page=True)
    assert page.evaluate(WIDER_THAN_SCREEN) <= 0

    # 初评: one item above its cap is refused beside its row, nothing saved; then corrected.
    page.locator("#points_BI-01").fill("9")
    page.locator("#save-scores").click()
    expect(page.locator("#err_BI-01")).to_contain_text("该指标最多5分")
    expect(page.locator("#points_BI-01")).to_have_value("9")
    page.locator("#points_BI-01").fill("3")
    page.locator("#basis_BI-01").fill("营业执照显示经营满9年")
    page.locator("#save-scores").click()
    expect(page.get_by_text("已保存初评分值")).to_be_visible()
    expect(page.locator("#preview-table")).to_contain_text("基本指标")

    # A deduction in 违法行为 with its basis.
    page.locator("#id_deduct_item").select_option("WF-02")
    page.locator("#id_deduct_points").fill("-2")
    page.locator("#id_deduct_basis").fill("被责令改正（劳动保障监察限期整改指令书）")
    page.locator("#deduct-submit").click()
    expect(page.locator("#deductions")).to_contain_text("被责令改正")
    expect(page.locator("#preview-table")).to_contain_text("违法行为")

    # 确认初评 asks first; then the working is on the page.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#confirm-stage").click()
    expect(page.locator("#declaration-status")).to_have_text("初评完成（待终评）")
    working = page.locator("#working-table")
    expect(working).to_contain_text("初始分")
    expect(working).to_contain_text("违法行为")
    expect(working).to_contain_text("信用得分")
    expect(working).to_contain_text("信用等级")
    expect(page.locator("#declaration-score")).to_contain_text("等级")
    page.locator("#working").scroll_into_view_if_needed()
    screenshot(page, "credit_desk_working")
    screenshot(page, "credit_desk_working_full", full_page=True)

    # The return dialog opens over the page (a small form, cancel closes it): not at 终评 — 退回 is only
    # for a submitted declaration, so the button is gone now.
    expect(page.locator("#return-open")).to_have_count(0)
    assert violations.found() == []
    assert problems(page_problems, page, EXPECTED) == []


def test_R_CR_11_rankings_page_with_charts(world, desk_page, page_problems, screenshot):
    page = desk_page
    violations = Violations(page)
    desk_login(page, "e2e_credit")
    page.locator('#nav-sidebar-apps a[href="/desk/credit/resultversion/"]').click()
    expect(page.locator("#version-state")).to_have_text("第1版 · 未发布")
    for chart in ("#chart-grades", "#chart-grade-share", "#chart-histogram"):
        expect(page.locator(f"{chart}[data-rendered='1'] canvas")).to_have_count(1)
    rows = page.locator("#rankings-table tbody tr")
    expect(rows).to_have_count(6)
    expect(rows.last).to_contain_text("常州溧阳人才派遣有限公司")  # the veto ranks last
    expect(page.locator("#formula")).to_contain_text("信用分折算")
    screenshot(page, "credit_desk_results")
    screenshot(page, "credit_desk_results_full", full_page=True)
    assert page.evaluate(WIDER_THAN_SCREEN) <= 0
    page.locator("#id_grade").select_option("C")
    expect(rows).to_have_count(1)
    page.locator("#id_sort").select_option("rank_hr")
    expect(page.locator("#id_sort")).to_have_value("rank_hr")
    expect(page.locator("#id_grade")).to_have_value("C")
    page.goto("/desk/credit/criteriayear/")
    screenshot(page, "credit_desk_criteria_list")
    page.get_by_role("link", name=f"{YEAR}年度").click()
    expect(page.locator("#year-form")).to_be_visible()
    screenshot(page, "credit_desk_criteria_year")
    screenshot(page, "credit_desk_criteria_year_full", full_page=True)
    assert page.evaluate(WIDER_THAN_SCREEN) <= 0
    assert violations.found() == []
    assert problems(page_problems, page) == []


def test_R_CR_03_axe_on_the_credit_desk_pages(world, axe):  # noqa: F811  (the fixture of test_accessibility)
    page = axe.page("desk")
    desk_login(page, "e2e_credit")
    waiting = world["waiting"]
    for name, url in (("declarations", "/desk/credit/declaration/"),
                      ("declaration", f"/desk/credit/declaration/{waiting.pk}/"),
                      ("criteria_list", "/desk/credit/criteriayear/"),
                      ("criteria_year", f"/desk/credit/criteriayear/{YEAR}/"),
                      ("results", "/desk/credit/resultversion/")):
        page.goto(url)
        axe.check(page, f"credit_desk_{name}")
    page.goto(f"/desk/credit/declaration/{waiting.pk}/")
    page.locator("#return-open").click()
    expect(page.locator("#return-form")).to_be_visible()
    axe.check(page, "credit_desk_return_dialog")
    page.locator("#return-submit").click()
    expect(page.locator("#err_return_reason")).to_be_visible()
    axe.check(page, "credit_desk_return_errors")
    axe.assert_clean()
