"""Figures of the one map (R-KB-18) and the analysis (R-KB-19): the JSON API
and the Excel files, against a KNOWN set of cases and petitions across grids,
years and states, all made through the real services with the clock moved.

Every figure is asserted; so are the definitions at their edges (a case re-
assigned between grids, a district-handled case once its attributed grid is
set, New Year's Eve in Asia/Shanghai, 正常结束 not completed), the figures each
role sees, their agreement with the case list under the same filters, and a
query count that does not grow with the number of cases.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import MODEL_BACKEND
from zhonglou_hrss.core import clock
from zhonglou_hrss.core.models import AuditLog, Grid
from zhonglou_hrss.kuaiban import rules as stats
from zhonglou_hrss.kuaiban.selectors.petitions import filter_petitions, petition_list_for
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition
from zhonglou_hrss.kuaiban.services.transitions import perform
from tests.kuaiban.conftest import id_number_for

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
UTC = dt.timezone.utc
MAP = "/api/v1/kuaiban/stats/map/"
ANALYSIS = "/api/v1/kuaiban/stats/analysis/"
CASES = "/api/v1/kuaiban/cases/"
EXPORT = "/desk/kuaiban/stats/export/{}/"
G0, G1, G2, G3, G4 = "320404", "320404001", "320404002", "320404003", "320404004"
KEYS = ("cases_received", "cases_completed", "cases_invalid", "petitions", "petitions_completed")


def at(year, month, day, hour=10, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SH)


# "Now" for every assertion: after all the known records (the latest is 2027-01-01).
NOW = at(2027, 1, 2, 10, 0)

# --- steps through the one transition door --------------------------------------------------
RESOLVE = {"resolution_way": "mediation", "amount": "1200", "notes": "已调解"}
HANDLING = {"amount": "3000", "notes": "责令支付工资", "respondent_uscc": "91350100M000100Y43"}


def accept(w):
    return [("grid_accept", w, {})]


def resolve(w):
    return accept(w) + [("grid_resolve", w, RESOLVE)]


def fail(w):
    return accept(w) + [("grid_fail", w, {"notes": "企业拒绝调解"})]


def invalid(w):
    return fail(w) + [("triage_invalid", "clerk", {"reason": "重复投诉"})]


def inspect(attributed):
    """From 待领导指派 to a recorded handling with this attributed grid."""
    return [("assign", "leader", {"inspector": "k_inspector1"}), ("claim", "inspector1", {}),
            ("record_handling", "inspector1", {**HANDLING, "attributed_grid": attributed})]


def district_close(w, attributed):
    return fail(w) + [("triage_escalate", "clerk", {})] + inspect(attributed) + [("close", "inspector1", {})]


def regrid(w, new_grid):
    return [("grid_return", w, {"reason": "不属于本网格"}), ("triage_regrid", "clerk", {"grid": new_grid})]


@pytest.fixture
def world(people, new_case, make_user):
    """Register cases and petitions at given moments and move them through steps."""

    class World:
        grid3 = make_user("k_grid3", roles=["grid_worker"], grids=[G3], name="北港网格员")
        grid4 = make_user("k_grid4", roles=["grid_worker"], grids=[G4], name="西林网格员")
        actors = {"grid1": people.grid1, "grid2": people.grid2, "clerk": people.clerk, "leader": people.leader,
                  "inspector1": people.inspector1}

        def case(self, moment, grid, steps=()):
            self.actors.update(grid3=self.grid3, grid4=self.grid4)
            with clock.at(moment):
                case = new_case(grid=grid)
                for action, who, data in steps:
                    perform(case_id=case.pk, action=action, actor=self.actors[who], data=dict(data))
            case.refresh_from_db()
            return case

        def step(self, case, moment, steps):
            with clock.at(moment):
                for action, who, data in steps:
                    perform(case_id=case.pk, action=action, actor=self.actors[who], data=dict(data))
            case.refresh_from_db()
            return case

        _n = 0

        def petition(self, moment, grid, done=False):
            World._n += 1
            with clock.at(moment):
                return save_petition(actor=people.clerk, data=PetitionInput(
                    name="李四", id_number=id_number_for(500 + World._n), phone="13900139000",
                    respondent_name=f"常州信访测试有限公司{World._n}", reason="wage_arrears", grid=grid,
                    demand="要求支付工资", result="已协调支付" if done else "", handled_at=moment if done else None))

    return World()


# --- the known set ------------------------------------------------------------------------------
# year -> grid -> (received, completed, invalid, petitions, petitions completed), leader's view.
EXPECTED = {
    2025: {G1: (2, 1, 0, 1, 1), G2: (2, 0, 1, 0, 0)},
    2026: {G0: (1, 0, 0, 1, 1), G1: (5, 2, 0, 3, 2), G2: (5, 1, 1, 1, 0), G3: (10, 4, 0, 1, 0),
           G4: (1, 1, 0, 0, 0)},
    2027: {G2: (1, 0, 0, 0, 0), G3: (0, 0, 0, 1, 1)},
}
# 2026 by month (index 0 = January), leader's view: (received, completed).
MONTHLY_2026 = {
    G0: ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0], [0] * 12),
    G1: ([0, 0, 1, 1, 0, 3, 0, 0, 0, 0, 0, 0], [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
    G2: ([0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]),
    G3: ([0, 0, 0, 0, 0, 0, 4, 6, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0]),
    G4: ([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
}
NO_MONTHS = ([0] * 12, [0] * 12)
OVERDUE_AT_NOW = {G1: 2}


@pytest.fixture
def known(world):
    """The known set (see EXPECTED). Returns the World with the notable cases on it."""
    w = world
    # 2025
    w.case(at(2025, 5, 20), G1, resolve("grid1"))
    w.case(at(2025, 5, 21), G1, accept("grid1"))  # still handling: overdue now
    w.case(at(2025, 5, 22), G2)
    w.case(at(2025, 5, 23), G2, invalid("grid2"))  # 正常结束: received, not completed
    w.petition(at(2025, 6, 1), G1, done=True)
    # 2026
    w.new_year_2026 = w.case(at(2026, 1, 1, 0, 10), G4, resolve("grid4"))  # 2025-12-31 16:10 UTC
    w.case(at(2026, 2, 10), G2, invalid("grid2"))
    w.case(at(2026, 3, 15), G1, resolve("grid1"))
    w.case(at(2026, 4, 8), G1, district_close("grid1", G1))
    w.regridded = w.case(at(2026, 5, 6), G1, regrid("grid1", G2))  # counts for 永红 now
    w.case(at(2026, 6, 1), G1)
    w.case(at(2026, 6, 2), G1)
    w.case(at(2026, 6, 3), G1, accept("grid1"))  # overdue now
    for day in range(1, 5):
        w.case(at(2026, 7, day), G3, resolve("grid3"))
    for day in range(1, 7):
        w.case(at(2026, 8, day), G3)
    w.attributed = w.case(at(2026, 9, 9), G0, inspect(G2))  # 区本级, attributed to 永红
    w.case(at(2026, 10, 10), G2, resolve("grid2"))
    w.district_open = w.case(at(2026, 11, 20), G0)  # 区本级, no attributed grid yet
    w.eve = w.case(at(2026, 12, 31, 23, 30), G2)
    w.petition(at(2026, 3, 1), G1, done=True)
    w.petition(at(2026, 4, 1), G1, done=True)
    w.petition(at(2026, 5, 1), G1)
    w.petition(at(2026, 6, 1), G2)
    w.petition(at(2026, 7, 1), G0, done=True)
    w.petition(at(2026, 12, 31, 23, 50), G3)
    # 2027
    w.new_year_2027 = w.case(at(2027, 1, 1, 0, 10), G2)  # 2026-12-31 16:10 UTC
    w.petition(at(2027, 1, 1, 0, 5), G3, done=True)
    return w


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def get(user, url, **params):
    with clock.at(NOW):
        response = api(user).get(url, params)
    assert response.status_code == 200, response.content.decode()
    return response.json()


def grids_ordered(codes=None) -> list[Grid]:
    qs = Grid.objects.order_by("order", "code")
    return list(qs.filter(code__in=codes) if codes is not None else qs)


def expected_row(year, code, table=EXPECTED) -> dict:
    return dict(zip(KEYS, table.get(year, {}).get(code, (0, 0, 0, 0, 0))))


def rate(completed, received):
    return round(completed * 100 / received, 1) if received else None


# --- the one map: every figure -------------------------------------------------------------------
@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_map_api_every_figure_for_the_leader(known, people, year):
    """R-KB-18: per grid (code, name, center point) and in total: received, completed, petitions,
    petitions completed — for every grid and every year of the known set."""
    body = get(people.leader, MAP, year=year)
    assert body["year"] == year
    grids = grids_ordered()
    assert [g["code"] for g in body["grids"]] == [g.code for g in grids]
    for row, grid in zip(body["grids"], grids):
        assert row["name"] == grid.name
        assert row["lat"] == (float(grid.lat) if grid.lat is not None else None)
        assert row["lng"] == (float(grid.lng) if grid.lng is not None else None)
        assert {k: row[k] for k in KEYS} == expected_row(year, grid.code), grid.code
    totals = {k: sum(v[i] for v in EXPECTED[year].values()) for i, k in enumerate(KEYS)}
    assert body["totals"] == totals
    assert set(body) >= {"year", "grids", "totals"}
    assert set(body["grids"][0]) >= {"code", "name", "lat", "lng", *KEYS}


def test_map_totals_2026_spelled_out(known, people):
    """R-KB-18: the district totals of 2026, written out (22 received, 8 completed, 1 invalid,
    6 petitions, 3 completed) so a mistake in EXPECTED cannot hide one in the code."""
    assert get(people.clerk, MAP, year=2026)["totals"] == {
        "cases_received": 22, "cases_completed": 8, "cases_invalid": 1, "petitions": 6, "petitions_completed": 3}
    g1 = next(r for r in get(people.clerk, MAP, year=2026)["grids"] if r["code"] == G1)
    assert (g1["name"], g1["lat"], g1["lng"]) == ("五星街道", 31.7771, 119.9253)


def test_map_year_defaults_to_this_year_in_shanghai(known, people):
    """R-KB-18: no year → this year (by the one clock, Asia/Shanghai): 2027-01-01 00:30 +08:00 is
    still 2026 in UTC, but the map shows 2027."""
    with clock.at(at(2027, 1, 1, 0, 30)):
        body = api(people.leader).get(MAP).json()
    assert body["year"] == 2027
    assert body["totals"]["cases_received"] == 1


@pytest.mark.parametrize("bad", ["abc", "1999", "20260", "2026.5", ""])
def test_bad_year_is_400_naming_year_in_chinese(people, bad):
    """R-KB-18/19: a bad year answers 400 with errors.year in Chinese (an empty one means this year)."""
    for url in (MAP, ANALYSIS):
        response = api(people.leader).get(url, {"year": bad})
        if bad == "":
            assert response.status_code == 200
            continue
        assert response.status_code == 400, response.content.decode()
        body = response.json()
        assert list(body["errors"]) == ["year"]
        assert "年份" in body["errors"]["year"][0] and "年份" in body["detail"]


def test_stats_api_needs_sign_in_and_a_role_that_sees_figures(people, role_user):
    """R-KB-16/18: anonymous → 401; inspectors (only their assigned cases, no petitions) and users
    who see no cases → 403 in Chinese; leader, clerk and grid workers → 200."""
    outsiders = (people.inspector1, role_user("portal_staff"), role_user("admin"))
    for url in (MAP, ANALYSIS):
        assert APIClient().get(url).status_code == 401
        for user in outsiders:
            response = api(user).get(url)
            assert response.status_code == 403, user
            assert "统计" in response.json()["detail"]
        for user in (people.leader, people.clerk, people.grid1):
            assert api(user).get(url).status_code == 200


# --- the analysis: every figure ---------------------------------------------------------------------
def test_analysis_api_every_figure_for_the_leader(known, people):
    """R-KB-19: per grid per year (all years with data), per grid by month, the ranking with the
    too-few-cases marker, and overdue now per grid — every number of the known set."""
    body = get(people.leader, ANALYSIS, year=2026)
    grids = grids_ordered()
    assert body["year"] == 2026 and body["min_cases_to_rank"] == stats.MIN_CASES_TO_RANK == 5

    # per grid per year
    assert body["yearly"]["years"] == [2025, 2026, 2027]
    expected = []
    for grid in grids:
        for year in (2025, 2026, 2027):
            r = expected_row(year, grid.code)
            expected.append({"code": grid.code, "name": grid.name, "year": year, "received": r["cases_received"],
                             "completed": r["cases_completed"],
                             "rate": rate(r["cases_completed"], r["cases_received"])})
    assert body["yearly"]["rows"] == expected

    # 2026 by month
    assert body["monthly"]["year"] == 2026
    assert body["monthly"]["grids"] == [
        {"code": g.code, "name": g.name, "received": MONTHLY_2026.get(g.code, NO_MONTHS)[0],
         "completed": MONTHLY_2026.get(g.code, NO_MONTHS)[1]} for g in grids]

    # ranking: rate desc, ties by completed; fewer than 5 received → listed after, not ranked
    ranking = body["ranking"]
    head = [(r["rank"], r["code"], r["cases_received"], r["cases_completed"], r["rate"], r["rankable"])
            for r in ranking[:5]]
    assert head == [
        (1, G3, 10, 4, 40.0, True),   # same rate as 五星, more completed
        (2, G1, 5, 2, 40.0, True),
        (3, G2, 5, 1, 20.0, True),
        (None, G4, 1, 1, 100.0, False),  # the best rate, but one case is no basis for a rank
        (None, G0, 1, 0, 0.0, False),
    ]
    rest = ranking[5:]
    assert [r["code"] for r in rest] == sorted(g.code for g in grids if g.code not in (G0, G1, G2, G3, G4))
    assert all(r["rank"] is None and r["rate"] is None and not r["rankable"] for r in rest)

    # overdue now, per grid
    assert body["overdue"] == [{"code": g.code, "name": g.name, "overdue": OVERDUE_AT_NOW.get(g.code, 0)}
                               for g in grids]


def test_analysis_is_consistent_with_the_map(known, people):
    """R-KB-18/19: the months add up to the year; the ranking's numbers are the map's."""
    for year in (2025, 2026, 2027):
        body = get(people.leader, ANALYSIS, year=year)
        figures = {r["code"]: r for r in get(people.leader, MAP, year=year)["grids"]}
        yearly = {(r["code"], r["year"]): r for r in body["yearly"]["rows"]}
        for g in body["monthly"]["grids"]:
            in_year = yearly[(g["code"], year)]
            assert sum(g["received"]) == figures[g["code"]]["cases_received"] == in_year["received"]
            assert sum(g["completed"]) == figures[g["code"]]["cases_completed"] == in_year["completed"]
        for r in body["ranking"]:
            assert r["cases_received"] == figures[r["code"]]["cases_received"]
            assert r["cases_completed"] == figures[r["code"]]["cases_completed"]


# --- definitions at their edges -----------------------------------------------------------------
def figures(user, year, code) -> dict:
    rows = {r["code"]: r for r in get(user, MAP, year=year)["grids"]}
    return {k: rows[code][k] for k in KEYS} if code in rows else None


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


# --- visibility per role ---------------------------------------------------------------------------
def test_grid_worker_sees_only_their_grid_rows_and_numbers(known, people):
    """R-KB-16/18: a grid worker's map has their grid's row only, with their numbers; totals are theirs."""
    body = get(people.grid1, MAP, year=2026)
    assert [r["code"] for r in body["grids"]] == [G1]
    assert {k: body["grids"][0][k] for k in KEYS} == expected_row(2026, G1)
    assert body["totals"] == expected_row(2026, G1)
    assert get(people.grid1, MAP, year=2025)["totals"] == expected_row(2025, G1)


def test_grid_worker_counts_only_cases_they_may_see(known, people):
    """R-KB-16/18: 永红's grid worker counts 4 of the leader's 5 cases for 永红 in 2026 — the fifth is a
    district case the inspector attributed to 永红, never sent to its grid worker; their case list shows
    the same 4."""
    body = get(people.grid2, MAP, year=2026)
    assert [r["code"] for r in body["grids"]] == [G2]
    assert body["totals"] == {"cases_received": 4, "cases_completed": 1, "cases_invalid": 1, "petitions": 1,
                              "petitions_completed": 0}
    assert known.attributed.number not in case_numbers(people.grid2, stat_grid=G2, year=2026)
    assert len(case_numbers(people.grid2, stat_grid=G2, year=2026)) == 4


def test_grid_worker_analysis_covers_their_grid_only(known, people):
    """R-KB-19: yearly, monthly, ranking and overdue rows of the grid worker's own grid only."""
    body = get(people.grid1, ANALYSIS, year=2026)
    assert {r["code"] for r in body["yearly"]["rows"]} == {G1}
    assert [(r["year"], r["received"], r["completed"]) for r in body["yearly"]["rows"]] == [
        (2025, 2, 1), (2026, 5, 2)]
    assert body["monthly"]["grids"] == [{"code": G1, "name": "五星街道", "received": MONTHLY_2026[G1][0],
                                         "completed": MONTHLY_2026[G1][1]}]
    assert [(r["rank"], r["code"], r["rate"]) for r in body["ranking"]] == [(1, G1, 40.0)]
    assert body["overdue"] == [{"code": G1, "name": "五星街道", "overdue": 2}]


def test_leader_and_clerk_see_the_same_figures(known, people):
    """R-KB-16: leaders and district clerks see all grids, with the same numbers."""
    for year in (2025, 2026, 2027):
        assert get(people.leader, MAP, year=year) == get(people.clerk, MAP, year=year)
    assert get(people.leader, ANALYSIS, year=2026) == get(people.clerk, ANALYSIS, year=2026)


# --- agreement with the case list ------------------------------------------------------------------
def case_numbers(user, **params) -> set[str]:
    with clock.at(NOW):
        response = api(user).get(CASES, {**params, "page_size": 100})
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert body["count"] <= 100
    return {item["number"] for item in body["results"]}


def list_count(user, **params) -> int:
    with clock.at(NOW):
        response = api(user).get(CASES, params)
    assert response.status_code == 200, response.content.decode()
    return response.json()["count"]


@pytest.mark.parametrize("who", ["leader", "grid1", "grid2"])
def test_map_figures_equal_the_case_list_counts(known, people, who):
    """R-KB-18 rule: the map's figures equal the case list's counts under the same filters
    (stat_grid + year; + status for completed and invalid), for each role, grid and year."""
    user = getattr(people, who)
    for year in (2025, 2026, 2027):
        for row in get(user, MAP, year=year)["grids"]:
            code = row["code"]
            assert list_count(user, stat_grid=code, year=year) == row["cases_received"], (code, year)
            assert list_count(user, stat_grid=code, year=year, status="grid_resolved,closed") == \
                row["cases_completed"], (code, year)
            assert list_count(user, stat_grid=code, year=year, status="ended_invalid") == row["cases_invalid"]


def test_desk_case_list_filters_agree_with_the_map(known, people):
    """R-KB-18: the desk list the map links to (?stat_grid=&year=) shows as many cases as the map says."""
    client = Client()
    client.force_login(people.leader, backend=MODEL_BACKEND)
    rows = get(people.leader, MAP, year=2026)["grids"]
    with clock.at(NOW):
        for row in rows:
            response = client.get("/desk/kuaiban/case/", {"stat_grid": row["code"], "year": 2026})
            assert response.status_code == 200
            assert response.context_data["cl"].result_count == row["cases_received"], row["code"]
        response = client.get("/desk/kuaiban/case/", {"stat_grid": G2, "year": 2026,
                                                      "status__in": "grid_resolved,closed"})
        assert response.context_data["cl"].result_count == 1
        assert client.get("/desk/kuaiban/case/", {"year": "abc"}).context_data["cl"].result_count == 0


def test_petition_and_overdue_figures_equal_their_lists(known, people):
    """R-KB-18/19: petitions per grid and year equal the petition list's counts (grid + registered
    between), completed ones too; overdue per grid equals the case list's overdue count."""
    for year in (2025, 2026, 2027):
        start, end = stats.year_bounds(year)
        for row in get(people.clerk, MAP, year=year)["grids"]:
            qs = filter_petitions(petition_list_for(people.clerk), grid=row["code"], created_after=start,
                                  created_before=end)
            assert qs.count() == row["petitions"]
            assert filter_petitions(qs, completed=True).count() == row["petitions_completed"]
    for row in get(people.leader, ANALYSIS, year=2026)["overdue"]:
        assert list_count(people.leader, grid=row["code"], overdue="true") == row["overdue"]


def test_case_export_with_the_figures_filters_counts_the_same(known, people):
    """R-KB-17/18: the case list's export (its 导出当前列表 after a click on the map) takes the same
    stat_grid and year filters and exports as many cases as the map shows."""
    from zhonglou_hrss.kuaiban.exports.cases import exporter

    for row in get(people.leader, MAP, year=2026)["grids"]:
        filters = exporter.clean_filters({"stat_grid": row["code"], "year": "2026"})
        assert exporter.count(people.leader, filters, now=NOW) == row["cases_received"], row["code"]
    assert exporter.describe_filters(exporter.clean_filters({"stat_grid": G2, "year": "2026"})) == \
        "统计网格：320404002；登记年份：2026"


def test_case_list_api_rejects_a_bad_year_filter(people):
    """The list's year filter: a bad value is a 400 naming "year" in Chinese."""
    response = api(people.leader).get(CASES, {"year": "next"})
    assert response.status_code == 400
    assert "年份" in response.json()["errors"]["year"][0]


# --- constant query count ---------------------------------------------------------------------------
def queries(user, url, **params) -> int:
    client = api(user)  # the token exists before counting
    with clock.at(NOW), CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url,limit", [(MAP, 10), (ANALYSIS, 20)])
def test_query_count_does_not_grow_with_the_cases(known, world, people, url, limit, django_assert_max_num_queries):
    """Issue #4 rule: figures are SQL aggregates — the query count per request is the same with 30
    cases as with 45 (no loop over rows), for the leader and a grid worker."""
    before = {who: queries(getattr(people, who), url, year=2026) for who in ("leader", "grid1")}
    for i in range(15):
        world.case(at(2026, 1 + i % 12, 5), (G1, G2, G3)[i % 3], resolve(("grid1", "grid2", "grid3")[i % 3])
                   if i % 2 else ())
        world.petition(at(2026, 1 + i % 12, 6), (G1, G2)[i % 2], done=bool(i % 2))
    after = {who: queries(getattr(people, who), url, year=2026) for who in ("leader", "grid1")}
    assert before == after
    client = api(people.leader)
    with clock.at(NOW), django_assert_max_num_queries(limit):
        assert client.get(url, {"year": 2026}).status_code == 200


# --- Excel -------------------------------------------------------------------------------------------
def desk(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def workbook(user, table, year=2026):
    with clock.at(NOW):
        response = desk(user).get(EXPORT.format(table), {"year": year})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    wb = load_workbook(BytesIO(response.content))
    sheet = wb.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    notes = [list(r) for r in wb.worksheets[1].iter_rows(values_only=True)]
    return rows, notes


def test_map_excel_every_cell(known, people):
    """R-KB-18 + R-KB-17: the map table as Excel — title, headers, every grid's figures, the totals,
    the definitions on the second sheet; the export is audit-logged."""
    rows, notes = workbook(people.leader, "map", 2026)
    assert "2026年一张图" in rows[0][0] and "李科长" in rows[0][0]
    assert rows[1] == ["网格编码", "网格名称", "收到事件", "完成事件", "完成率（%）", "无效（正常结束）", "信访",
                       "信访完成"]
    body = rows[2:]
    grids = grids_ordered()
    assert len(body) == len(grids) + 1
    for row, grid in zip(body, grids):
        e = expected_row(2026, grid.code)
        assert row == [grid.code, grid.name, e["cases_received"], e["cases_completed"],
                       rate(e["cases_completed"], e["cases_received"]), e["cases_invalid"], e["petitions"],
                       e["petitions_completed"]]
    assert body[-1] == [None, "合计", 22, 8, round(800 / 22, 1), 1, 6, 3]
    assert notes[0] == ["项目", "口径"] and any(n[0] == "完成" and "正常结束" in n[1] for n in notes)
    log = AuditLog.objects.get(action=AuditLog.Action.EXPORT, actor=people.leader)
    assert log.detail == {"kind": "kuaiban_stats", "table": "map", "year": 2026, "rows": len(grids), "format": "xlsx"}


def test_analysis_excels_every_cell(known, people):
    """R-KB-19: the yearly, monthly, ranking and overdue tables as Excel, every cell; each export
    is audit-logged with its table."""
    grids = grids_ordered()
    rows, _ = workbook(people.leader, "yearly")
    assert rows[1] == ["网格编码", "网格名称", "年份", "收到", "完成", "完成率（%）"]
    expected = []
    for grid in grids:
        for year in (2025, 2026, 2027):
            e = expected_row(year, grid.code)
            expected.append([grid.code, grid.name, year, e["cases_received"], e["cases_completed"],
                             rate(e["cases_completed"], e["cases_received"])])
    assert rows[2:] == expected

    rows, _ = workbook(people.leader, "monthly")
    assert "2026年各网格每月情况" in rows[0][0]
    assert rows[1] == ["网格编码", "网格名称", "项目", *[f"{m}月" for m in range(1, 13)], "全年"]
    expected = []
    for grid in grids:
        received, completed = MONTHLY_2026.get(grid.code, NO_MONTHS)
        expected.append([grid.code, grid.name, "收到", *received, sum(received)])
        expected.append([grid.code, grid.name, "完成", *completed, sum(completed)])
    total_r = [sum(MONTHLY_2026[c][0][m] for c in MONTHLY_2026) for m in range(12)]
    total_c = [sum(MONTHLY_2026[c][1][m] for c in MONTHLY_2026) for m in range(12)]
    expected += [[None, "合计", "收到", *total_r, 22], [None, "合计", "完成", *total_c, 8]]
    assert rows[2:] == expected

    rows, _ = workbook(people.leader, "ranking")
    assert rows[1] == ["名次", "网格编码", "网格名称", "收到", "完成", "完成率（%）", "说明"]
    names = {g.code: g.name for g in grids}
    assert rows[2:7] == [
        [1, G3, names[G3], 10, 4, 40.0, None],
        [2, G1, names[G1], 5, 2, 40.0, None],
        [3, G2, names[G2], 5, 1, 20.0, None],
        ["—", G4, names[G4], 1, 1, 100.0, "收到少于 5 件，样本不足，不参与排名"],
        ["—", G0, names[G0], 1, 0, 0.0, "收到少于 5 件，样本不足，不参与排名"],
    ]
    assert all(r[0] == "—" and r[3] == 0 and r[5] is None for r in rows[7:]) and len(rows) == 2 + len(grids)

    rows, _ = workbook(people.leader, "overdue")
    assert rows[1] == ["网格编码", "网格名称", "当前超时事件数"]
    assert rows[2:] == [[g.code, g.name, OVERDUE_AT_NOW.get(g.code, 0)] for g in grids] + [[None, "合计", 2]]

    logged = AuditLog.objects.filter(action=AuditLog.Action.EXPORT, actor=people.leader).order_by("id")
    assert [log.detail["table"] for log in logged] == ["yearly", "monthly", "ranking", "overdue"]
    assert all(log.detail["kind"] == "kuaiban_stats" for log in logged)


def test_grid_worker_excel_has_their_grid_only(known, people):
    """R-KB-16/19: a grid worker's Excel files hold their grid's rows and numbers only."""
    rows, _ = workbook(people.grid1, "map")
    assert rows[2:] == [[G1, "五星街道", 5, 2, 40.0, 0, 3, 2], [None, "合计", 5, 2, 40.0, 0, 3, 2]]
    rows, _ = workbook(people.grid1, "overdue")
    assert rows[2:] == [[G1, "五星街道", 2], [None, "合计", 2]]
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, actor=people.grid1).count() == 2


def test_excel_export_refused_without_the_figures_permission(people):
    """R-KB-16: an inspector cannot export the figures (403); an unknown table is 404; nothing logged."""
    assert desk(people.inspector1).get(EXPORT.format("map"), {"year": 2026}).status_code == 403
    assert desk(people.leader).get(EXPORT.format("nope"), {"year": 2026}).status_code == 404
    assert not AuditLog.objects.filter(action=AuditLog.Action.EXPORT).exists()


# --- OpenAPI -------------------------------------------------------------------------------------------
def test_stats_endpoints_are_documented(people):
    """Issue #4: both endpoints in the OpenAPI schema, with the year parameter and the response shape."""
    from openapi_spec_validator import validate

    schema = api(people.clerk).get("/api/schema/?format=json").json()
    validate(schema)
    for path in (MAP, ANALYSIS):
        operation = schema["paths"][path]["get"]
        assert [p["name"] for p in operation["parameters"]] == ["year"]
        assert {"200", "400", "401", "403"} <= set(operation["responses"])
    components = schema["components"]["schemas"]
    assert set(components["MapResponse"]["properties"]) == {"year", "grids", "totals"}
    assert {"code", "name", "lat", "lng", *KEYS} <= set(components["MapGrid"]["properties"])
    assert {"yearly", "monthly", "ranking", "overdue"} <= set(components["AnalysisResponse"]["properties"])
