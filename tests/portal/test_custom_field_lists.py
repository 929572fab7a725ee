"""Issue 17: custom fields in the desk lists of 人才需求, 招聘会报名 and 急难愁盼 —
the marked columns with their values (a personal one masked, a leaders' one
absent), the choice, number and date filters keeping the right rows, a bad
value answered in Chinese (tests/custom_lists.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.custom_lists import A, B, check_list, define_fields, give
from tests.portal.conftest import make_concern

pytestmark = pytest.mark.django_db


def desk(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(make_user):
    return make_user("cf_list_admin", roles=["admin"])


def test_the_demand_list(accounts, admin):
    from tests.portal.demands import approved_demand

    define_fields(admin, "demand")
    made = []
    for values in (A, B):
        demand = approved_demand(accounts.approved.user, accounts.staff)
        give(demand, "demand", values)
        made.append(demand)
    check_list(desk(accounts.staff), "/desk/portal/demand/", f'href="{made[0].pk}/"', f'href="{made[1].pk}/"')


def test_the_registration_list(accounts, admin):
    from tests.portal.jobfairs import make_fair
    from zhonglou_hrss.portal.models import Registration, RegistrationStatus

    define_fields(admin, "registration")
    fair = make_fair(accounts.staff)
    for n, (account, values) in enumerate(((accounts.approved, A), (accounts.pending, B))):
        registration = Registration.objects.create(
            fair=fair, account=account, enterprise=account.enterprise,
            company_name=f"报名公司{'甲乙'[n]}", contact_name="周", contact_phone="13912345678", introduction="简介",
            status=RegistrationStatus.PENDING)
        give(registration, "registration", values)
    check_list(desk(accounts.staff), "/desk/portal/registration/", "报名公司甲", "报名公司乙",
               extra={"fair": str(fair.pk)})


def test_the_concern_list(accounts, admin):
    define_fields(admin, "concern")
    made = []
    for n, values in enumerate((A, B)):
        concern = make_concern(n + 1)
        give(concern, "concern", values)
        made.append(concern)
    check_list(desk(accounts.staff), "/desk/portal/concern/", made[0].number, made[1].number)


def test_the_job_fair_export_carries_the_registrations_custom_fields(accounts, admin, make_user):
    """Issue 17 / R-PT-19: the fair's workbook adds the registrations' custom fields the exporter may
    see (补充信息), as people read them; a personal one masked unless a full export."""
    from io import BytesIO

    from openpyxl import load_workbook

    from tests.portal.services.test_jobfair_export import _registered
    from tests.portal.jobfairs import make_fair

    define_fields(admin, "registration")
    fair = make_fair(accounts.staff)
    give(_registered(accounts.approved.user, fair, 1, staff=accounts.staff), "registration", A)

    def sheet(user, **form):
        response = desk(user).post("/desk/portal/registration/export/", {"fair": fair.pk, **form})
        assert response.status_code == 200, response.status_code
        ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
        header = [c.value for c in ws[5]]
        return dict(zip(header, [c.value for c in ws[6]])), ws

    masked, ws = sheet(accounts.staff)
    assert "补充信息" in [c.value for c in ws[4]]
    assert (masked["级别"], masked["职工人数"], masked["补贴金额"], masked["走访日期"]) == ("甲类", "5", "1.5",
                                                                                           "2026-03-01")
    assert masked["联系人姓名"] == "张**" and "领导批注" not in masked and "内部密级" not in masked
    exporter = make_user("p_cf_exporter", roles=["portal_staff", "leader"])
    full, _ = sheet(exporter, full="1", export_reason="核对参会企业")
    assert full["联系人姓名"] == "张三丰" and full["领导批注"] == "只给领导看" and full["内部密级"] == "秘"
