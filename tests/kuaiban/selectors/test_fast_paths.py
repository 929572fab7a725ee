"""The faster forms of the case-visibility rule (selectors/cases.py) give
exactly what the plain rule gives (R-KB-16), as properties over generated
data (the benchmark generator's cases in every state over several grids and
years) and every kind of user:

- ``visible_count(u) == case_list_for(u).count()``;
- ``visible_case_by_case(u)`` is None or holds exactly ``case_list_for(u)``;
- ``visible_for_small_counts(u)`` counts what ``case_list_for(u)`` counts under
  the conditions the cards use (queue, overdue, created since, completed since);
- ``figure_list_count(u, grid, year, statuses)`` is None or equals the count
  of the list behind that figure (R-KB-18/19);
- ``counts.figure_cases(u)`` holds the cases ``counts.counts_in_scope(u)``'s
  cells count (issue 11 item 8: the desk home's "a month ago");
- ``counts.total()`` is the number of cases;
- two-step pages (``core.paging.page_of``) are the plain slices of the list.

Hypothesis draws the users, grids, years, statuses, filters and page offsets;
the generated data is built once for the module. A few requests then check
the API's list and its count end to end.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q, Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from tests.bench_generator import gen
from tests.conftest import create_user
from tests.kuaiban.conftest import PATHS, make_people, registration
from tests.tokens import authorize
from zhonglou_hrss.core import clock
from zhonglou_hrss.core.models import Grid
from zhonglou_hrss.core.paging import page_of
from zhonglou_hrss.kuaiban.models import Case, CaseSource, CaseStatus
from zhonglou_hrss.kuaiban.rules import COMPLETED_Q, overdue_q, year_bounds
from zhonglou_hrss.kuaiban.selectors import cases as selectors
from zhonglou_hrss.kuaiban.selectors import counts
from zhonglou_hrss.kuaiban.services.registration import register_case
from zhonglou_hrss.kuaiban.services.transitions import perform

pytestmark = pytest.mark.django_db
CASES = "/api/v1/kuaiban/cases/"
PROPERTY = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _case_in(people, status: str) -> Case:
    with clock.at(clock.now() - dt.timedelta(days=1)):
        case = register_case(actor=people.clerk, data=registration(), source=CaseSource.INTERNAL).case
    for action, who, data in PATHS[status]:
        perform(case_id=case.pk, action=action, actor=getattr(people, who), data=dict(data))
    return case


@pytest.fixture(scope="module")
def generated(module_db):
    """Generated cases in every state over several grids and years, and users
    of every kind: leader, clerk, two inspectors, admin, a worker of each
    street grid, a worker of two grids, an inactive worker, a user without
    kuaiban roles, a worker who is also an inspector; plus a case grid 1
    returned (hidden from it) and one it failed (still visible)."""
    people = make_people(create_user)
    workers = {"320404001": people.grid1, "320404002": people.grid2}
    for grid in Grid.objects.selectable().street_level():
        workers.setdefault(grid.code, create_user(f"p_grid_{grid.code}", roles=["grid_worker"], grids=[grid.code]))
    people.two_grids = create_user("p_two", roles=["grid_worker"], grids=["320404001", "320404003"])
    people.inactive = create_user("p_inactive", roles=["grid_worker"], grids=["320404001"])
    people.inactive.is_active = False
    people.inactive.save()
    people.nobody = create_user("p_nobody")
    people.both = create_user("p_both", roles=["grid_worker", "inspector"], grids=["320404002"])
    stall, gen.CASE_STALL_SHARE = gen.CASE_STALL_SHARE, 0.3  # more open cases: overdue ones too
    try:
        gen.generate(enterprises=20, cases=80, seed=7)
    finally:
        gen.CASE_STALL_SHARE = stall
    people.returned = _case_in(people, "awaiting_assignment")
    people.failed = _case_in(people, "district_triage")
    perform(case_id=people.failed.pk, action="triage_regrid", actor=people.clerk, data={"grid": "320404002"})
    people.users = [people.leader, people.clerk, people.inspector1, people.inspector2, people.admin,
                    people.two_grids, people.inactive, people.nobody, people.both, *workers.values()]
    people.grid_only = {people.two_grids.pk, *(w.pk for w in workers.values())}
    people.years = sorted({timezone.localtime(c.created_at).year for c in Case.objects.all()})
    return people


@pytest.fixture
def data(generated, db):
    return generated


def users():
    return st.integers(min_value=0, max_value=100)


def pick(items, i):
    return items[i % len(items)]


def visible_ids(user) -> set[int]:
    return set(selectors.case_list_for(user).values_list("pk", flat=True))


def test_the_generated_world_is_what_it_says(data):
    assert Case.objects.count() > 80
    assert {c.status for c in Case.objects.all()} >= {"grid_pending", "grid_handling", "grid_resolved",
                                                      "district_triage", "awaiting_assignment", "inspecting",
                                                      "closed"}
    assert data.returned.pk not in visible_ids(data.grid1)
    assert data.failed.pk in visible_ids(data.grid1)
    assert Case.objects.filter(overdue_q()).exists()


@PROPERTY
@given(who=users())
def test_visible_count_is_the_count_of_the_rule(data, who):
    user = pick(data.users, who)
    assert selectors.visible_count(user) == selectors.case_list_for(user).count(), user.username


@PROPERTY
@given(who=users())
def test_case_by_case_form_holds_the_same_cases(data, who):
    user = pick(data.users, who)
    other_form = selectors.visible_case_by_case(user)
    if (user.pk in data.grid_only or user.username.startswith("k_inspector")) and user.is_active:
        assert set(other_form.values_list("pk", flat=True)) == visible_ids(user), user.username
    else:
        assert other_form is None, user.username


CONDITIONS = {
    "queue": lambda user, now: selectors.queue_q(user),
    "overdue": lambda user, now: overdue_q(now),
    "new_today": lambda user, now: Q(created_at__gte=now - dt.timedelta(days=1)),
    "completed_this_year": lambda user, now: COMPLETED_Q & Q(closed_at__gte=now - dt.timedelta(days=365)),
    "pending": lambda user, now: Q(status=CaseStatus.GRID_PENDING),
}


@PROPERTY
@given(who=users(), condition=st.sampled_from(sorted(CONDITIONS)))
def test_small_count_form_counts_what_the_rule_counts(data, who, condition):
    user = pick(data.users, who)
    now = clock.now()
    q = CONDITIONS[condition](user, now)
    assert selectors.visible_for_small_counts(user).filter(q).count() == \
        selectors.case_list_for(user).filter(q).count(), (user.username, condition)


@PROPERTY
@given(who=users(), grid=st.sampled_from(["320404001", "320404002", "320404003", "320404", "320404999"]),
       year=st.integers(min_value=0, max_value=10), completed=st.booleans())
def test_figure_list_count_is_the_count_of_the_list_behind_the_figure(data, who, grid, year, completed):
    user = pick(data.users, who)
    year = pick(data.years, year)
    statuses = ["grid_resolved", "closed"] if completed else None
    shortcut = selectors.figure_list_count(user, stat_grid=grid, year=year, statuses=statuses)
    listed = selectors.filter_cases(selectors.case_list_for(user), stat_grid=grid, year=year, status=statuses,
                                    user=user)
    assert shortcut is None or shortcut == listed.count(), (user.username, grid, year, statuses)


@PROPERTY
@given(who=users(), year=st.integers(min_value=0, max_value=10), completed=st.booleans())
def test_figure_cases_are_the_cases_the_counts_count(data, who, year, completed):
    """Issue 11 item 8: the cases behind a user's figures, one by one, are as
    many as their case counts say — per year, all or completed."""
    user = pick(data.users, who)
    year = pick(data.years, year)
    start, end = year_bounds(year)
    cases = counts.figure_cases(user).filter(created_at__gte=start, created_at__lt=end)
    cells = counts.counts_in_scope(user).filter(year=year)
    if completed:
        cases, cells = cases.filter(COMPLETED_Q), cells.filter(COMPLETED_Q)
    assert cases.count() == (cells.aggregate(n=Sum("n"))["n"] or 0), (user.username, year, completed)


def test_a_grid_workers_figure_cases_test_the_grid_case_by_case(data):
    """Issue 19: the desk home's "a month ago" counts a month of a grid worker's cases;
    as a plain EXISTS MariaDB first collected every round the grid ever had (50 ms at
    10⁶ cases), so the grid is tested on each case the month's index picks."""
    user = next(u for u in data.users if u.pk in data.grid_only and u.is_active and counts.counted_by_grids(u))
    sql = str(counts.figure_cases(user).query)
    assert "CASE WHEN EXISTS" in sql and " AND EXISTS" not in sql


def test_figure_list_count_answers_for_leaders_and_a_workers_own_grid(data):
    year = data.years[-1]
    assert selectors.figure_list_count(data.leader, stat_grid="320404001", year=year) is not None
    assert selectors.figure_list_count(data.grid1, stat_grid="320404001", year=year) is not None
    assert selectors.figure_list_count(data.grid1, stat_grid="320404002", year=year) is None  # not their grid
    assert selectors.figure_list_count(data.both, stat_grid="320404002", year=year) is None  # also an inspector


def test_total_from_the_counts_is_the_number_of_cases(data):
    assert counts.total() == Case.objects.count()


FILTERS = [{}, {"overdue": True}, {"status": ["grid_resolved", "closed"]}, {"grid": "320404002"},
           {"overdue": False, "status": ["grid_handling"]}]


@PROPERTY
@given(who=users(), filters=st.sampled_from(range(len(FILTERS))), start=st.integers(min_value=0, max_value=120),
       size=st.integers(min_value=1, max_value=30))
def test_two_step_pages_are_the_slices_of_the_list(data, who, filters, start, size):
    user = pick(data.users, who)
    wanted = FILTERS[filters]
    qs = (selectors.filter_cases(selectors.with_overdue(selectors.case_list_for(user)), **wanted)
          .select_related("grid", "reason").order_by("-created_at", "-id"))
    expected = list(qs.values_list("pk", flat=True)[start:start + size])
    ids_from = selectors.visible_case_by_case(user) if not wanted else None
    page = page_of(qs, start, start + size, ids_from=ids_from)
    assert [c.pk for c in page] == expected, (user.username, wanted, start, size)
    assert all(hasattr(c, "is_overdue") for c in page)


# --- the API's list, end to end ---------------------------------------------------------------
def api(user) -> APIClient:
    client = APIClient()
    authorize(client, user)
    return client


@pytest.mark.parametrize("query", [{}, {"overdue": "true"}, {"status": "grid_resolved"}])
def test_api_pages_cover_the_visible_list_once_newest_first(data, query):
    """Issue #3: GET cases/ — count, and the pages together are the visible list, newest first, no repeats."""
    for user in (data.leader, data.grid1, data.two_grids, data.inspector1):
        visible = selectors.filter_cases(selectors.case_list_for(user),
                                         overdue=True if query.get("overdue") == "true" else None,
                                         status=query.get("status"))
        expected = list(visible.order_by("-created_at", "-id").values_list("number", flat=True))
        seen, page, client = [], 1, api(user)
        while True:
            body = client.get(CASES, {**query, "page": page, "page_size": 25}).json()
            assert body["count"] == len(expected), (user.username, query)
            seen += [row["number"] for row in body["results"]]
            if not body["next"]:
                break
            page += 1
        assert seen == expected, (user.username, query)


def test_api_list_behind_a_figure_counts_its_cases(data):
    """R-KB-18/19: the list a figure opens (stat_grid + year, and completed) — counted from the case
    counts — has the count and the cases of the list itself, for a leader and a grid worker."""
    year = data.years[-1]
    for user, grid in ((data.leader, "320404002"), (data.grid1, "320404001")):
        for statuses in (None, ["grid_resolved", "closed"]):
            listed = selectors.filter_cases(selectors.case_list_for(user), stat_grid=grid, year=year,
                                            status=statuses, user=user)
            query = {"stat_grid": grid, "year": year, "page_size": 100}
            if statuses:
                query["status"] = ",".join(statuses)
            body = api(user).get(CASES, query).json()
            assert body["count"] == listed.count()
            assert {r["number"] for r in body["results"]} == set(listed.values_list("number", flat=True)[:100])


def test_desk_list_behind_a_figure_shows_its_cases(data):
    from django.test import Client

    desk = Client()
    desk.force_login(data.grid1, backend="zhonglou_hrss.core.auth.CachedModelBackend")
    year = data.years[-1]
    listed = selectors.filter_cases(selectors.case_list_for(data.grid1), stat_grid="320404001", year=year,
                                    user=data.grid1)
    html = desk.get("/desk/kuaiban/case/", {"stat_grid": "320404001", "year": year}).content.decode()
    shown = {n for n in listed.values_list("number", flat=True) if n in html}
    assert shown == set(list(listed.order_by("-created_at", "-id").values_list("number", flat=True))[:20])


def test_cheap_count_follows_changes_at_once(data):
    """No caching: a new case counts at once, a grid's return hides it from the count and the list (R-KB-07)."""
    client = api(data.grid1)
    before = client.get(CASES).json()["count"]
    pending = register_case(actor=data.clerk, data=registration(grid="320404001"), source=CaseSource.INTERNAL).case
    assert client.get(CASES).json()["count"] == before + 1
    perform(case_id=pending.pk, action="grid_return", actor=data.grid1, data={"reason": "不属于本网格"})
    body = client.get(CASES, {"page_size": 100}).json()
    assert body["count"] == before
    assert pending.number not in {row["number"] for row in body["results"]}


@pytest.mark.parametrize("who", ["grid1", "two_grids", "leader", "both"])
def test_desk_whole_list_counts_and_pages_the_visible_cases(data, who):
    """The desk's whole case list (no filter) is counted and paged by the fast forms: its count and
    first page are the rule's."""
    from django.test import Client

    user = getattr(data, who)
    desk = Client()
    desk.force_login(user, backend="zhonglou_hrss.core.auth.CachedModelBackend")
    response = desk.get("/desk/kuaiban/case/")
    listed = selectors.case_list_for(user).order_by("-created_at", "-id")
    assert response.context_data["cl"].result_count == listed.count()
    shown = [c.pk for c in response.context_data["cl"].result_list]
    assert shown == list(listed.values_list("pk", flat=True)[:20])
