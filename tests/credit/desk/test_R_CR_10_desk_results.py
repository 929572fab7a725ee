"""评价结果 in the desk (R-CR-07, R-CR-09, R-CR-10, R-CR-11): choose a year,
生成结果 makes a new version each time (who, when, the inputs' counts), the
versions, a version's rankings (filter by grade, sort by any rank,
paginated), the formula and weights on the page, the charts' data, 发布
(freezes the year) and the Excel export — each action's success and
refusals, and its record (the version row, the audit row of the export)."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from tests.credit.conftest import YEAR
from tests.credit.desk.conftest import approved_company, desk, messages_of, scored, submitted_declaration
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.credit.models import CriteriaYear, ResultVersion

pytestmark = pytest.mark.django_db

PAGE = "/desk/credit/resultversion/"


@pytest.fixture
def rated(companies, in_window, monkeypatch):
    """Three companies confirmed at 终评: a and b with questionnaire scores, c with a veto (grade C)."""
    staff = companies.staff
    a = approved_company(staff, 11)
    b = approved_company(staff, 12)
    c = approved_company(staff, 13)
    scored(staff, submitted_declaration(a), points=1, final=True)
    scored(staff, submitted_declaration(b), points=0, final=True)
    dc = submitted_declaration(c)
    from zhonglou_hrss.credit.services import scoring

    scoring.mark_veto(actor=staff, declaration_id=dc.pk, item="VETO-06", basis="三次查处")
    scored(staff, dc, points=1, final=True)
    scores = {a.enterprise.uscc: {"hr": D(90), "hr_n": 3, "employee": D(70), "employee_n": 12},
              b.enterprise.uscc: {"hr": D(95), "hr_n": 4, "employee": D(80), "employee_n": 9}}
    monkeypatch.setattr("zhonglou_hrss.credit.services.results.composite_scores", lambda year: scores)
    return a, b, c


def test_R_CR_10_page_before_any_version(staff_client, scheme):
    response = staff_client.get(PAGE)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"{YEAR}年度信用评价结果" in body and "尚未生成结果" in body and 'id="generate"' in body


def test_R_CR_10_generate_makes_versions_with_who_when_and_counts(staff_client, rated, credit_staff):
    response = staff_client.post(PAGE + "generate/", {"year": YEAR})
    assert response.status_code == 302 and response["Location"] == f"{PAGE}?year={YEAR}&version=1"
    version = ResultVersion.objects.get()
    assert (version.number, version.generated_by, version.inputs["rated"]) == (1, credit_staff, 3)
    page = staff_client.get(response["Location"])
    assert "已生成2026年度第1版结果：终评完成的申报3份，参评3家" in messages_of(page)[-1]
    body = page.content.decode()
    assert "第1版 · 未发布" in body and "信用管理员" in body and 'data-version="1"' in body
    assert staff_client.post(PAGE + "generate/", {"year": YEAR}).status_code == 302
    assert list(ResultVersion.objects.values_list("number", flat=True)) == [2, 1]  # never overwritten
    body = staff_client.get(PAGE + f"?year={YEAR}").content.decode()
    assert 'data-version="2"' in body and 'data-version="1"' in body and "第2版 · 未发布" in body


def test_R_CR_11_rankings_formula_weights_and_charts(staff_client, rated):
    a, b, c = rated
    staff_client.post(PAGE + "generate/", {"year": YEAR})
    response = staff_client.get(PAGE + f"?year={YEAR}")
    body = response.content.decode()
    for text in ("信用分折算", "问卷得分 = HR评价", "权重：信用维度", "并列", "综合排名", "信用排名", "HR排名", "员工排名",
                 'id="chart-grades"', 'id="chart-histogram"', "cr-charts-config", "echarts.min.js"):
        assert text in body, text
    rows = list(response.context["page_obj"])
    assert [r.uscc for r in rows] == [a.enterprise.uscc, b.enterprise.uscc, c.enterprise.uscc]
    assert rows[2].grade == "C" and rows[2].rank_total == 3
    charts = response.context["charts"]
    assert sum(charts["grade_counts"]) == 3 and charts["grades"][-1] == "C"
    assert charts["grade_counts"][charts["grades"].index("C")] == 1 and sum(charts["bin_counts"]) == 3
    config = json.loads(body.split('id="cr-charts-config" type="application/json">')[1].split("</script>")[0])
    assert config == charts
    # filter by grade: in and out
    only_c = staff_client.get(PAGE + f"?year={YEAR}&grade=C").context["page_obj"]
    assert [r.uscc for r in only_c] == [c.enterprise.uscc]
    # sort by the HR rank: c (no HR score) last
    by_hr = list(staff_client.get(PAGE + f"?year={YEAR}&sort=rank_hr").context["page_obj"])
    assert [r.rank_hr for r in by_hr] == [1, 2, None]


def test_R_CR_11_large_tables_paginate(staff_client, rated, monkeypatch):
    monkeypatch.setattr("zhonglou_hrss.credit.desk.results.PAGE_SIZE", 2)
    staff_client.post(PAGE + "generate/", {"year": YEAR})
    first = staff_client.get(PAGE + f"?year={YEAR}")
    assert len(first.context["page_obj"]) == 2 and 'id="next-page"' in first.content.decode()
    second = staff_client.get(PAGE + f"?year={YEAR}&version=1&sort=rank_total&page=2")
    assert [r.rank_total for r in second.context["page_obj"]] == [3]


def test_R_CR_10_publish_freezes_the_year(staff_client, rated):
    staff_client.post(PAGE + "generate/", {"year": YEAR})
    staff_client.post(PAGE + "generate/", {"year": YEAR})
    response = staff_client.post(PAGE + "publish/", {"year": YEAR, "version": 1})
    assert response.status_code == 302
    v1 = ResultVersion.objects.get(number=1)
    assert v1.published_at is not None and v1.published_by.username == "c_staff"
    assert ResultVersion.objects.get(number=2).published_at is None
    assert CriteriaYear.objects.get(year=YEAR).frozen
    page = staff_client.get(f"{PAGE}?year={YEAR}&version=1")
    assert "已发布2026年度第1版结果" in messages_of(page)[-1]
    body = page.content.decode()
    assert "年度已冻结" in body and 'id="generate"' not in body and 'id="publish"' not in body
    again = staff_client.post(PAGE + "publish/", {"year": YEAR, "version": 2})
    assert "未能发布：2026年度的评价结果已发布" in messages_of(staff_client.get(again["Location"]))[-1]
    refused = staff_client.post(PAGE + "generate/", {"year": YEAR})
    assert "不能再生成" in messages_of(staff_client.get(refused["Location"]))[-1]
    assert ResultVersion.objects.count() == 2
    assert "评价标准已冻结" in staff_client.get(f"/desk/credit/criteriayear/{YEAR}/").content.decode()


def test_R_CR_10_actions_refused_to_others(clerk_client, companies, rated):
    assert clerk_client.post(PAGE + "generate/", {"year": YEAR}).status_code == 403
    assert clerk_client.post(PAGE + "publish/", {"year": YEAR}).status_code == 403
    assert clerk_client.get(PAGE + "export/?year=2026").status_code == 403
    company = desk(companies.approved.user)
    assert company.post(PAGE + "generate/", {"year": YEAR}).status_code == 302  # to the desk's sign-in
    assert not ResultVersion.objects.exists()


def test_R_CR_10_nothing_to_publish_or_export_says_so(staff_client, scheme):
    response = staff_client.post(PAGE + "publish/", {"year": YEAR})
    assert "未能发布：该年度尚未生成结果" in messages_of(staff_client.get(response["Location"]))[-1]
    export = staff_client.get(PAGE + f"export/?year={YEAR}")
    assert export.status_code == 302
    assert "无法导出：该年度尚未生成结果" in messages_of(staff_client.get(export["Location"]))[-1]
    assert not CriteriaYear.objects.get(year=YEAR).frozen


def test_R_CR_11_export_is_the_government_workbook_and_audited(staff_client, rated):
    from io import BytesIO

    from openpyxl import load_workbook

    staff_client.post(PAGE + "generate/", {"year": YEAR})
    body = staff_client.get(PAGE + f"?year={YEAR}&grade=C").content.decode()
    assert f"export/?year={YEAR}&amp;version=1&amp;grade=C" in body
    response = staff_client.get(PAGE + f"export/?year={YEAR}&version=1")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert ws["A1"].value == f"{YEAR}年度人力资源企业信用评价结果"
    assert "结果版本：第1版（未发布）" in ws["A2"].value
    assert len(list(ws.iter_rows(min_row=6))) == 3
    log = AuditLog.objects.get(action=AuditLog.Action.EXPORT, detail__kind="credit_results")
    assert log.detail["rows"] == 3 and log.detail["version"] == 1


def test_R_CR_10_page_opens_on_the_latest_year_with_results(staff_client, rated):
    """A copied next year has no results yet: the page opens on the year that has them; the year
    chooser still offers the new one."""
    staff_client.post(PAGE + "generate/", {"year": YEAR})
    staff_client.post("/desk/credit/criteriayear/copy/")
    response = staff_client.get(PAGE)
    assert response.context["year"] == YEAR and response.context["doc"]["version"] == 1
    assert response.context["years"] == [YEAR + 1, YEAR]
    assert "尚未生成结果" in staff_client.get(PAGE + f"?year={YEAR + 1}").content.decode()
