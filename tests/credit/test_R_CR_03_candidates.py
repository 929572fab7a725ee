"""Deduction candidates (issue 15): kuaiban cases and petitions naming the
company's USCC in the rating year, only those the user may see; accepted as a
deduction with the case as its basis, or dismissed with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.credit.conftest import YEAR, api_as
from tests.kuaiban.conftest import registration as case_registration
from zhonglou_hrss.credit.models import CriteriaYear, Deduction
from zhonglou_hrss.credit.services import declarations
from zhonglou_hrss.kuaiban.models import CaseSource
from zhonglou_hrss.kuaiban.services.registration import register_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(companies, make_user):
    today = timezone.localdate()
    CriteriaYear.objects.filter(year=YEAR).update(window_start=today - timedelta(days=1),
                                                  window_end=today + timedelta(days=5))
    clerk = make_user("k_clerk", roles=["district_clerk"], name="王内勤")
    uscc = companies.approved.enterprise.uscc
    case = register_case(actor=clerk, data=case_registration(respondent_uscc=uscc,
                                                             respondent_name="测试人力资源公司"),
                         source=CaseSource.INTERNAL).case
    other = register_case(actor=clerk, data=case_registration(), source=CaseSource.INTERNAL).case
    declaration = declarations.create_declaration(actor=companies.approved.user, year=YEAR)
    codes = declaration.lines.values_list("item__code", flat=True)
    declarations.save_declaration(actor=companies.approved.user, declaration_id=declaration.pk,
                                  data=declarations.DeclarationInput([declarations.LineInput(c, 0) for c in codes]))
    declarations.submit_declaration(actor=companies.approved.user, declaration_id=declaration.pk)
    both = make_user("c_both", roles=["credit_staff", "leader"], name="信用兼科长")
    return uscc, case, other, declaration, both


def test_R_CR_03_candidates_by_uscc_only_what_the_user_sees(setting, credit_staff):
    if timezone.localdate().year != YEAR:
        pytest.skip("cases are registered today; the candidates are those of the rating year")
    uscc, case, other, _declaration, both = setting
    seen = api_as(both).get(f"/api/v1/credit/candidates/?uscc={uscc}&year={YEAR}").json()["results"]
    assert [(row["source"], row["id"], row["number"]) for row in seen] == [("case", case.pk, case.number)]
    # credit staff without kuaiban permissions see no case
    assert api_as(credit_staff).get(f"/api/v1/credit/candidates/?uscc={uscc}&year={YEAR}").json()["results"] == []
    assert api_as(credit_staff).get("/api/v1/credit/candidates/?uscc=x&year=20").status_code == 400


def test_R_CR_03_accept_candidate_as_deduction_or_dismiss_it(setting, credit_staff):
    uscc, case, other, declaration, both = setting
    api = api_as(both)
    url = f"/api/v1/credit/declarations/{declaration.pk}/deductions/"
    assert api.post(url, {"item": "LZ-03", "points": -2, "basis": "", "case_id": other.pk},
                    format="json").status_code == 404  # does not name the company
    assert api_as(credit_staff).post(url, {"item": "LZ-03", "points": -2, "case_id": case.pk},
                                     format="json").status_code == 404  # may not see the case
    ok = api.post(url, {"item": "LZ-03", "points": -2, "basis": "经查属实", "case_id": case.pk}, format="json")
    assert ok.status_code == 201, ok.json()
    deduction = Deduction.objects.get()
    assert (deduction.source, deduction.source_number) == ("case", case.number)
    assert deduction.basis.startswith(f"快办事件{case.number}")
    assert api.post(url, {"item": "LZ-03", "points": -2, "case_id": case.pk}, format="json").status_code == 409
    if timezone.localdate().year == YEAR:
        row = api.get(f"/api/v1/credit/candidates/?uscc={uscc}&year={YEAR}").json()["results"][0]
        assert row["deduction_id"] == deduction.pk
    dismiss = "/api/v1/credit/candidates/dismiss/"
    body = {"uscc": uscc, "year": YEAR, "source": "case", "id": case.pk, "reason": ""}
    assert api.post(dismiss, body, format="json").status_code == 400
    assert api.post(dismiss, body | {"reason": "已另行扣分"}, format="json").status_code == 201
    assert api.post(dismiss, body | {"reason": "again"}, format="json").status_code == 409
