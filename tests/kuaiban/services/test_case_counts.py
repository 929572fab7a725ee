"""The figures' case counts (selectors.counts, services.case_counts; R-KB-18/19): after any
sequence of registrations and workflow steps through the real services the
stored counts equal the counts computed from the cases; a failed step leaves
them untouched; the nightly reconcile repairs and reports a difference; a
grid worker of two grids gets the same figures as their case list behind them."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient
from zhonglou_hrss.core import clock
from zhonglou_hrss.core.errors import StateConflict
from zhonglou_hrss.core.models import Grid
from zhonglou_hrss.kuaiban.selectors import counts as case_counts
from zhonglou_hrss.kuaiban.selectors import figures as stats
from zhonglou_hrss.kuaiban.models import CaseCount, CaseStatus
from zhonglou_hrss.kuaiban.services.transitions import perform

from tests.kuaiban.conftest import HANDLING, PATHS
from tests.tokens import authorize

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
G0, G1, G2 = "320404", "320404001", "320404002"
RESOLVE = {"resolution_way": "mediation", "amount": "1200", "notes": "已调解"}


def assert_exact():
    assert not CaseCount.objects.filter(n__lt=0).exists()
    assert case_counts.stored_counts() == case_counts.live_counts()


# Steps that move a case between cells in every way a key can change: status,
# grid (regrid), attributed grid (district handling), grid_seen (a return).
STORIES = [
    [],
    PATHS["grid_resolved"],
    PATHS["district_triage"],
    PATHS["closed"],  # returned by 五星 (not seen), attributed back to 五星 by the inspector
    PATHS["ended_invalid"],
    [("grid_return", "grid1", {"reason": "不属于本网格"}), ("triage_regrid", "clerk", {"grid": G2}),
     ("grid_accept", "grid2", {}), ("grid_resolve", "grid2", RESOLVE)],
    PATHS["district_triage"] + [("triage_escalate", "clerk", {}), ("assign", "leader", {"inspector": "k_inspector1"}),
                                ("claim", "inspector1", {}),
                                ("record_handling", "inspector1", {**HANDLING, "attributed_grid": G2})],
]


def test_counts_follow_every_step_exactly(people, new_case):
    """R-KB-18/19: after each registration and each step the counts equal the cases' own."""
    moments = [dt.datetime(2025, 12, 31, 23, 50, tzinfo=SH), dt.datetime(2026, 1, 1, 0, 5, tzinfo=SH),
               dt.datetime(2026, 6, 15, 9, 0, tzinfo=SH)]
    for i, steps in enumerate(STORIES):
        with clock.at(moments[i % len(moments)]):
            case = new_case(grid=G1)
            assert_exact()
            for action, who, data in steps:
                perform(case_id=case.pk, action=action, actor=getattr(people, who), data=dict(data))
                assert_exact()
    with clock.at(moments[0]):
        new_case(grid=G0)  # 区本级: no round, counted under 区本级 until attributed
    assert_exact()
    # New Year's Eve in Shanghai is the previous year, whatever UTC says.
    years = {k.year for k in case_counts.stored_counts()}
    assert years == {2025, 2026}
    # The returned-then-attributed case counts for 五星 but not as seen by 五星.
    assert any(k.status == CaseStatus.CLOSED and not k.grid_seen for k in case_counts.stored_counts())


def test_a_refused_step_leaves_the_counts_alone(people, case_in):
    case = case_in("grid_resolved")
    before = case_counts.stored_counts()
    with pytest.raises(StateConflict):
        perform(case_id=case.pk, action="grid_accept", actor=people.grid1, data={})
    assert case_counts.stored_counts() == before


def test_reconcile_repairs_and_reports_differences(people, new_case):
    """The nightly safety net: a count changed behind the services' back is put right and reported."""
    new_case(grid=G1)
    new_case(grid=G1)
    cell = CaseCount.objects.get(n=2)
    CaseCount.objects.filter(pk=cell.pk).update(n=5)
    CaseCount.objects.create(stat_grid=Grid.objects.get(code=G2), year=2020, month=1, status="closed",
                             grid_seen=True, n=3)

    out = StringIO()
    call_command("reconcile_case_counts", stdout=out)

    assert "5 → 2" in out.getvalue() and "3 → 0" in out.getvalue() and "已修正 2 项" in out.getvalue()
    assert_exact()
    out = StringIO()
    call_command("reconcile_case_counts", stdout=out)
    assert "无需修正" in out.getvalue()


def test_reconcile_is_scheduled_every_night():
    """cron.py (loaded by ``manage.py rqcron``) schedules the reconcile job nightly:
    kuaiban registers it with core's registry, cron.py registers every registered job."""
    import importlib

    from rq import cron
    from zhonglou_hrss import cron as schedule
    from zhonglou_hrss.core.health import run_periodic

    cron._job_data_registry.clear()
    importlib.reload(schedule)
    # Every job runs through core.health.run_periodic (its log line and last run recorded).
    jobs = {data["args"][0]: data for data in cron._job_data_registry}
    cron._job_data_registry.clear()
    reconcile = jobs["zhonglou_hrss.kuaiban.tasks.reconcile_case_counts"]
    assert reconcile["func"] is run_periodic
    assert reconcile["cron"] == "45 3 * * *"
    assert reconcile["queue_name"] == "default"


def test_two_grid_worker_figures_equal_their_list(people, make_user, new_case):
    """R-KB-16/18: a grid worker of two grids counts, per grid, the cases that
    grid had in hand — the same cases as their list filtered by that grid —
    even when a case they see through one grid is attributed to the other."""
    both = make_user("k_grid12", roles=["grid_worker"], grids=[G1, G2], name="两网格网格员")
    now = dt.datetime(2026, 6, 1, 10, tzinfo=SH)
    with clock.at(now):
        for steps in STORIES:
            case = new_case(grid=G1)
            for action, who, data in steps:
                perform(case_id=case.pk, action=action, actor=getattr(people, who), data=dict(data))
        client = APIClient()
        authorize(client, both)
        body = client.get("/api/v1/kuaiban/stats/map/", {"year": 2026}).json()
        for row in body["grids"]:
            listed = client.get("/api/v1/kuaiban/cases/", {"stat_grid": row["code"], "year": 2026}).json()
            assert listed["count"] == row["cases_received"], row["code"]
        # The case failed in 五星 and attributed to 永红 is seen by this worker (through 五星)
        # but counted for neither of their grids: 永红 never had it in hand.
        leader_g2 = {r["code"]: r for r in stats.map_figures(people.leader, 2026)["grids"]}[G2]
        mine_g2 = {r["code"]: r for r in body["grids"]}[G2]
        assert leader_g2["cases_received"] == mine_g2["cases_received"] + 1
