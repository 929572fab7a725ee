"""R-CR-08 / R-CR-05: one response per respondent, HR company and year is the
database's unique constraint — two identical submissions at the same moment
(real threads, each with its own connection, started together) make one
response; the other request gets 409 with a clear Chinese message. The
winner is held inside its transaction for a moment so the loser certainly
arrives while the winner's row is not yet committed (as
tests/kuaiban/services/test_concurrency.py does)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from tests.questionnaires.conftest import HR1, api_as, employee_body, hr_body
from zhonglou_hrss.questionnaires.models import Response
from zhonglou_hrss.questionnaires.services import responses as response_service

pytestmark = pytest.mark.django_db(transaction=True)

HOLD_SECONDS = 0.4


@pytest.fixture
def slow_writes(base_data, monkeypatch):
    original = response_service.ResponseEvent.objects.create

    def slow(*args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            time.sleep(HOLD_SECONDS)
        return original(*args, **kwargs)

    monkeypatch.setattr(response_service.ResponseEvent.objects, "create", slow)


def race(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 — reported to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results


def test_same_employee_twice_at_once_one_response_and_a_409(slow_writes, world):
    """R-CR-08: the same ID number, HR company and year from two requests at once."""
    bodies = [employee_body(77), employee_body(77)]  # each with its own captcha

    def post(body):
        return lambda: api_as().post("/api/v1/questionnaires/employee/responses/", body, format="json")

    results = race(post(bodies[0]), post(bodies[1]))
    statuses = sorted(r.status_code for r in results)
    assert statuses == [201, 409], results
    loser = next(r for r in results if r.status_code == 409)
    assert loser.json()["detail"] == "该身份证号本年度已评价过该单位，每人每年对同一单位只能评价一次"
    assert Response.objects.count() == 1


def test_same_enterprise_evaluates_one_company_twice_at_once(slow_writes, world):
    """R-CR-05: one per (enterprise, HR company, year), enforced by the database."""
    def post():
        return api_as(world.ent1).post("/api/v1/questionnaires/hr/responses/", hr_body(HR1), format="json")

    results = race(post, post)
    assert sorted(r.status_code for r in results) == [201, 409], results
    assert Response.objects.count() == 1
