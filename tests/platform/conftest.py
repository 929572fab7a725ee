"""Saved-report test helpers: API clients signed in as a user, a report saved
and run through the API, cases registered at given moments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.kuaiban.conftest import make_people, registration  # noqa: F401  (people of every kuaiban role)
from tests.tokens import authorize
from zhonglou_hrss.core import clock
from zhonglou_hrss.kuaiban.models import CaseSource
from zhonglou_hrss.kuaiban.services.registration import register_case

API = "/api/v1/platform/reports/"


def api_as(user) -> APIClient:
    client = APIClient()
    if user is not None:
        authorize(client, user)
    return client


def local(*args) -> dt.datetime:
    """An aware moment of the site's time zone: local(2026, 1, 31, 23, 30)."""
    return timezone.make_aware(dt.datetime(*args))


def save(client, **body):
    body.setdefault("name", "测试报表")
    return client.post(API, body, format="json")


def run(client, report_id):
    return client.get(f"{API}{report_id}/run/")


def rows_of(response) -> list:
    assert response.status_code == 200, response.content.decode()
    return response.json()["rows"]


@pytest.fixture
def people(make_user):
    return make_people(make_user)


@pytest.fixture
def case_at(people):
    """case_at(local(2026, 1, 31, 23, 30), grid="320404002") -> a case registered at that moment."""

    def _make(when, **overrides):
        with clock.at(when):
            return register_case(actor=people.clerk, data=registration(**overrides), source=CaseSource.INTERNAL).case

    return _make
