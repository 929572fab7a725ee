"""Figures of the one map (R-KB-18) and the analysis (R-KB-19) through the
JSON API, against the KNOWN set (tests/kuaiban/figures_known.py, built once
per module): every figure; the figures each role sees; their agreement with
the case list, the petition list and the export under the same filters; a
query count that does not grow with the number of cases. The definitions at
their edges: test_figure_rules.py; the Excel files: tests/kuaiban/reports.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.conftest import MODEL_BACKEND
from tests.kuaiban.figures_known import (
    ANALYSIS,
    CASES,
    EXPECTED,
    G0,
    G1,
    G2,
    G3,
    G4,
    KEYS,
    MAP,
    MONTHLY_2026,
    NO_MONTHS,
    NOW,
    OVERDUE_AT_NOW,
    api,
    at,
    case_numbers,
    expected_row,
    get,
    grids_ordered,
    list_count,
    rate,
    resolve,
)
from zhonglou_hrss.core import clock
from zhonglou_hrss.kuaiban import rules as stats
from zhonglou_hrss.kuaiban.selectors.petitions import filter_petitions, petition_list_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(known):
    return known.people


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
    """R-KB-18/19: a bad year answers 400 with errors.year in Chinese — an
    empty one too (the schema says integer; leave it out for this year)."""
    for url in (MAP, ANALYSIS):
        response = api(people.leader).get(url, {"year": bad})
        assert response.status_code == 400, response.content.decode()
        body = response.json()
        assert list(body["errors"]) == ["year"]
        assert "年份" in body["errors"]["year"][0] and "年份" in body["detail"]


def test_stats_api_needs_sign_in_and_a_role_that_sees_figures(people, role_user):
    """R-KB-16/18: anonymous → 401; users who see no cases → 403 in Chinese;
    leader, clerk, grid workers and inspectors (the district's figures as
    numbers, issue 11 item 14) → 200."""
    outsiders = (role_user("portal_staff"), role_user("admin"))
    for url in (MAP, ANALYSIS):
        assert APIClient().get(url).status_code == 401
        for user in outsiders:
            response = api(user).get(url)
            assert response.status_code == 403, user
            assert "统计" in response.json()["detail"]
        for user in (people.leader, people.clerk, people.grid1, people.inspector1):
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
    assert body["overdue"] == [{"code": G1, "name": "五星街道", "overdue": 2}]


def test_grid_worker_gets_a_rate_without_a_place(known, people):
    """Issue 11 item 5: with their one grid a grid worker
    has no ranking: their grid's rate, no 名次 (rank null, ranked false); the
    leader's ranking gives places (ranked true), the grid's own among them."""
    body = get(people.grid1, ANALYSIS, year=2026)
    assert body["ranked"] is False
    assert [(r["rank"], r["code"], r["cases_received"], r["cases_completed"], r["rate"]) for r in body["ranking"]] == [
        (None, G1, 5, 2, 40.0)]
    leader = get(people.leader, ANALYSIS, year=2026)
    assert leader["ranked"] is True
    assert [(r["rank"], r["code"]) for r in leader["ranking"][:2]] == [(1, G3), (2, G1)]
    schema = api(None).get("/api/schema/", {"format": "json"}).json()
    assert "网格员为 false" in schema["components"]["schemas"]["AnalysisResponse"]["properties"]["ranked"]["description"]


def test_leader_and_clerk_see_the_same_figures(known, people):
    """R-KB-16: leaders and district clerks see all grids, with the same numbers."""
    for year in (2025, 2026, 2027):
        assert get(people.leader, MAP, year=year) == get(people.clerk, MAP, year=year)
    assert get(people.leader, ANALYSIS, year=2026) == get(people.clerk, ANALYSIS, year=2026)


# --- agreement with the case list ------------------------------------------------------------------
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
        "统计网格：永红街道；登记年份：2026"  # the grid by its name (issue 11 item 10)


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
def test_query_count_does_not_grow_with_the_cases(known, people, url, limit, django_assert_max_num_queries):
    """Issue #4 rule: figures are SQL aggregates — the query count per request is the same with 30
    cases as with 45 (no loop over rows), for the leader and a grid worker."""
    before = {who: queries(getattr(people, who), url, year=2026) for who in ("leader", "grid1")}
    for i in range(15):
        known.case(at(2026, 1 + i % 12, 5), (G1, G2, G3)[i % 3], resolve(("grid1", "grid2", "grid3")[i % 3])
                   if i % 2 else ())
        known.petition(at(2026, 1 + i % 12, 6), (G1, G2)[i % 2], done=bool(i % 2))
    after = {who: queries(getattr(people, who), url, year=2026) for who in ("leader", "grid1")}
    assert before == after
    client = api(people.leader)
    with clock.at(NOW), django_assert_max_num_queries(limit):
        assert client.get(url, {"year": 2026}).status_code == 200


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
