"""The case list's paging (kuaiban.paging, page_of / visible_count /
visible_case_by_case), written for speed at a million cases, gives exactly
what plain paging of case_list_for gives: the same count, the same cases in
the same order on every page (R-KB-16 visibility, issue #3 list contract)."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from zhonglou_hrss.core.models import Grid
from zhonglou_hrss.core.paging import page_of
from zhonglou_hrss.kuaiban.selectors import cases as selectors
from zhonglou_hrss.kuaiban.services.transitions import perform

from tests.bench_generator import gen

pytestmark = pytest.mark.django_db
CASES = "/api/v1/kuaiban/cases/"


@pytest.fixture
def cases(people, make_user, case_in, monkeypatch):
    """Generated cases in every state over several grids and years, plus a
    worker of two grids, a case grid1 returned (hidden from it) and one it
    failed (still visible), an inactive worker and a user without kuaiban roles."""
    people.workers = {"320404001": people.grid1, "320404002": people.grid2}
    for grid in Grid.objects.selectable().street_level():
        if grid.code not in people.workers:
            people.workers[grid.code] = make_user(f"p_grid_{grid.code}", roles=["grid_worker"], grids=[grid.code])
    people.two_grids = make_user("p_two", roles=["grid_worker"], grids=["320404001", "320404003"])
    people.inactive = make_user("p_inactive", roles=["grid_worker"], grids=["320404001"])
    people.inactive.is_active = False
    people.inactive.save()
    people.nobody = make_user("p_nobody")
    people.both = make_user("p_both", roles=["grid_worker", "inspector"], grids=["320404002"])
    monkeypatch.setattr(gen, "CASE_STALL_SHARE", 0.3)
    gen.generate(enterprises=20, cases=80, seed=7)
    people.returned = case_in("awaiting_assignment")  # grid1 returned it: hidden from grid1
    people.failed = case_in("district_triage")  # grid1 failed it: still visible to grid1
    perform(case_id=people.failed.pk, action="triage_regrid", actor=people.clerk, data={"grid": "320404002"})
    return people


def all_users(people):
    return [people.leader, people.clerk, people.inspector1, people.inspector2, people.admin, people.two_grids,
            people.inactive, people.nobody, people.both, *people.workers.values()]


def test_visible_count_equals_the_visible_list(cases):
    """R-KB-16: the cheap count is the number of cases the user may see, for every kind of user."""
    for user in all_users(cases):
        assert selectors.visible_count(user) == selectors.case_list_for(user).count(), user.username
    assert selectors.visible_count(cases.grid1) > 0
    assert cases.returned not in selectors.case_list_for(cases.grid1)
    assert cases.failed in selectors.case_list_for(cases.grid1)


def test_visible_case_by_case_is_the_visible_list(cases):
    """The page-friendly form of a grid worker's list holds exactly the same cases."""
    for user in all_users(cases):
        other_form = selectors.visible_case_by_case(user)
        if user in (cases.grid1, cases.two_grids, *cases.workers.values()):
            assert other_form is not None
            assert set(other_form.values_list("pk", flat=True)) == set(
                selectors.case_list_for(user).values_list("pk", flat=True)), user.username
        else:
            assert other_form is None, user.username  # leader, clerk, inspectors, both roles, inactive, nobody


@pytest.mark.parametrize("filters", [{}, {"overdue": True}, {"status": ["grid_resolved", "closed"]},
                                     {"grid": "320404002"}])
def test_page_of_gives_the_pages_of_the_list(cases, filters):
    """Two-step pages are the plain slices of the ordered list, for every user, filter and page."""
    for user in (cases.leader, cases.grid1, cases.two_grids, cases.inspector1, cases.both):
        qs = (selectors.filter_cases(selectors.with_overdue(selectors.case_list_for(user)), **filters)
              .select_related("grid", "reason").order_by("-created_at", "-id"))
        expected = list(qs.values_list("pk", flat=True))
        ids_from = selectors.visible_case_by_case(user) if not filters else None
        for start in range(0, len(expected) + 7, 7):
            page = page_of(qs, start, start + 7, ids_from=ids_from)
            assert [c.pk for c in page] == expected[start:start + 7], (user.username, filters, start)
            assert all(hasattr(c, "is_overdue") for c in page)


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.mark.parametrize("query", [{}, {"overdue": "true"}, {"status": "grid_resolved"}, {"overdue": ""}])
def test_api_pages_cover_the_visible_list_once_newest_first(cases, query):
    """Issue #3: GET cases/ — count, and the pages together are the visible list, newest first, no repeats."""
    for user in (cases.leader, cases.grid1, cases.two_grids, cases.inspector1):
        client = api(user)
        visible = selectors.filter_cases(selectors.case_list_for(user),
                                         overdue=True if query.get("overdue") == "true" else None,
                                         status=query.get("status"))
        expected = list(visible.order_by("-created_at", "-id").values_list("number", flat=True))
        seen, page = [], 1
        while True:
            body = client.get(CASES, {**query, "page": page, "page_size": 9}).json()
            assert body["count"] == len(expected), (user.username, query)
            seen += [row["number"] for row in body["results"]]
            if not body["next"]:
                break
            page += 1
        assert seen == expected, (user.username, query)


def test_cheap_count_follows_changes_at_once(cases, new_case):
    """No caching: a new case counts at once, a grid's return hides it from the count and the list (R-KB-07)."""
    client = api(cases.grid1)
    before = client.get(CASES).json()["count"]
    pending = new_case(grid="320404001")
    assert client.get(CASES).json()["count"] == before + 1
    perform(case_id=pending.pk, action="grid_return", actor=cases.grid1, data={"reason": "不属于本网格"})
    body = client.get(CASES, {"page_size": 100}).json()
    assert body["count"] == before
    assert pending.number not in {row["number"] for row in body["results"]}


def test_lists_behind_the_figures_count_exactly_their_cases(cases):
    """R-KB-18/19: the case list a figure opens (statistics grid + year, and the
    completed statuses) is counted from the case counts — for every kind of
    user, every grid and year, in the API and the desk, the count is that of
    the list itself, and the pages hold exactly its cases."""
    from django.test import Client
    from django.utils import timezone

    from zhonglou_hrss.kuaiban.models import Case

    years = sorted({timezone.localtime(c.created_at).year for c in Case.objects.all()})
    grids = ["320404001", "320404002", "320404003", "320404"]
    completed = ["grid_resolved", "closed"]
    shortcut_users = 0
    for user in all_users(cases):
        client = api(user)
        for code in grids:
            for year in years:
                for statuses in (None, completed):
                    listed = selectors.filter_cases(selectors.case_list_for(user), stat_grid=code, year=year,
                                                    status=statuses, user=user)
                    expected = listed.count()
                    shortcut = selectors.figure_list_count(user, stat_grid=code, year=year, statuses=statuses)
                    if shortcut is not None:
                        shortcut_users += 1
                        assert shortcut == expected, (user.username, code, year, statuses)
                    if not user.is_active:
                        continue  # signed out by the API (401); the count above is still checked
                    query = {"stat_grid": code, "year": year, "page_size": 100}
                    if statuses:
                        query["status"] = ",".join(statuses)
                    body = client.get(CASES, query).json()
                    assert body["count"] == expected, (user.username, code, year, statuses)
                    assert {r["number"] for r in body["results"]} == set(
                        listed.values_list("number", flat=True)[:100]) or expected > 100
    assert shortcut_users > 0
    # The desk list behind a figure shows the same count.
    desk = Client()
    desk.force_login(cases.grid1, backend="django.contrib.auth.backends.ModelBackend")
    year = years[-1]
    listed = selectors.filter_cases(selectors.case_list_for(cases.grid1), stat_grid="320404001", year=year,
                                    user=cases.grid1)
    html = desk.get("/desk/kuaiban/case/", {"stat_grid": "320404001", "year": year}).content.decode()
    numbers = set(listed.values_list("number", flat=True))
    shown = {n for n in numbers if n in html}
    assert shown == set(list(listed.order_by("-created_at", "-id").values_list("number", flat=True))[:30])
