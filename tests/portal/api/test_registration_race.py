"""Job-fair registrations under real races through the API (R-PT-09, 10,
house rule: nothing half-saved). Each request runs on its own thread and
database connection; the one that must be first is held inside its
transaction by a monkeypatched sleep, so the other certainly arrives while it
holds the row (MariaDB: ``select_for_update``; SQLite: ``BEGIN IMMEDIATE``).

- R-PT-10: two POSTs of one enterprise for one fair, both past the check →
  one 201, one 400 on ``jobfair``, one registration.
- R-PT-09: an enterprise's PUT racing staff's approval → either the PUT lands
  first and the approved registration is exactly the PUT's, or the PUT gets
  409 and the approved registration is the one before it — never approved
  with a half-written row set.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict

import pytest
from django.db import connection

from tests.portal.conftest import api_as
from tests.portal.jobfairs import jpeg_with_exif, make_fair, registration_input
from zhonglou_hrss.portal.models import Attendee, Registration, RegistrationEvent
from zhonglou_hrss.portal.services import jobfairs as service

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/v1/portal/registrations/"
HOLD_SECONDS = 0.5
JOIN_TIMEOUT = 60


def body(fair, **overrides) -> dict:
    data = asdict(registration_input(fair, **overrides))
    data["jobfair"] = data.pop("fair_id")
    return data


def in_a_race() -> bool:
    return threading.current_thread() is not threading.main_thread()


def run(*calls):
    """Run each call on its own thread (its own connection); their answers, in order."""
    answers = [None] * len(calls)

    def worker(i):
        try:
            answers[i] = calls[i]()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(JOIN_TIMEOUT)
    assert all(a is not None for a in answers), "a request did not finish"
    return answers


@pytest.fixture
def race(base_data, accounts):
    return accounts


def test_R_PT_10_two_posts_for_one_fair_at_once(race, monkeypatch):
    """R-PT-10: both requests pass every check before either writes: the database decides —
    one 201, the other 400 naming ``jobfair``; one registration and its rows."""
    fair = make_fair(race.staff)
    checked = threading.Barrier(2)
    real = service.validate_registration

    def both_checked_first(data, **kwargs):
        result = real(data, **kwargs)
        if in_a_race():
            checked.wait(timeout=10)
            time.sleep(0.1)
        return result

    monkeypatch.setattr(service, "validate_registration", both_checked_first)
    client = api_as(race.approved.user)
    answers = run(*[lambda: client.post(URL, body(fair), format="json")] * 2)
    assert sorted(a.status_code for a in answers) == [201, 400], [a.json() for a in answers]
    loser = next(a for a in answers if a.status_code == 400)
    assert loser.json()["errors"] == {"jobfair": [service.ONE_PER_FAIR]}
    assert Registration.objects.count() == 1
    assert Attendee.objects.count() == 1 and RegistrationEvent.objects.count() == 1


@pytest.fixture
def pending(race):
    """A pending registration: 1 attendee, 2 positions, contact 周联系."""
    fair = make_fair(race.staff)
    user = race.approved.user
    reg = service.save_registration(actor=user, data=registration_input(fair, attendees=1, positions=2))
    service.set_stamped_form(actor=user, registration_id=reg.pk, upload=jpeg_with_exif())
    service.submit_registration(actor=user, registration_id=reg.pk)
    return reg


def _rows(reg_id) -> tuple:
    reg = Registration.objects.get(pk=reg_id)
    return reg.status, reg.contact_name, reg.attendees.count(), reg.positions.count()


def test_R_PT_09_a_put_holding_the_row_lands_before_the_approval(race, pending, monkeypatch):
    """R-PT-09: the PUT is inside its transaction, its attendees rewritten and its positions not
    yet, when staff approve: the approval waits, then approves exactly what the PUT wrote."""
    inside = threading.Event()
    manager = Attendee.objects
    real_bulk = manager.bulk_create

    def half_written(*args, **kwargs):
        rows = real_bulk(*args, **kwargs)
        if in_a_race():
            inside.set()
            time.sleep(HOLD_SECONDS)  # old positions deleted, new ones not yet written
        return rows

    monkeypatch.setattr(manager, "bulk_create", half_written)
    enterprise, staff = api_as(race.approved.user), api_as(race.staff)
    new = body(pending.fair, attendees=3, positions=4, contact_name="吴联系")

    def approve_once_inside():
        assert inside.wait(10)
        return staff.post(f"{URL}{pending.pk}/approve/")

    put, approve = run(lambda: enterprise.put(f"{URL}{pending.pk}/", new, format="json"), approve_once_inside)
    assert (put.status_code, approve.status_code) == (200, 200), (put.json(), approve.json())
    assert _rows(pending.pk) == ("approved", "吴联系", 3, 4)
    answer = approve.json()
    assert (len(answer["attendees"]), len(answer["positions"]), answer["contact_name"]) == (3, 4, "吴联系")


def test_R_PT_09_an_approval_holding_the_row_refuses_the_put(race, pending, monkeypatch):
    """R-PT-09: staff's approval is inside its transaction when the PUT arrives: the PUT waits,
    then finds the registration approved → 409; nothing of the PUT is saved."""
    inside = threading.Event()
    real_event = service._event

    def held(registration, action, **kwargs):
        result = real_event(registration, action, **kwargs)
        if action == "approve" and in_a_race():
            inside.set()
            time.sleep(HOLD_SECONDS)
        return result

    monkeypatch.setattr(service, "_event", held)
    enterprise, staff = api_as(race.approved.user), api_as(race.staff)
    new = body(pending.fair, attendees=3, positions=4, contact_name="吴联系")

    def put_once_inside():
        assert inside.wait(10)
        return enterprise.put(f"{URL}{pending.pk}/", new, format="json")

    approve, put = run(lambda: staff.post(f"{URL}{pending.pk}/approve/"), put_once_inside)
    assert (approve.status_code, put.status_code) == (200, 409), (approve.json(), put.json())
    assert put.json()["detail"] == "报名已审核通过，不能再修改或撤回；如需变更请联系就业服务工作人员"
    assert _rows(pending.pk) == ("approved", "周联系", 1, 2)


def test_R_PT_09_put_and_approve_at_the_same_moment_never_approve_a_half_row_set(race, pending):
    """R-PT-09: started together, whichever wins: the approved registration is the PUT's whole
    (3 attendees, 4 positions) or the one before it whole (1, 2) — never a mix."""
    enterprise, staff = api_as(race.approved.user), api_as(race.staff)
    new = body(pending.fair, attendees=3, positions=4, contact_name="吴联系")
    start = threading.Barrier(2)

    def together(call):
        def go():
            start.wait(10)
            return call()
        return go

    put, approve = run(together(lambda: enterprise.put(f"{URL}{pending.pk}/", new, format="json")),
                       together(lambda: staff.post(f"{URL}{pending.pk}/approve/")))
    assert approve.status_code == 200
    if put.status_code == 200:
        assert _rows(pending.pk) == ("approved", "吴联系", 3, 4)
    else:
        assert put.status_code == 409
        assert _rows(pending.pk) == ("approved", "周联系", 1, 2)
