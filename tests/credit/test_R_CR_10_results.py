"""R-CR-10, R-CR-11: results per year — the weights on constructed numbers,
missing questionnaire data, ranks with ties (1, 1, 3), versions never
overwritten, publishing freezes the year; through the API as each role."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tests.credit.conftest import YEAR, api_as, hr_company
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access
from zhonglou_hrss.credit.models import CriteriaYear, ResultVersion
from zhonglou_hrss.credit.rules import combine, competition_ranks
from zhonglou_hrss.credit.services import declarations, scoring

WEIGHTS = {"credit": 0.6, "questionnaire": 0.4, "hr": 0.6, "employee": 0.4}


def test_R_CR_11_ranks_ties_share_and_the_next_skips():
    assert competition_ranks([90, 95, 90, 80, None]) == [2, 1, 2, 4, None]
    assert competition_ranks([(True, 70), (False, 99), (True, 70)]) == [1, 3, 1]  # a veto ranks last


def test_R_CR_10_weights_on_constructed_numbers():
    c = combine(D(96), D(120), D(90), D(70), WEIGHTS)
    assert c.credit_norm == D(80)                      # 96 / 120 × 100
    assert c.questionnaire == D(82)                    # 90 × 0.6 + 70 × 0.4
    assert c.total == D("80.80")                       # 80 × 0.6 + 82 × 0.4
    assert c.flags == []
    capped = combine(D(130), D(120), None, None, WEIGHTS)
    assert capped.credit_norm == D(100)


def test_R_CR_10_missing_questionnaire_data_moves_the_weight():
    # no employee sample: the questionnaire score is HR alone
    c = combine(D(96), D(120), D(90), D(70), WEIGHTS, employee_ok=False)
    assert (c.employee, c.questionnaire, c.total) == (None, D(90), D("84.00"))
    assert c.flags == ["员工评价样本不足"]
    # no questionnaire at all: the total is the credit dimension alone
    none = combine(D(96), D(120), None, None, WEIGHTS)
    assert (none.questionnaire, none.total) == (None, D(80))
    assert none.flags == ["HR评价样本不足", "员工评价样本不足"]


def _confirmed(staff, n: int, points: int, vetoed: bool = False):
    company = hr_company(n)
    decide_access(actor=staff, account_id=company.pk, subsystem=Subsystem.CREDIT, approve=True)
    d = declarations.create_declaration(actor=company.user, year=YEAR)
    codes = list(d.lines.values_list("item__code", flat=True))
    declarations.save_declaration(actor=company.user, declaration_id=d.pk, data=declarations.DeclarationInput(
        [declarations.LineInput(c, 0) for c in codes]))
    declarations.submit_declaration(actor=company.user, declaration_id=d.pk)
    scoring.score_items(actor=staff, declaration_id=d.pk, stage="initial",
                        items=[scoring.ScoreInput(c, 1 if i < points else 0) for i, c in enumerate(codes)])
    if vetoed:
        scoring.mark_veto(actor=staff, declaration_id=d.pk, item="VETO-06", basis="三次查处")
    scoring.confirm_stage(actor=staff, declaration_id=d.pk, stage="initial")
    scoring.confirm_stage(actor=staff, declaration_id=d.pk, stage="final")
    return company


@pytest.mark.django_db
def test_R_CR_10_generate_versions_ranks_publish_and_freeze(in_window, credit_staff, monkeypatch, make_user):
    a = _confirmed(credit_staff, 1, 12)        # 80 + 12 = 92
    b = _confirmed(credit_staff, 2, 12)        # 92: tied with a on credit
    c = _confirmed(credit_staff, 3, 16, True)  # 96 but a veto: grade C, ranked last on total and credit
    young = hr_company(4)  # approved never, declared never: not in the results
    from zhonglou_hrss.credit.models import HRCompanyLicence

    _confirmed(credit_staff, 5, 0)
    HRCompanyLicence.objects.filter(account__user__username="hrco5").update(licence_date=f"{YEAR}-06-01")

    scores = {a.enterprise.uscc: {"hr": D(90), "hr_n": 3, "employee": D(70), "employee_n": 12},
              b.enterprise.uscc: {"hr": D(80), "hr_n": 2, "employee": D(60), "employee_n": 2}}
    monkeypatch.setattr("zhonglou_hrss.credit.services.results.composite_scores", lambda year: scores)
    api = api_as(credit_staff)
    first = api.post(f"/api/v1/credit/results/{YEAR}/generate/")
    assert first.status_code == 201, first.json()
    assert first.json()["version"] == 1
    assert first.json()["inputs"]["not_rated"] == 1 and first.json()["inputs"]["rated"] == 3
    doc = api.get(f"/api/v1/credit/results/{YEAR}/").json()
    rows = {r["uscc"]: r for r in doc["rows"]}
    assert set(doc) >= {"year", "version", "generated_at", "published", "weights", "rows"}
    ra, rb, rc = rows[a.enterprise.uscc], rows[b.enterprise.uscc], rows[c.enterprise.uscc]
    # a: credit 92 → 76.67; questionnaire 90×0.6 + 70×0.4 = 82; total 76.67×0.6 + 82×0.4 = 78.80
    assert (ra["credit_norm"], ra["questionnaire_score"], ra["total"]) == (76.67, 82.0, 78.8)
    # b: the employee sample (2) is under the year's minimum (5): questionnaire = HR alone
    assert (rb["employee_score"], rb["questionnaire_score"], rb["flags"]) == (None, 80.0, ["员工评价样本不足"])
    assert (ra["rank_credit"], rb["rank_credit"], rc["rank_credit"]) == (1, 1, 3)
    assert rc["grade"] == "C" and rc["rank_total"] == 3 and rc["hr_score"] is None
    assert (ra["rank_hr"], rb["rank_hr"], rc["rank_hr"]) == (1, 2, None)
    assert young.enterprise.uscc not in rows
    assert [r["uscc"] for r in api.get(f"/api/v1/credit/results/{YEAR}/?grade=C").json()["rows"]] == \
        [c.enterprise.uscc]
    assert "信用分折算" in doc["formula"]
    # generating again makes version 2; version 1 stays
    assert api.post(f"/api/v1/credit/results/{YEAR}/generate/").json()["version"] == 2
    assert api.get(f"/api/v1/credit/results/{YEAR}/?version=1").json()["version"] == 1
    assert ResultVersion.objects.count() == 2
    # others: the companies and staff of other subsystems
    assert api_as(a.user).post(f"/api/v1/credit/results/{YEAR}/generate/").status_code == 403
    assert api_as(a.user).get(f"/api/v1/credit/results/{YEAR}/").status_code == 404
    assert api_as(make_user("ps", roles=["portal_staff"])).get(f"/api/v1/credit/results/{YEAR}/").status_code == 404
    published = api.post(f"/api/v1/credit/results/{YEAR}/publish/?version=1")
    assert published.status_code == 200
    assert CriteriaYear.objects.get(year=YEAR).frozen
    assert api.post(f"/api/v1/credit/results/{YEAR}/generate/").status_code == 409
    assert api.patch(f"/api/v1/credit/criteria/{YEAR}/", {"floor": 5}, format="json").status_code == 409
    assert api.get(f"/api/v1/credit/results/{YEAR}/?version=1").json()["published"] is True


@pytest.mark.django_db
def test_R_CR_10_real_questionnaire_door_with_no_responses(in_window, credit_staff):
    """Through the questionnaires app's selectors: a company with no responses gets no HR or
    employee score, the flags say so, and its total is its credit dimension alone."""
    a = _confirmed(credit_staff, 1, 12)
    api = api_as(credit_staff)
    assert api.post(f"/api/v1/credit/results/{YEAR}/generate/").status_code == 201
    row = api.get(f"/api/v1/credit/results/{YEAR}/").json()["rows"][0]
    assert row["uscc"] == a.enterprise.uscc
    assert (row["hr_score"], row["employee_score"], row["questionnaire_score"]) == (None, None, None)
    assert row["total"] == row["credit_norm"] == 76.67
    assert row["flags"] == ["HR评价样本不足", "员工评价样本不足"]


@pytest.mark.django_db
def test_R_CR_11_results_export_cell_by_cell(in_window, credit_staff, monkeypatch, make_user):
    """The results in the government's format: title with the year, the version line,
    填报单位 and export time, merged groups, one row per company by total rank; audited;
    the same refusals as the results page."""
    from io import BytesIO

    from openpyxl import load_workbook

    from zhonglou_hrss.core.models import AuditLog

    a = _confirmed(credit_staff, 1, 12)
    b = _confirmed(credit_staff, 2, 4)
    scores = {a.enterprise.uscc: {"hr": D(90), "hr_n": 3, "employee": D(70), "employee_n": 12}}
    monkeypatch.setattr("zhonglou_hrss.credit.services.results.composite_scores", lambda year: scores)
    api = api_as(credit_staff)
    assert api.post(f"/api/v1/credit/results/{YEAR}/generate/").status_code == 201
    response = api.get(f"/api/v1/credit/results/{YEAR}/export/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert ws["A1"].value == f"{YEAR}年度人力资源企业信用评价结果"
    assert "结果版本：第1版（未发布）" in ws["A2"].value
    assert ws["A3"].value.startswith("填报单位：") and ws["H3"].value.startswith("导出时间：")
    assert {"A1:M1", "A4:A5", "D4:F4", "G4:K4", "L4:M4"} <= {str(r) for r in ws.merged_cells.ranges}
    assert (ws["D4"].value, ws["G4"].value, ws["L4"].value) == ("信用维度", "问卷维度", "综合")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=6)]
    assert [r[2] for r in rows] == [a.enterprise.uscc, b.enterprise.uscc]  # by total rank
    first, second = rows
    assert first[0] == 1 and first[3] == 92 and first[6:12] == [90, 3, 70, 12, 82, 78.8]
    assert second[6] == "—" and second[10] == "—" and "样本不足" in second[12]
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, detail__kind="credit_results").count() == 1
    assert api_as(a.user).get(f"/api/v1/credit/results/{YEAR}/export/").status_code == 404
    assert api.get(f"/api/v1/credit/results/{YEAR}/export/?version=x").status_code == 400
