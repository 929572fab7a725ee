"""The figures' definitions at their edges (R-KB-18, R-KB-19), each on a few
cases of its own made through the services: a case re-assigned between
grids, a district-handled case once its attributed grid is set, New Year's
Eve in Asia/Shanghai, 正常结束 never completed, a petition completed by its
result and time."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.kuaiban.figures_known import (
    ANALYSIS,
    G0,
    G1,
    G2,
    G3,
    KEYS,
    at,
    case_numbers,
    figures,
    get,
    inspect,
    invalid,
    regrid,
    resolve,
)
from zhonglou_hrss.core import clock
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition

pytestmark = pytest.mark.django_db

UTC = dt.timezone.utc


def test_regridded_case_counts_for_the_new_grid(world, people):
    """R-KB-18 definition: a case re-assigned between grids (triage_regrid) counts for the new grid,
    for the leader and for the grid workers (the old grid no longer sees it)."""
    case = world.case(at(2026, 3, 1), G1)
    assert figures(people.leader, 2026, G1)["cases_received"] == 1
    assert figures(people.grid1, 2026, G1)["cases_received"] == 1
    world.step(case, at(2026, 3, 2), regrid("grid1", G2))
    assert figures(people.leader, 2026, G1)["cases_received"] == 0
    assert figures(people.leader, 2026, G2)["cases_received"] == 1
    assert figures(people.grid1, 2026, G1)["cases_received"] == 0
    assert figures(people.grid2, 2026, G2)["cases_received"] == 1
    world.step(case, at(2026, 3, 3), resolve("grid2"))
    assert figures(people.grid2, 2026, G2)["cases_completed"] == 1
    assert figures(people.leader, 2026, G1)["cases_completed"] == 0


def test_district_case_counts_for_its_attributed_grid_once_set(world, people):
    """R-KB-18 definition: a district-handled case counts for 区本级 until the inspector records
    the attributed grid (record_handling), then for that grid; once closed, as completed there."""
    case = world.case(at(2026, 4, 1), G0)
    assert case.status == "awaiting_assignment"
    assert figures(people.leader, 2026, G0)["cases_received"] == 1
    world.step(case, at(2026, 4, 2), inspect(G3))
    assert case.attributed_grid.code == G3
    assert figures(people.leader, 2026, G0)["cases_received"] == 0
    assert figures(people.leader, 2026, G3) == {**dict.fromkeys(KEYS, 0), "cases_received": 1}
    world.step(case, at(2026, 4, 3), [("close", "inspector1", {})])
    assert figures(people.leader, 2026, G3)["cases_completed"] == 1
    # Attributed to 北港 by the inspector, but 北港's grid worker was never sent the case:
    # figures are counted over what a user may see (R-KB-16), as the case list is.
    assert figures(world.grid3, 2026, G3)["cases_received"] == 0


def test_new_years_eve_counts_by_the_shanghai_calendar(world, people):
    """R-KB-18/19 definition: 2026-12-31 23:30 +08:00 counts in 2026 (December); 2027-01-01 00:10
    +08:00 in 2027 (January) although it is still 2026 in UTC."""
    eve = world.case(at(2026, 12, 31, 23, 30), G1)
    new_year = world.case(at(2027, 1, 1, 0, 10), G1)
    assert new_year.created_at.astimezone(UTC).year == 2026  # the edge is real
    assert figures(people.leader, 2026, G1)["cases_received"] == 1
    assert figures(people.leader, 2027, G1)["cases_received"] == 1
    body = get(people.leader, ANALYSIS, year=2026)
    g1 = next(g for g in body["monthly"]["grids"] if g["code"] == G1)
    assert g1["received"] == [0] * 11 + [1]
    jan = next(g for g in get(people.leader, ANALYSIS, year=2027)["monthly"]["grids"] if g["code"] == G1)
    assert jan["received"] == [1] + [0] * 11
    yearly = {(r["code"], r["year"]): r["received"] for r in body["yearly"]["rows"]}
    assert (yearly[(G1, 2026)], yearly[(G1, 2027)]) == (1, 1)
    # and the case list agrees, year by year
    for year, case in ((2026, eve), (2027, new_year)):
        assert case_numbers(people.leader, stat_grid=G1, year=year) == {case.number}


def test_ended_invalid_is_received_but_not_completed(world, people):
    """R-KB-18 definition: 正常结束 counts as received and invalid, never as completed."""
    world.case(at(2026, 5, 1), G1, invalid("grid1"))
    world.case(at(2026, 5, 2), G1, resolve("grid1"))
    assert figures(people.leader, 2026, G1) == {"cases_received": 2, "cases_completed": 1, "cases_invalid": 1,
                                                "petitions": 0, "petitions_completed": 0}
    row = next(r for r in get(people.leader, ANALYSIS, year=2026)["yearly"]["rows"]
               if (r["code"], r["year"]) == (G1, 2026))
    assert row["rate"] == 50.0


def test_petition_completed_needs_result_and_time(world, people):
    """R-KB-15/18: a petition counts as completed once it has a handling result and time."""
    petition = world.petition(at(2026, 2, 1), G2)
    assert figures(people.leader, 2026, G2)["petitions"] == 1
    assert figures(people.leader, 2026, G2)["petitions_completed"] == 0
    with clock.at(at(2026, 2, 3)):
        save_petition(actor=people.clerk, petition_id=petition.pk, data=PetitionInput(
            name=petition.name, id_number=petition.id_number, phone=petition.phone,
            respondent_name=petition.respondent_name, reason="wage_arrears", grid=G2, demand=petition.demand,
            result="已协调支付", handled_at=at(2026, 2, 3)))
    assert figures(people.leader, 2026, G2)["petitions_completed"] == 1


