"""Talent demands through the API as each role (R-PT-04, 05, 06, 07, 13, 14):
the contract's bodies, visibility in and out, the refusals, every transition
with its timeline row, the lock on approval, the outcome, the statistics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.accounts import registration
from tests.portal.conftest import api_as
from tests.portal.demands import approved_demand, demand_input
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access, register_account
from zhonglou_hrss.portal.models import Demand, DemandEvent, DemandStatus

pytestmark = pytest.mark.django_db

DEMANDS = "/api/v1/portal/demands/"
STATS = "/api/v1/portal/stats/demands/"


def body(**overrides) -> dict:
    data = {"contact_name": "周联系", "contact_phone": "13912345678", "months": [3, 4], "workforce_size": 200,
            "services": ["job_fair", "other"], "services_other": "对接技工院校",
            "positions": [{"position": "general_worker", "description": "流水线装配", "headcount": 10, "gender": "any",
                           "employment_type": "contract", "employment_type_other": "", "salary_min": 4500,
                           "salary_max": 6000, "age_band": "18_25", "education": "senior_high", "skill_level": "any",
                           "experience": "any", "majors": [{"category": "08", "headcount": 2}]}]}
    data.update(overrides)
    return data


def test_R_PT_05_an_enterprise_files_a_draft_and_reads_it_back(accounts):
    client = api_as(accounts.approved.user)
    response = client.post(DEMANDS, body(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft" and data["outcome"] == "" and data["reject_reason"] == ""
    assert data["contact_phone"] == "13912345678"  # its own: whole
    assert data["industry"]["code"] == accounts.approved.industry.code
    position = data["positions"][0]
    assert (position["position"], position["position_text"], position["headcount"]) == ("general_worker", "普工", 10)
    assert position["majors"] == [{"category": {"code": "08", "label": position["majors"][0]["category"]["label"]},
                                   "headcount": 2}]
    assert [s["code"] for s in data["services"]] == ["job_fair", "other"]
    assert DemandEvent.objects.filter(demand_id=data["id"], action="create").count() == 1


def test_R_PT_05_a_bad_demand_is_a_400_naming_every_row_and_field(accounts):
    bad = body(contact_phone="1", months=[0], positions=[body()["positions"][0] | {
        "headcount": "十", "salary_min": 9000, "salary_max": 10, "gender": "",
        "majors": [{"category": "nope", "headcount": 1}]}])
    response = api_as(accounts.approved.user).post(DEMANDS, bad, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"contact_phone", "months", "positions[0].headcount", "positions[0].salary_max", "positions[0].gender",
            "positions[0].majors[0].category"} <= set(errors)
    assert errors["positions[0].headcount"] == ["需求人数应为整数"]
    assert not Demand.objects.exists()
    empty = api_as(accounts.approved.user).post(DEMANDS, {}, format="json")
    assert empty.status_code == 400
    assert {"contact_name", "contact_phone", "months", "workforce_size", "positions"} <= set(empty.json()["errors"])


def test_R_PT_06_pending_and_rejected_accounts_get_the_exact_403(accounts):
    for account, detail in ((accounts.pending, "账号待审核"), (accounts.rejected, "账号未通过审核：营业执照名称不一致")):
        client = api_as(account.user)
        for response in (client.get(DEMANDS), client.post(DEMANDS, body(), format="json")):
            assert response.status_code == 403 and response.json() == {"detail": detail}


def test_R_PT_04_visibility_in_and_out(accounts, make_user):
    other = register_account(data=registration(8))
    decide_access(actor=accounts.staff, account_id=other.pk, subsystem=Subsystem.PORTAL, approve=True)
    mine = approved_demand(accounts.approved.user, accounts.staff)
    theirs = approved_demand(other.user, accounts.staff)
    client = api_as(accounts.approved.user)
    assert [d["id"] for d in client.get(DEMANDS).json()["results"]] == [mine.pk]
    assert client.get(f"{DEMANDS}{theirs.pk}/").status_code == 404
    assert client.put(f"{DEMANDS}{theirs.pk}/", body(), format="json").status_code == 404
    staff = api_as(accounts.staff)
    listed = staff.get(DEMANDS).json()["results"]
    assert {d["id"] for d in listed} == {mine.pk, theirs.pk}
    assert all(d["contact_phone"] == "139****5678" for d in listed)  # staff: masked
    draft = api_as(accounts.approved.user).post(DEMANDS, body(), format="json").json()
    assert draft["id"] not in {d["id"] for d in staff.get(DEMANDS).json()["results"]}
    assert api_as(None).get(DEMANDS).status_code == 401
    clerk = api_as(make_user("k_clerk_api", roles=["district_clerk"]))
    assert clerk.get(DEMANDS).status_code == 403
    assert clerk.get(STATS).status_code == 403


def test_R_PT_06_R_PT_13_submit_reject_resubmit_approve_with_timeline(accounts):
    client, staff = api_as(accounts.approved.user), api_as(accounts.staff)
    demand_id = client.post(DEMANDS, body(), format="json").json()["id"]
    assert staff.post(f"{DEMANDS}{demand_id}/approve/").status_code == 404  # a draft is not staff's yet
    assert client.post(f"{DEMANDS}{demand_id}/submit/").json()["status"] == "pending"
    assert client.post(f"{DEMANDS}{demand_id}/submit/").status_code == 409
    assert client.post(f"{DEMANDS}{demand_id}/approve/").status_code == 403  # enterprises do not decide
    no_reason = staff.post(f"{DEMANDS}{demand_id}/reject/", {"reason": ""}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    rejected = staff.post(f"{DEMANDS}{demand_id}/reject/", {"reason": "薪资范围不合理"}, format="json").json()
    assert (rejected["status"], rejected["reject_reason"]) == ("rejected", "薪资范围不合理")
    assert client.get(f"{DEMANDS}{demand_id}/").json()["reject_reason"] == "薪资范围不合理"
    assert client.put(f"{DEMANDS}{demand_id}/", body(workforce_size=300), format="json").status_code == 200
    client.post(f"{DEMANDS}{demand_id}/submit/")
    approved = staff.post(f"{DEMANDS}{demand_id}/approve/").json()
    assert approved["status"] == "approved" and approved["workforce_size"] == 300
    assert staff.post(f"{DEMANDS}{demand_id}/approve/").status_code == 409
    assert list(DemandEvent.objects.filter(demand_id=demand_id).order_by("at", "id")
                .values_list("action", "actor__username")) == [
        ("create", "ent1"), ("submit", "ent1"), ("reject", "p_staff"), ("save", "ent1"), ("submit", "ent1"),
        ("approve", "p_staff")]


def test_R_PT_06_an_approved_demand_is_locked_through_the_api(accounts):
    demand = approved_demand(accounts.approved.user, accounts.staff)
    client = api_as(accounts.approved.user)
    response = client.put(f"{DEMANDS}{demand.pk}/", body(), format="json")
    assert response.status_code == 409 and "已审核通过" in response.json()["detail"]
    assert client.delete(f"{DEMANDS}{demand.pk}/").status_code == 409
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.APPROVED


def test_R_PT_07_outcome_through_the_api(accounts):
    demand = approved_demand(accounts.approved.user, accounts.staff)
    position = demand.positions.get()
    client = api_as(accounts.approved.user)
    bad = client.post(f"{DEMANDS}{demand.pk}/outcome/", {"positions": [], "result": "maybe"}, format="json")
    assert bad.status_code == 400 and {"positions[0].hired", "result"} <= set(bad.json()["errors"])
    ok = client.post(f"{DEMANDS}{demand.pk}/outcome/",
                     {"positions": [{"id": position.pk, "hired": 7}], "result": "partial"}, format="json")
    assert ok.status_code == 200, ok.json()
    assert (ok.json()["outcome"], ok.json()["positions"][0]["hired"]) == ("partial", 7)


def test_R_PT_13_staff_filters_by_period_and_status(accounts):
    old = approved_demand(accounts.approved.user, accounts.staff)
    Demand.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=400))
    new = approved_demand(accounts.approved.user, accounts.staff)
    today = timezone.localdate()
    staff = api_as(accounts.staff)
    found = staff.get(DEMANDS, {"from": str(today - timedelta(days=1)), "to": str(today)}).json()["results"]
    assert [d["id"] for d in found] == [new.pk]
    assert staff.get(DEMANDS, {"status": "pending"}).json()["results"] == []
    assert staff.get(DEMANDS, {"status": "nope"}).status_code == 400


def test_R_PT_14_statistics_contract(accounts):
    approved_demand(accounts.approved.user, accounts.staff, outcome="completed")
    response = api_as(accounts.staff).get(STATS)
    assert response.status_code == 200, response.json()
    data = response.json()
    today = timezone.localdate()
    assert (data["from"], data["to"]) == (f"{today.year}-01-01", str(today))
    assert (data["demands"], data["approved"], data["completed"], data["satisfaction"]) == (1, 1, 1, 1.0)
    for key in ("by_age_band", "by_education", "by_experience", "by_gender", "by_employment_type", "by_industry",
                "by_industrial_chain"):
        assert data[key] and set(data[key][0]) == {"code", "label", "headcount", "share"}, key
        assert abs(sum(row["share"] for row in data[key]) - 1) < 0.001
    assert data["by_service"][0]["code"] == "job_fair" and data["by_service"][0]["demands"] == 1
    assert data["by_enterprise"] == [{"uscc": accounts.approved.enterprise.uscc,
                                      "name": accounts.approved.company_name, "requested": 10, "hired": 10}]
    bad = api_as(accounts.staff).get(STATS, {"from": "2026-12-31", "to": "2026-01-01"})
    assert bad.status_code == 400 and "to" in bad.json()["errors"]


def test_R_PT_13_the_staff_list_costs_the_same_queries_for_more_demands(accounts):
    approved_demand(accounts.approved.user, accounts.staff)
    staff = api_as(accounts.staff)
    staff.get(DEMANDS)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert staff.get(DEMANDS).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for _ in range(5):
        approved_demand(accounts.approved.user, accounts.staff, demand_input(positions=3))
    assert queries() == few
