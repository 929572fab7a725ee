"""Portal fixtures: enterprise accounts in each state, news and concerns made
through the services, API clients signed in with real tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.accounts import register_body, registration, uscc  # noqa: F401  (the portal tests' helpers)
from tests.tokens import authorize
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access, register_account
from zhonglou_hrss.portal.services.concerns import ConcernInput, submit_concern
from zhonglou_hrss.portal.services.news import NewsInput, save_news


@dataclass
class Accounts:
    approved: object
    pending: object
    rejected: object
    staff: object


@pytest.fixture
def accounts(make_user):
    staff = make_user("p_staff", roles=["portal_staff"], name="陈就业")
    approved = register_account(data=registration(1))
    pending = register_account(data=registration(2))
    rejected = register_account(data=registration(3))
    decide_access(actor=staff, account_id=approved.pk, subsystem=Subsystem.PORTAL, approve=True)
    decide_access(actor=staff, account_id=rejected.pk, subsystem=Subsystem.PORTAL, approve=False,
                  reason="营业执照名称不一致")
    return Accounts(approved, pending, rejected, staff)


def api_as(user) -> APIClient:
    client = APIClient()
    if user is not None:
        authorize(client, user)
    return client


@pytest.fixture
def staff(make_user):
    return make_user("p_staff2", roles=["portal_staff"], name="王就业")


def make_news(actor, n: int = 1, *, days_ago: int = 1, pinned: bool = False, published: bool = True,
              title: str = "", content: str = "<p>正文</p>"):
    return save_news(actor=actor, data=NewsInput(
        title=title or f"资讯{n}", published_on=timezone.localdate() - timedelta(days=days_ago),
        publisher="就业促进科", content_html=content, pinned=pinned, is_published=published))


def make_concern(n: int = 1, **overrides):
    values = dict(name=f"群众{n}", phone=f"1381234{n:04d}", details=f"咨询内容{n}")
    values.update(overrides)
    return submit_concern(data=ConcernInput(**values)).concern


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Each test starts with no rate-limit counts (the cache outlives a test's transaction)."""
    from django.core.cache import cache

    cache.clear()
