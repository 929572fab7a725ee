"""我的人才需求 in the PC portal (R-PT-04, 05, 06, 07) through the form posts:
an approved enterprise files a demand with two positions of two majors each,
errors land at their row's field with everything typed kept, submit, edit
until approved and not after, the outcome; a pending account sees why; another
enterprise's demand is 404."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import MODEL_BACKEND
from tests.portal.demands import approved_demand, demand_input
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access, register_account
from zhonglou_hrss.portal.models import Demand, DemandEvent, DemandOutcome, DemandStatus
from zhonglou_hrss.portal.services.demands import decide_demand, save_demand, submit_demand
from tests.accounts import registration

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def position(i: int, **overrides) -> dict:
    p = f"positions[{i}]"
    values = {f"{p}.position": "general_worker", f"{p}.position_other": "", f"{p}.description": "装配",
              f"{p}.headcount": "10", f"{p}.gender": "any", f"{p}.employment_type": "contract",
              f"{p}.employment_type_other": "", f"{p}.salary_min": "4500", f"{p}.salary_max": "6000",
              f"{p}.age_band": "18_25", f"{p}.education": "senior_high", f"{p}.skill_level": "any",
              f"{p}.experience": "any",
              f"{p}.majors[0].category": "08", f"{p}.majors[0].headcount": "2",
              f"{p}.majors[1].category": "12", f"{p}.majors[1].headcount": "3"}
    values.update({f"{p}.{k}": v for k, v in overrides.items()})
    return values


def form(*positions, **overrides) -> dict:
    body = {"contact_name": "周联系", "contact_phone": "13912345678", "months": ["3", "4"],
            "workforce_size": "200", "services": ["job_fair", "school_enterprise"], "services_other": ""}
    for p in positions:
        body.update(p)
    body.update(overrides)
    return body


def test_R_PT_05_an_approved_enterprise_files_two_positions_of_two_majors(accounts):
    client = as_user(accounts.approved.user)
    html = client.get("/portal/demands/new/").content.decode()
    assert 'id="demand-form"' in html and "demand_form.js" in html and "<script>" not in html
    assert accounts.approved.industry.label in html  # shown from the profile, not typed
    assert 'name="positions[0].headcount"' in html and "其他（手动填写）" in html
    body = form(position(0), position(1, **{"position": "__other__", "position_other": "激光焊接工",
                                            "majors[0].category": "09"}), action="submit")
    response = client.post("/portal/demands/new/", body)
    assert response.status_code == 302, response.content.decode()[:3000]
    demand = Demand.objects.get()
    assert response["Location"] == f"/portal/demands/{demand.pk}/?done=submitted"
    assert demand.status == DemandStatus.PENDING and demand.months == [3, 4]
    assert demand.industry_id == accounts.approved.industry_id
    rows = list(demand.positions.order_by("order"))
    assert [p.position_text for p in rows] == ["普工", "激光焊接工"] or rows[1].position_text == "激光焊接工"
    assert rows[1].position_entry_id is None
    assert [[(m.category.code, m.headcount) for m in p.majors.order_by("id")] for p in rows] == [
        [("08", 2), ("12", 3)], [("09", 2), ("12", 3)]]
    assert sorted(s.service.code for s in demand.services.all()) == ["job_fair", "school_enterprise"]
    page = client.get(f"/portal/demands/{demand.pk}/").content.decode()
    assert "需求已提交" in page and "待审核" in page and 'id="demand-withdraw"' in page
    listing = client.get("/portal/demands/").content.decode()
    assert "待审核" in listing and "激光焊接工" in listing


def test_R_PT_05_errors_at_their_rows_field_and_nothing_typed_lost(accounts):
    client = as_user(accounts.approved.user)
    body = form(position(0, **{"description": "第一行的描述"}),
                position(3, **{"salary_min": "9000", "salary_max": "5000", "majors[1].headcount": "x"}),
                contact_phone="1391234", action="save")
    response = client.post("/portal/demands/new/", body)
    assert response.status_code == 200 and not Demand.objects.exists()
    html = response.content.decode()
    assert "月薪上限不能低于月薪下限" in html and "专业人数应为整数" in html and "手机号" in html
    # The second row (sent as index 3) is rendered as positions[1], its errors there.
    assert 'id="id_positions1-salary_max-err"' in html
    assert 'id="id_positions1majors1-headcount-err"' in html
    assert 'id="id_positions0-salary_max-err"' not in html
    for kept in ('value="9000"', 'value="5000"', "第一行的描述", 'value="1391234"', 'value="x"'):
        assert kept in html, kept
    assert 'name="positions[1].majors[1].headcount"' in html


def test_R_PT_06_edit_until_approved_then_refused_and_the_outcome(accounts):
    user, staff = accounts.approved.user, accounts.staff
    client = as_user(user)
    demand = save_demand(actor=user, data=demand_input(positions=2))
    html = client.get(f"/portal/demands/{demand.pk}/edit/").content.decode()
    assert 'value="13912345678"' in html and 'name="positions[1].position"' in html
    response = client.post(f"/portal/demands/{demand.pk}/edit/", form(position(0, headcount="7"), action="save"))
    assert response.status_code == 302
    assert list(Demand.objects.get().positions.values_list("headcount", flat=True)) == [7]
    submit_demand(actor=user, demand_id=demand.pk)
    decide_demand(actor=staff, demand_id=demand.pk, approve=True)
    # Approved: the edit page sends back to the page, and a post changes nothing.
    assert client.get(f"/portal/demands/{demand.pk}/edit/")["Location"] == f"/portal/demands/{demand.pk}/"
    client.post(f"/portal/demands/{demand.pk}/edit/", form(position(0, headcount="99"), action="save"))
    assert list(Demand.objects.get().positions.values_list("headcount", flat=True)) == [7]
    page = client.get(f"/portal/demands/{demand.pk}/").content.decode()
    assert "不能再修改或撤回" in page and 'id="demand-edit"' not in page and 'id="demand-withdraw"' not in page
    assert "30天内" in page and 'id="outcome-form"' in page
    refused = client.post(f"/portal/demands/{demand.pk}/withdraw/")
    assert "不能再修改或撤回" in refused.content.decode() and Demand.objects.filter(pk=demand.pk).exists()
    position_id = Demand.objects.get().positions.get().pk
    bad = client.post(f"/portal/demands/{demand.pk}/outcome/", {f"hired_{position_id}": "-1"})
    assert "请选择招聘结果" in bad.content.decode() and 'value="-1"' in bad.content.decode()
    done = client.post(f"/portal/demands/{demand.pk}/outcome/", {f"hired_{position_id}": "5", "result": "partial"})
    assert done.status_code == 302
    demand.refresh_from_db()
    assert demand.outcome == DemandOutcome.PARTIAL and demand.positions.get().hired == 5
    page = client.get(f"/portal/demands/{demand.pk}/").content.decode()
    assert "未完全达成" in page and "可以更正" in page and "更正招聘结果" in page
    assert DemandEvent.objects.filter(demand=demand, action="outcome").exists()


def test_R_PT_06_withdraw_a_pending_demand(accounts):
    user = accounts.approved.user
    demand = save_demand(actor=user, data=demand_input())
    submit_demand(actor=user, demand_id=demand.pk)
    response = as_user(user).post(f"/portal/demands/{demand.pk}/withdraw/")
    assert response["Location"] == "/portal/demands/?done=withdrawn" and not Demand.objects.exists()


def test_R_PT_04_a_rejected_demand_shows_its_reason_and_is_resubmitted(accounts):
    user, staff = accounts.approved.user, accounts.staff
    demand = save_demand(actor=user, data=demand_input())
    submit_demand(actor=user, demand_id=demand.pk)
    decide_demand(actor=staff, demand_id=demand.pk, approve=False, reason="薪资填写有误")
    client = as_user(user)
    assert "薪资填写有误" in client.get("/portal/demands/").content.decode()
    assert client.post(f"/portal/demands/{demand.pk}/edit/", form(position(0), action="submit")).status_code == 302
    assert Demand.objects.get().status == DemandStatus.PENDING


def test_R_PT_04_pending_and_rejected_accounts_see_why_not_the_form(accounts, client, role_user):
    for account, text in ((accounts.pending, "账号待审核"), (accounts.rejected, "营业执照名称不一致")):
        c = as_user(account.user)
        for url in ("/portal/demands/", "/portal/demands/new/"):
            response = c.get(url)
            html = response.content.decode()
            assert response.status_code == 403 and text in html and 'id="demand-form"' not in html, url
        assert c.post("/portal/demands/new/", form(position(0))).status_code == 403
    assert not Demand.objects.exists()
    assert client.get("/portal/demands/")["Location"].startswith("/portal/login/")
    assert as_user(role_user("clerk")).get("/portal/demands/").status_code == 403


def test_R_PT_04_another_enterprise_cannot_open_a_demand(accounts):
    other = register_account(data=registration(8))
    decide_access(actor=accounts.staff, account_id=other.pk, subsystem=Subsystem.PORTAL, approve=True)
    demand = approved_demand(accounts.approved.user, accounts.staff)
    client = as_user(other.user)
    for url in ("", "edit/"):
        assert client.get(f"/portal/demands/{demand.pk}/{url}").status_code == 404
    for url in ("submit/", "withdraw/", "outcome/"):
        assert client.post(f"/portal/demands/{demand.pk}/{url}").status_code == 404
    assert "常州测试1号" not in client.get("/portal/demands/").content.decode()
