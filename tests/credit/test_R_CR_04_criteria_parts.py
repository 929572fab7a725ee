"""R-CR-04: the parts of a rating year staff maintain through the API —
categories (label, cap with its sign), items added and removed, veto items,
grade bands (falling minimum scores, conditions naming deduction categories)
and the optional grade quota — each refused for a company, refused once the
year is frozen, and audited; and the quota applied when results are made."""

from __future__ import annotations

import pytest

from tests.credit.conftest import YEAR, api_as
from tests.credit.test_R_CR_10_results import _confirmed
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.credit.models import CriteriaYear, DeclarationItem, GradeBand
from zhonglou_hrss.credit.rules import quota_grades
from zhonglou_hrss.credit.services import declarations

URL = f"/api/v1/credit/criteria/{YEAR}/"
GRADES = ["AAA", "AA", "A", "B", "C"]
QUOTA = {"enabled": True, "max_share_top_grade": 0.1, "max_share_a_and_above": 0.2}


def test_R_CR_04_quota_keeps_the_top_places_and_moves_the_rest_one_band_down():
    # ten companies, all AAA on score: one place for AAA, two for A and above
    rows = [(rank, "AAA") for rank in range(1, 11)]
    assert quota_grades(rows, GRADES, QUOTA) == ["AAA", "AA"] + ["B"] * 8
    # a tie on the last place keeps both; a company without a rank (None) never keeps a limited grade
    assert quota_grades([(1, "AAA"), (1, "AAA"), (3, "A"), (None, "AA")] + [(5, "B")] * 6, GRADES, QUOTA) == \
        ["AAA", "AAA", "B", "B"] + ["B"] * 6
    # grades below the limited bands are untouched; off means unchanged
    assert quota_grades([(1, "B"), (2, "C")], GRADES, QUOTA) == ["B", "C"]
    assert quota_grades(rows, GRADES, {**QUOTA, "enabled": False}) == ["AAA"] * 10


@pytest.mark.django_db
def test_R_CR_04_category_label_and_cap_with_its_sign(scheme, credit_staff, companies):
    api = api_as(credit_staff)
    bonus = scheme.categories.filter(kind="bonus").first()
    deduction = scheme.categories.filter(kind="deduction").first()
    ok = api.patch(f"{URL}categories/{bonus.code}/", {"label": "良好信用（加分）", "cap": 25}, format="json")
    assert ok.status_code == 200, ok.json()
    cat = {c["code"]: c for c in ok.json()["categories"]}[bonus.code]
    assert (cat["label"], cat["cap"]) == ("良好信用（加分）", 25.0)
    wrong = api.patch(f"{URL}categories/{deduction.code}/", {"cap": 10, "kind": "bonus"}, format="json")
    assert wrong.status_code == 400, wrong.json()
    assert "负数" in wrong.json()["errors"]["cap"][0] and "kind" in wrong.json()["errors"]
    assert api_as(companies.approved.user).patch(f"{URL}categories/{bonus.code}/", {"cap": 1},
                                                 format="json").status_code == 403
    row = AuditLog.objects.filter(action=AuditLog.Action.CONFIG_CHANGE).latest("id")
    assert row.detail["part"] == f"category:{bonus.code}" and row.detail["cap"] == "25"


@pytest.mark.django_db
def test_R_CR_04_an_added_item_reaches_open_forms_and_a_used_one_cannot_go(in_window, credit_staff, companies):
    api = api_as(credit_staff)
    company = companies.approved.user
    declaration = declarations.create_declaration(actor=company, year=YEAR)
    bonus = in_window.categories.filter(kind="bonus").first()
    body = {"code": "jc-99", "category": bonus.code, "title": "获评市级和谐劳动关系企业", "cap": 2,
            "scoring": {"type": "fixed", "points": 2}, "evidence": ["获评文件"]}
    added = api.post(f"{URL}items/", body, format="json")
    assert added.status_code == 201, added.json()
    assert "JC-99" in [i["code"] for i in added.json()["items"]]
    assert DeclarationItem.objects.filter(declaration=declaration, item__code="JC-99").exists()
    again = api.post(f"{URL}items/", body, format="json")
    assert again.status_code == 400 and "JC-99" in again.json()["errors"]["code"][0]
    bad = api.post(f"{URL}items/", {"code": "坏代码", "category": "NOPE", "scoring": {"type": "magic"}}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) >= {"code", "title", "category", "scoring"}
    # the company fills it in: the item is in use and stays
    declarations.save_declaration(actor=company, declaration_id=declaration.pk, data=declarations.DeclarationInput(
        [declarations.LineInput("JC-99", 2, "")]))
    refused = api.delete(f"{URL}items/JC-99/")
    assert refused.status_code == 409 and "不能删除" in refused.json()["detail"]
    # an item nobody used goes, with the empty lines opened forms had
    api.post(f"{URL}items/", {**body, "code": "JC-98"}, format="json")
    assert api.delete(f"{URL}items/JC-98/").status_code == 200
    assert not DeclarationItem.objects.filter(item__code="JC-98").exists()
    assert AuditLog.objects.filter(action=AuditLog.Action.CONFIG_CHANGE, detail__part="item_remove:JC-98").exists()


@pytest.mark.django_db
def test_R_CR_04_veto_items_added_changed_and_removed(scheme, credit_staff):
    api = api_as(credit_staff)
    made = api.post(f"{URL}vetoes/", {"code": "VETO-99", "description": "伪造申报材料"}, format="json")
    assert made.status_code == 201
    assert {"code": "VETO-99", "description": "伪造申报材料"} in made.json()["vetoes"]
    changed = api.patch(f"{URL}vetoes/VETO-99/", {"description": "伪造、变造申报材料"}, format="json")
    assert {"code": "VETO-99", "description": "伪造、变造申报材料"} in changed.json()["vetoes"]
    assert api.post(f"{URL}vetoes/", {"code": "VETO-99", "description": ""}, format="json").json()["errors"].keys() >= \
        {"code", "description"}
    assert api.delete(f"{URL}vetoes/VETO-99/").status_code == 200
    assert api.delete(f"{URL}vetoes/VETO-99/").status_code == 404


@pytest.mark.django_db
def test_R_CR_04_grade_bands_keep_falling_scores_and_known_categories(scheme, credit_staff):
    api = api_as(credit_staff)
    top, second = GradeBand.objects.filter(scheme=scheme).order_by("order")[:2]
    too_low = api.patch(f"{URL}grades/{top.grade}/", {"min_score": float(second.min_score)}, format="json")
    assert too_low.status_code == 400 and "递减" in too_low.json()["errors"]["min_score"][0]
    unknown = api.patch(f"{URL}grades/{top.grade}/", {"require_no_deductions_in": ["NOPE"]}, format="json")
    assert unknown.status_code == 400 and "NOPE" in unknown.json()["errors"]["require_no_deductions_in"][0]
    ok = api.patch(f"{URL}grades/{top.grade}/", {"min_score": float(top.min_score) + 1, "require_no_veto": True},
                   format="json")
    assert ok.status_code == 200
    assert {g["grade"]: g for g in ok.json()["grades"]}[top.grade]["min_score"] == float(top.min_score) + 1
    assert GradeBand.objects.get(pk=second.pk).min_score == second.min_score  # nothing half-saved elsewhere


@pytest.mark.django_db
def test_R_CR_04_quota_applied_to_generated_results_and_frozen_year_refuses_parts(
        in_window, credit_staff, monkeypatch):
    api = api_as(credit_staff)
    bad = api.patch(f"{URL}quota/", {"enabled": "yes", "max_share_top_grade": 3}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"enabled", "max_share_top_grade"}
    assert api.patch(f"{URL}quota/", QUOTA, format="json").json()["quota_rule"]["enabled"] is True
    a = _confirmed(credit_staff, 1, 40)  # the highest credit score: the one place at the top
    b = _confirmed(credit_staff, 2, 39)
    monkeypatch.setattr("zhonglou_hrss.credit.services.results.composite_scores", lambda year: {})
    grades_before = {d.account.enterprise.uscc: d.grade for d in in_window.declarations.select_related("account__enterprise")}
    assert api.post(f"/api/v1/credit/results/{YEAR}/generate/").status_code == 201
    doc = api.get(f"/api/v1/credit/results/{YEAR}/").json()
    rows = {r["uscc"]: r for r in doc["rows"]}
    assert doc["inputs"]["quota_rule"]["enabled"] is True
    assert {"AAA", "AA", "A"} & set(grades_before.values()), grades_before
    # two companies: 0.1 × 2 and 0.2 × 2 round down to no place at all — every limited grade moves down
    for company in (a, b):
        before, row = grades_before[company.enterprise.uscc], rows[company.enterprise.uscc]
        if before in ("AAA", "AA", "A"):
            assert row["grade"] == "B" and any("等级比例限制" in f for f in row["flags"])
    assert api.post(f"/api/v1/credit/results/{YEAR}/publish/").status_code == 200
    assert CriteriaYear.objects.get(year=YEAR).frozen
    for method, path, body in (("patch", "categories/GC/", {"label": "良好信用"}),
                               ("post", "vetoes/", {"code": "VETO-99", "description": "伪造申报材料"}),
                               ("patch", "grades/AAA/", {"label": "信用优秀"}), ("patch", "quota/", {"enabled": False}),
                               ("delete", "items/GC-01/", None), ("delete", "vetoes/VETO-01/", None)):
        response = getattr(api, method)(URL + path, body, format="json")
        assert response.status_code == 409, (path, response.status_code)
        assert "冻结" in response.json()["detail"]
