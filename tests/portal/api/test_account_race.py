"""One account per USCC under a real race (R-PT-03, house rule 8): two
registrations of one code sent at the same moment through the API, each on
its own thread and database connection, both past the check before either
writes — exactly one 201, the other a clear 400 on ``uscc``, and nothing of
the loser left behind (no user, no account)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.portal.conftest import register_body
from zhonglou_hrss.core.models import EnterpriseAccount, User
from zhonglou_hrss.core.services import accounts as service

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_registrations_of_one_uscc_at_once(base_data, monkeypatch):
    checked = threading.Barrier(2)
    real = service.validate_registration

    def both_checked_first(data, **kwargs):
        result = real(data, **kwargs)
        checked.wait(timeout=10)  # both requests have passed the check: the database must decide
        time.sleep(0.1)
        return result

    monkeypatch.setattr(service, "validate_registration", both_checked_first)
    responses = [None, None]

    def register(i):
        try:
            responses[i] = APIClient(REMOTE_ADDR=f"10.0.0.{i + 1}").post(
                "/api/v1/portal/accounts/register/", register_body(1, username=f"racer{i}"), format="json")
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 400], [r.json() for r in responses]
    loser = next(r for r in responses if r.status_code == 400)
    assert loser.json()["errors"] == {"uscc": [service.USCC_TAKEN]}
    assert EnterpriseAccount.objects.count() == 1
    assert User.objects.filter(username__startswith="racer").count() == 1
