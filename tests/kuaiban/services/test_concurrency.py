"""Two people acting on one case at the same moment (house rule 2, issue #3):
exactly one wins, the other gets StateConflict (409, "already handled"), and
exactly one timeline row is written — on SQLite and on MariaDB.

Real threads, each with its own database connection, start together at a
``threading.Barrier``. The winner is held inside its transaction for a moment
(``write_event`` sleeps before writing) so the other one certainly arrives
while the winner still holds the lock — without the row lock (MariaDB:
``select_for_update``; SQLite: ``BEGIN IMMEDIATE``, the site's
``transaction_mode``) both would read the old status and both would write.

These tests commit for real, so they are transactional: the database is
flushed after each one and the base fixtures are synced again (``base_data``).
SQLite: the test database is a file (tests/conftest.py
``django_db_modify_db_settings``) — an in-memory one is shared between threads
only in shared-cache mode, where the second writer fails at once instead of
waiting for the lock.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from zhonglou_hrss.core.errors import NotVisible, StateConflict
from zhonglou_hrss.core.models import User
from zhonglou_hrss.kuaiban.selectors import counts as case_counts
from zhonglou_hrss.kuaiban.models import Case, CaseCount, CaseEvent, CaseSource, GridRound, InspectorAssignment
from zhonglou_hrss.kuaiban.services import registration as registration_service
from zhonglou_hrss.kuaiban.services import transitions
from zhonglou_hrss.kuaiban.services.registration import register_case
from zhonglou_hrss.kuaiban.services.transitions import perform

from tests.kuaiban.conftest import HANDLING, registration

pytestmark = pytest.mark.django_db(transaction=True)

HOLD_SECONDS = 0.4
JOIN_TIMEOUT = 60


@pytest.fixture
def crowd(base_data, people, make_user, monkeypatch):
    """The kuaiban people (after base data is synced again) plus second ones, and a
    winner that holds its transaction open for a moment."""
    people.grid1b = make_user("k_grid1b", roles=["grid_worker"], grids=["320404001"], name="五星网格员乙")
    people.clerk2 = make_user("k_clerk2", roles=["district_clerk"], name="钱内勤")
    people.leader2 = make_user("k_leader2", roles=["leader"], name="孙科长")

    def slow(original):
        def _slow(*args, **kwargs):
            if threading.current_thread() is not threading.main_thread():  # only in a race
                time.sleep(HOLD_SECONDS)
            return original(*args, **kwargs)
        return _slow

    monkeypatch.setattr(transitions, "write_event", slow(transitions.write_event))
    monkeypatch.setattr(registration_service, "write_event", slow(registration_service.write_event))
    return people


def race(*calls):
    """Run the calls in threads started together; each gets a fresh copy of its user
    (own connection, own permission cache). Returns [("ok", result) | ("error", exc)]."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 — reported to the test
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (lock never released?)"
    return results


def acting(user, case, action, data=None):
    def call():
        actor = User.objects.get(pk=user.pk)
        return perform(case_id=case.pk, action=action, actor=actor, data=dict(data or {}))
    return call


def one_winner(results, loser_error=StateConflict):
    oks = [i for i, (kind, _) in enumerate(results) if kind == "ok"]
    errors = [value for kind, value in results if kind == "error"]
    assert len(oks) == 1, f"exactly one must win: {results}"
    assert len(errors) == 1 and isinstance(errors[0], loser_error), f"the other gets {loser_error}: {results}"
    return oks[0], errors[0]


def events(case, action):
    return list(CaseEvent.objects.filter(case=case, action=action))


def test_two_grid_workers_accept_at_once(crowd, case_in):
    case = case_in("grid_pending")
    results = race(acting(crowd.grid1, case, "grid_accept"), acting(crowd.grid1b, case, "grid_accept"))
    winner, error = one_winner(results)
    assert error.status == 409 and "网格处置中" in error.message
    winner_user = (crowd.grid1, crowd.grid1b)[winner]
    [event] = events(case, "grid_accept")
    assert event.actor_id == winner_user.pk
    round_ = GridRound.objects.get(case=case)
    assert round_.accepted_by_id == winner_user.pk
    case.refresh_from_db()
    assert case.status == "grid_handling" and case.grid_accepted_at == round_.accepted_at


def test_two_clerks_triage_differently_at_once(crowd, case_in):
    case = case_in("district_triage")
    results = race(acting(crowd.clerk, case, "triage_escalate"),
                   acting(crowd.clerk2, case, "triage_invalid", {"reason": "重复投诉"}))
    winner, _ = one_winner(results)
    case.refresh_from_db()
    assert case.status == ("awaiting_assignment", "ended_invalid")[winner]
    assert CaseEvent.objects.filter(case=case, action__startswith="triage_").count() == 1


def test_grid_worker_resolves_while_the_other_returns(crowd, case_in):
    """Either the resolution wins (the return then finds the case done: 409) or the
    return wins (the case then is no longer the grid's to see, R-KB-07: 404)."""
    case = case_in("grid_handling")
    results = race(
        acting(crowd.grid1, case, "grid_resolve", {"resolution_way": "mediation", "amount": "100", "notes": "已调解"}),
        acting(crowd.grid1b, case, "grid_return", {"reason": "不属于本网格"}))
    winner = [kind for kind, _ in results].index("ok")
    one_winner(results, loser_error=(StateConflict, NotVisible)[winner])
    case.refresh_from_db()
    assert case.status == ("grid_resolved", "district_triage")[winner]
    round_ = GridRound.objects.get(case=case)
    assert round_.outcome == ("success", "returned")[winner] and round_.open_case_id is None
    assert CaseEvent.objects.filter(case=case, action__in=["grid_resolve", "grid_return"]).count() == 1


def test_double_click_records_the_handling_once(crowd, case_in):
    case = case_in("inspecting")
    results = race(acting(crowd.inspector1, case, "record_handling", HANDLING),
                   acting(crowd.inspector1, case, "record_handling", {**HANDLING, "amount": "9999"}))
    winner, error = one_winner(results)
    assert error.message == "处理结果已记录"
    case.refresh_from_db()
    assert str(case.handling_amount) == ("3000.00", "9999.00")[winner]
    assert len(events(case, "record_handling")) == 1


def test_two_leaders_assign_at_once_the_second_sees_the_first(crowd, case_in):
    """R-KB-09: both leaders may assign — the one who comes second finds the case
    already assigned and, as the table allows before a claim, reassigns it. No
    lost update: one current assignment, the other one superseded, and the
    timeline shows the second as a reassignment naming the first inspector."""
    case = case_in("awaiting_assignment")
    results = race(acting(crowd.leader, case, "assign", {"inspector": "k_inspector1"}),
                   acting(crowd.leader2, case, "assign", {"inspector": "k_inspector2"}))
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    first, second = sorted(events(case, "assign"), key=lambda e: e.pk)
    assert (first.from_status, first.to_status) == ("awaiting_assignment", "awaiting_claim")
    assert (second.from_status, second.to_status) == ("awaiting_claim", "awaiting_claim")
    assert second.payload["previous_inspector"] == first.payload["inspector"]
    assignments = InspectorAssignment.objects.filter(case=case).order_by("pk")
    assert [a.open_case_id is not None for a in assignments] == [False, True]
    assert assignments[0].superseded_at is not None
    assert second.payload["inspector"] == assignments[1].inspector.name
    case.refresh_from_db()
    assert case.status == "awaiting_claim"


def test_inspector_claims_while_the_leader_reassigns(crowd, case_in):
    """R-KB-09/10: either the claim wins (the reassignment is then too late: 409) or the
    reassignment wins (the case is then no longer the first inspector's: 404)."""
    case = case_in("awaiting_claim")
    results = race(acting(crowd.inspector1, case, "claim"),
                   acting(crowd.leader, case, "assign", {"inspector": "k_inspector2"}))
    kinds = [kind for kind, _ in results]
    assert sorted(kinds) == ["error", "ok"], results
    case.refresh_from_db()
    if kinds[0] == "ok":  # claimed first
        assert isinstance(results[1][1], StateConflict)
        assert case.status == "inspecting" and case.open_assignment.inspector_id == crowd.inspector1.pk
        assert len(events(case, "assign")) == 1  # only the original assignment
    else:
        assert isinstance(results[0][1], NotVisible)
        assert case.status == "awaiting_claim" and case.open_assignment.inspector_id == crowd.inspector2.pk
        assert events(case, "claim") == []


def test_concurrent_registrations_get_distinct_numbers_and_one_case_per_complaint(crowd):
    """R-KB-01: numbers never collide; the same complaint sent twice at once is one case."""
    same = registration()
    distinct = [registration() for _ in range(3)]

    def registering(data):
        def call():
            return register_case(actor=User.objects.get(pk=crowd.clerk.pk), data=data, source=CaseSource.INTERNAL)
        return call

    results = race(*[registering(d) for d in distinct], registering(same), registering(same))
    assert all(kind == "ok" for kind, _ in results), results
    outcomes = [value for _, value in results]
    twins = outcomes[3:]
    assert twins[0].case.pk == twins[1].case.pk and sorted(o.duplicate for o in twins) == [False, True]
    assert Case.objects.count() == 4
    numbers = sorted(Case.objects.values_list("number", flat=True))
    year_prefix = numbers[0][:7]
    assert numbers == [f"{year_prefix}{n:06d}" for n in range(int(numbers[0][7:]), int(numbers[0][7:]) + 4)]
    assert CaseEvent.objects.filter(action="register").count() == 4
    # The figures' case counts (one cell for all four) were kept exactly under the race.
    assert case_counts.live_counts() == case_counts.stored_counts()
    assert sum(case_counts.stored_counts().values()) == 4


def test_two_cases_of_one_grid_move_at_once_and_the_counts_stay_exact(crowd, case_in):
    """R-KB-18: two grid workers accept two cases of the same grid at once — both
    move between the same two count cells; neither waits forever, none is lost."""
    first, second = case_in("grid_pending"), case_in("grid_pending")
    results = race(acting(crowd.grid1, first, "grid_accept"), acting(crowd.grid1b, second, "grid_accept"))
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert case_counts.live_counts() == case_counts.stored_counts()
    assert not CaseCount.objects.filter(n__lt=0).exists()


def test_many_people_moving_cases_of_the_same_grids_at_once(crowd, case_in):
    """R-KB-18: nine people act at the same moment — registrations and steps
    that move cases in and out of the same count cells (both directions
    between grid 五星 and 永红) — every one succeeds, none waits forever
    (no lock cycle), and the figures' counts equal the cases' own."""
    pending = [case_in("grid_pending") for _ in range(2)]
    handling = [case_in("grid_handling") for _ in range(2)]
    triage = [case_in("district_triage") for _ in range(2)]
    waiting = case_in("awaiting_assignment")
    resolve = {"resolution_way": "mediation", "amount": "500", "notes": "已调解"}

    def registering(grid):
        def call():
            return register_case(actor=User.objects.get(pk=crowd.clerk.pk), data=registration(grid=grid),
                                 source=CaseSource.INTERNAL)
        return call

    results = race(
        acting(crowd.grid1, pending[0], "grid_accept"),
        acting(crowd.grid1b, pending[1], "grid_return", {"reason": "不属于本网格"}),
        acting(crowd.grid1, handling[0], "grid_resolve", resolve),
        acting(crowd.grid1b, handling[1], "grid_fail", {"notes": "企业拒绝调解"}),
        acting(crowd.clerk, triage[0], "triage_regrid", {"grid": "320404002"}),
        acting(crowd.clerk2, triage[1], "triage_escalate"),
        acting(crowd.leader, waiting, "assign", {"inspector": "k_inspector1"}),
        registering("320404001"),
        registering("320404002"),
    )
    assert all(kind == "ok" for kind, _ in results), results
    assert case_counts.live_counts() == case_counts.stored_counts()
    assert not CaseCount.objects.filter(n__lt=0).exists()


def test_nightly_check_while_cases_move(crowd, case_in):
    """The nightly check (services.case_counts.reconcile) runs while people
    register and move cases through cells it is repairing: it blocks nobody
    for long, nothing fails or deadlocks, and afterwards every count is exact —
    the cells it repaired and the moves made meanwhile counted once each."""
    from zhonglou_hrss.kuaiban.services.case_counts import reconcile

    pending = [case_in("grid_pending") for _ in range(3)]
    handling = [case_in("grid_handling") for _ in range(2)]
    # Damage the cells these cases count in, as a change behind the services' back would.
    damaged = list(CaseCount.objects.filter(n__gt=0))
    CaseCount.objects.filter(pk__in=[c.pk for c in damaged]).update(n=99)
    resolve = {"resolution_way": "mediation", "amount": "500", "notes": "已调解"}

    def registering(grid):
        def call():
            return register_case(actor=User.objects.get(pk=crowd.clerk.pk), data=registration(grid=grid),
                                 source=CaseSource.INTERNAL)
        return call

    results = race(
        lambda: reconcile(log_differences=False),
        acting(crowd.grid1, pending[0], "grid_accept"),
        acting(crowd.grid1b, pending[1], "grid_return", {"reason": "不属于本网格"}),
        acting(crowd.grid1, handling[0], "grid_resolve", resolve),
        acting(crowd.grid1b, handling[1], "grid_fail", {"notes": "企业拒绝调解"}),
        registering("320404001"),
        registering("320404002"),
    )
    assert all(kind == "ok" for kind, _ in results), results
    repaired = results[0][1]
    assert repaired  # it found the damage
    assert case_counts.live_counts() == case_counts.stored_counts()
    assert not CaseCount.objects.filter(n__lt=0).exists()
    assert reconcile(log_differences=False) == []  # and nothing is left to repair
