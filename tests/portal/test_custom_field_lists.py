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
