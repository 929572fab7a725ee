"""Credit fixtures: HR-company accounts in each state (registered through the
credit services), credit staff, the default year as sync_fixtures loads it,
API clients signed in with real tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from rest_framework.test import APIClient

from tests.accounts import registration
from tests.tokens import authorize
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access
from zhonglou_hrss.credit.models import CriteriaYear
from zhonglou_hrss.credit.services.accounts import register_hr_company

YEAR = 2026


@dataclass
class Companies:
    approved: object
    pending: object
    rejected: object
    staff: object


def api_as(user) -> APIClient:
    client = APIClient()
    if user is not None:
        authorize(client, user)
    return client


def hr_company(n: int, licence_date=date(2020, 5, 1)):
    return register_hr_company(data=registration(100 + n, username=f"hrco{n}"), licence_no=f"320404{n:06d}",
                               licence_date=licence_date)


@pytest.fixture
def scheme(db):
    return CriteriaYear.objects.get(year=YEAR)


@pytest.fixture
def credit_staff(make_user):
    return make_user("c_staff", roles=["credit_staff"], name="信用管理员")


@pytest.fixture
def companies(make_user, credit_staff):
    approved, pending, rejected = hr_company(1), hr_company(2), hr_company(3)
    decide_access(actor=credit_staff, account_id=approved.pk, subsystem=Subsystem.CREDIT, approve=True)
    decide_access(actor=credit_staff, account_id=rejected.pk, subsystem=Subsystem.CREDIT, approve=False,
                  reason="许可证与营业执照不符")
    return Companies(approved, pending, rejected, credit_staff)


@pytest.fixture(autouse=True)
def _fresh_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def in_window(scheme):
    """The default year's declaration window (1 Jan - 31 Mar of the next year) moved around today."""
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    CriteriaYear.objects.filter(pk=scheme.pk).update(window_start=today - timedelta(days=1),
                                                     window_end=today + timedelta(days=30))
    scheme.refresh_from_db()
    return scheme
