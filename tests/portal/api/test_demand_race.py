"""An enterprise's edit racing staff's approval (R-PT-06, house rule: a row
lock, never a changed approved demand): real threads, each with its own
connection, the edit held inside its transaction. Either the edit lands
first and what is approved is the edited demand, or the approval lands first
and the edit gets 409 — the rows always match one whole version."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from tests.accounts import registration
from tests.portal.api.test_demands import DEMANDS, body
from tests.portal.conftest import api_as
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access, register_account
from zhonglou_hrss.portal.models import Demand, DemandPosition, DemandStatus
from zhonglou_hrss.portal.services import demands as service

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("first", ["edit", "approve"])
def test_R_PT_06_edit_racing_approval(base_data, make_user, monkeypatch, first):
    staff = make_user("p_race_staff", roles=["portal_staff"])
    account = register_account(data=registration(1))
    decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=True)
    client = api_as(account.user)
    demand_id = client.post(DEMANDS, body(), format="json").json()["id"]
    client.post(f"{DEMANDS}{demand_id}/submit/")
    edited = body(workforce_size=999, positions=body()["positions"] * 3)

    holding = threading.Event()
    real_replace, real_decide_error = service._replace_rows, service.demand_error

    def slow_replace(demand, values):  # the edit holds its lock halfway through writing its rows
        real_replace(demand, values)
        if threading.current_thread() is not threading.main_thread():
            holding.set()
            time.sleep(0.5)

    def slow_approval_check(action, current):
        problem = real_decide_error(action, current)
        if action == "approve" and threading.current_thread() is not threading.main_thread():
            holding.set()
            time.sleep(0.5)
        return problem

    monkeypatch.setattr(service, "_replace_rows", slow_replace if first == "edit" else real_replace)
    monkeypatch.setattr(service, "demand_error", slow_approval_check if first == "approve" else real_decide_error)
    answers = {}

    def edit():
        try:
            if first == "approve":
                holding.wait(10)
            answers["edit"] = api_as(account.user).put(f"{DEMANDS}{demand_id}/", edited, format="json")
        finally:
            connection.close()

    def approve():
        try:
            if first == "edit":
                holding.wait(10)
            answers["approve"] = api_as(staff).post(f"{DEMANDS}{demand_id}/approve/")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit), threading.Thread(target=approve)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    demand = Demand.objects.get(pk=demand_id)
    assert demand.status == DemandStatus.APPROVED
    assert answers["approve"].status_code == 200
    positions = DemandPosition.objects.filter(demand_id=demand_id).count()
    if first == "edit":
        assert answers["edit"].status_code == 200
        assert (demand.workforce_size, positions) == (999, 3)  # what was approved is the edited demand
        assert answers["approve"].json()["workforce_size"] == 999
    else:
        assert answers["edit"].status_code == 409
        assert (demand.workforce_size, positions) == (200, 1)  # untouched
