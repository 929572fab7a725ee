"""Demand statistics on a known data set (R-PT-14): every figure, the period's
edges (local dates, both inclusive), shares summing to 1, per-enterprise
numbers, satisfaction with 未反馈 apart."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.accounts import registration
from tests.portal.demands import approved_demand, demand_input, demand_position
from zhonglou_hrss.core import clock
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access, register_account
from zhonglou_hrss.portal.selectors.demands import demand_statistics
from zhonglou_hrss.portal.services.demands import MajorInput, save_demand, submit_demand

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 1)


def at(day: date, hour: int = 10, minute: int = 0):
    return clock.at(timezone.make_aware(datetime.combine(day, time(hour, minute))))


@pytest.fixture
def data(accounts):
    """Two enterprises; approved demands inside the period, one on each edge, one
    the minute after it, one pending and one draft."""
    other = register_account(data=registration(7))
    decide_access(actor=accounts.staff, account_id=other.pk, subsystem=Subsystem.PORTAL, approve=True)
    a, b, staff = accounts.approved.user, other.user, accounts.staff
    with at(DAY, 0, 0):  # the first minute of the first day
        approved_demand(a, staff, demand_input(positions=[
            demand_position(1, headcount=10, age_band="18_25", education="senior_high", gender="male",
                            salary_min=4000, salary_max=6000, majors=[MajorInput("08", 4)]),
            demand_position(2, headcount=30, age_band="26_35", education="bachelor", gender="any",
                            experience="3y", salary_min=8000, salary_max=12000, majors=[])],
            services=["job_fair", "school_enterprise"]), outcome="completed", hired=5)
    with at(DAY + timedelta(days=29), 23, 59):  # the last minute of the last day
        approved_demand(b, staff, demand_input(positions=[
            demand_position(1, headcount=60, age_band="26_35", education="bachelor", gender="female",
                            salary_min=2000, salary_max=3000, majors=[MajorInput("12", 10)])],
            services=["job_fair"]), outcome="partial", hired=20)
        approved_demand(b, staff, demand_input(positions=[demand_position(1, headcount=1, majors=[])], services=[]))
    with at(DAY + timedelta(days=30), 0, 0):  # the day after: outside
        approved_demand(a, staff, demand_input(positions=[demand_position(1, headcount=999)]))
    with at(DAY + timedelta(days=3)):
        pending = save_demand(actor=a, data=demand_input(positions=[demand_position(1, headcount=500)]))
        submit_demand(actor=a, demand_id=pending.pk)
        save_demand(actor=a, data=demand_input())  # a draft: nowhere
    return accounts.approved, other


def shares(rows):
    return {r.code: (r.headcount, r.share) for r in rows}


def test_R_PT_14_every_figure_of_a_known_period(data):
    first, second = data
    stats = demand_statistics(DAY, DAY + timedelta(days=29))
    assert (stats.demands, stats.approved, stats.completed, stats.partial, stats.no_feedback) == (4, 3, 1, 1, 1)
    assert stats.satisfaction == round(1 / 3, 4)
    assert (stats.requested, stats.hired) == (10 + 30 + 60 + 1, 5 + 5 + 20)
    total = 101
    assert shares(stats.dimensions["age_band"]) == {"18_25": (11, round(11 / total, 4)),
                                                    "26_35": (90, round(90 / total, 4))}
    assert shares(stats.dimensions["gender"]) == {"male": (10, round(10 / total, 4)),
                                                  "female": (60, round(60 / total, 4)),
                                                  "any": (31, round(31 / total, 4))}
    # Midpoints 5000, 10000, 2500, 5250 → bands 5000-8000 (10 + 1), 8000-12000 (30), below 3000 (60).
    assert shares(stats.dimensions["salary_band"]) == {"lt3000": (60, round(60 / total, 4)),
                                                       "5000_8000": (11, round(11 / total, 4)),
                                                       "8000_12000": (30, round(30 / total, 4))}
    assert shares(stats.dimensions["major_category"]) == {"08": (4, round(4 / 14, 4)),
                                                          "12": (10, round(10 / 14, 4))}
    assert [(s["code"], s["demands"]) for s in stats.services] == [("job_fair", 2), ("school_enterprise", 1)]
    assert {e["uscc"]: (e["requested"], e["hired"]) for e in stats.enterprises} == {
        first.enterprise.uscc: (40, 10), second.enterprise.uscc: (61, 20)}
    assert stats.enterprises[0]["uscc"] == second.enterprise.uscc  # most requested first
    for key, rows in stats.dimensions.items():
        assert abs(sum(r.share for r in rows) - 1) < 0.001, key
    assert abs(sum(s["share"] for s in stats.services) - 1) < 0.001


def test_R_PT_14_an_empty_period_has_no_satisfaction_and_no_shares(data):
    stats = demand_statistics(date(2020, 1, 1), date(2020, 12, 31))
    assert (stats.demands, stats.approved, stats.satisfaction, stats.requested) == (0, 0, None, 0)
    assert all(not rows for key, rows in stats.dimensions.items())


def test_R_PT_14_the_tallies_equal_a_recount_and_a_wrong_cell_is_repaired(data):
    from django.core.management import call_command

    from zhonglou_hrss.portal.models import DemandTally
    from zhonglou_hrss.portal.services.demand_tallies import reconcile

    assert reconcile() == []
    before = demand_statistics(DAY, DAY + timedelta(days=29))
    cell = DemandTally.objects.filter(dimension="gender", code="female").first()
    cell.headcount += 7
    cell.save()
    DemandTally.objects.filter(dimension="outcome").delete()
    out = io.StringIO()
    call_command("reconcile_demand_tallies", stdout=out)
    assert "已修正" in out.getvalue()
    assert demand_statistics(DAY, DAY + timedelta(days=29)) == before
    assert reconcile() == []
