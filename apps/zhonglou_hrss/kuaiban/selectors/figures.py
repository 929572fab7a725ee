"""Figures for the one map, the analysis and the dashboard (R-KB-18, R-KB-19).

Definitions (also written on the pages and in the Excel files, in Chinese:
``rules.figure_definitions()``):
- A case belongs to the year and month it was registered (Asia/Shanghai).
- Its statistics grid is its attributed grid once set (district-handled cases),
  otherwise its current grid (after a re-assignment, the new grid).
- *Received*: registered in the period with that statistics grid.
- *Completed*: received in the period and now 网格调解成功 or 已办结.
  正常结束 (invalid) cases are counted separately, never as completed.
- Petitions: registered in the period with that grid; completed when they
  have a handling result and time.

Case figures are SQL sums over the case counts (``CaseCount``, kept exact by
``services.case_counts`` in the transaction of every change to a case) — the
same numbers as an aggregate over the cases, without reading a million rows
per request. Petition figures, the overdue figures and the dashboard are SQL
aggregates over the visible records (``petitions_in_scope``,
``case_list_for``) on indexes. Never a Python loop over rows.

Whose cases: leaders and clerks count every case; a grid worker counts, for
each of their grids, the cases that grid has (had) in hand — a round there
not returned (R-KB-16), the cases they see in their list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.models import Grid
from zhonglou_hrss.kuaiban.models import GridRound
from zhonglou_hrss.kuaiban.rules import (
    COMPLETED_Q,
    INVALID_Q,
    MIN_CASES_TO_RANK,
    PETITION_COMPLETED_Q,
    VIEW_ALL,
    completion_rate,
    overdue_cutoff,
    overdue_q,
    this_year,
    year_bounds,
)
from zhonglou_hrss.kuaiban.selectors.cases import case_list_for, queue_q, visible_for_small_counts
from zhonglou_hrss.kuaiban.selectors.counts import counts_in_scope, figure_cases
from zhonglou_hrss.kuaiban.selectors.people import can_view_stats, counted_by_grids, opens_figure_lists
from zhonglou_hrss.kuaiban.selectors.petitions import petitions_in_scope


def data_years(user) -> list[int]:
    """Years offered by the year selectors, newest first: from the first year
    with a counted case or a visible petition to this year (or the last year
    with data). Two small MIN/MAX aggregates, whatever the number of rows."""
    years = {this_year()}
    bounds = counts_in_scope(user).aggregate(first=Min("year"), last=Max("year"))
    years.update(v for v in bounds.values() if v is not None)
    bounds = petitions_in_scope(user).aggregate(first=Min("created_at"), last=Max("created_at"))
    years.update(timezone.localtime(v).year for v in bounds.values() if v is not None)
    return list(range(max(years), min(years) - 1, -1))


def _sum(q: Q | None = None):
    return Coalesce(Sum("n", filter=q), 0)


def grids_in_scope(user) -> QuerySet[Grid]:
    """The grid rows a user's figures show: a grid worker their own grids,
    everyone else every grid."""
    if counted_by_grids(user):
        return user.grids.all().order_by("order", "code")
    return Grid.objects.all().order_by("order", "code")


# --- the one map -------------------------------------------------------------------
def map_figures(user, year: int) -> dict:
    start, end = year_bounds(year)
    grids = list(grids_in_scope(user))
    grid_ids = [g.pk for g in grids]
    cases = (counts_in_scope(user).filter(year=year, stat_grid_id__in=grid_ids)
             .values("stat_grid_id")
             .annotate(received=_sum(), completed=_sum(COMPLETED_Q), invalid=_sum(INVALID_Q)))
    petitions = (petitions_in_scope(user).filter(created_at__gte=start, created_at__lt=end, grid_id__in=grid_ids)
                 .values("grid_id")
                 .annotate(n=Count("pk"), done=Count("pk", filter=PETITION_COMPLETED_Q)))
    by_grid = {row["stat_grid_id"]: row for row in cases}
    pet_by_grid = {row["grid_id"]: row for row in petitions}
    rows = []
    for grid in grids:
        c = by_grid.get(grid.pk, {})
        p = pet_by_grid.get(grid.pk, {})
        rows.append({
            "code": grid.code, "name": grid.name, "kind": grid.kind, "active": grid.active,
            "lat": float(grid.lat) if grid.lat is not None else None,
            "lng": float(grid.lng) if grid.lng is not None else None,
            "cases_received": c.get("received", 0), "cases_completed": c.get("completed", 0),
            "cases_invalid": c.get("invalid", 0),
            "petitions": p.get("n", 0), "petitions_completed": p.get("done", 0),
        })
    keys = ("cases_received", "cases_completed", "cases_invalid", "petitions", "petitions_completed")
    totals = {k: sum(r[k] for r in rows) for k in keys}
    return {"year": year, "grids": rows, "totals": totals}


# --- analysis ------------------------------------------------------------------------
@dataclass
class GridYear:
    code: str
    name: str
    year: int
    received: int
    completed: int

    @property
    def rate(self):
        return completion_rate(self.completed, self.received)


def yearly_by_grid(user) -> dict:
    """Per grid per year (all years with data): received, completed, rate."""
    grids = list(grids_in_scope(user))
    names = {g.pk: g for g in grids}
    rows = (counts_in_scope(user).filter(stat_grid_id__in=list(names))
            .values("stat_grid_id", "year")
            .annotate(received=_sum(), completed=_sum(COMPLETED_Q))
            .order_by("year"))
    years = sorted({r["year"] for r in rows})
    table = {(r["stat_grid_id"], r["year"]): r for r in rows}
    out = []
    for grid in grids:
        for year in years:
            r = table.get((grid.pk, year), {})
            out.append(GridYear(grid.code, grid.name, year, r.get("received", 0), r.get("completed", 0)))
    return {"years": years, "rows": out}


def monthly_by_grid(user, year: int) -> dict:
    """Per grid, the year's months: received and completed."""
    grids = list(grids_in_scope(user))
    rows = (counts_in_scope(user).filter(year=year, stat_grid_id__in=[g.pk for g in grids])
            .values("stat_grid_id", "month")
            .annotate(received=_sum(), completed=_sum(COMPLETED_Q)))
    table = {(r["stat_grid_id"], r["month"]): r for r in rows}
    series = []
    for grid in grids:
        months = [table.get((grid.pk, m), {}) for m in range(1, 13)]
        series.append({
            "code": grid.code, "name": grid.name,
            "received": [m.get("received", 0) for m in months],
            "completed": [m.get("completed", 0) for m in months],
        })
    return {"year": year, "grids": series}


def ranks_grids(user) -> bool:
    """Whether the user's ranking gives places (名次). A grid worker's figures
    cover their own grids only, so a "ranking" of them would read 名次 1 for a
    single grid — no comparison at all. Their place among all the district's
    grids is not shown either: it ranks rates counted another way (every case
    with that statistics grid, where their own figures count only the cases
    their grid had in hand, R-KB-16), so the rate beside the place would not
    be the rate on their page, and it is the leaders' comparison of grids
    (R-KB-19), read from the district's figures. They get their grids'
    completion rate, without a place."""
    return not counted_by_grids(user)


def ranking(user, year: int, figures: dict | None = None) -> list[dict]:
    """Grids by the year's completion rate; ties by completed count. Grids with
    fewer than MIN_CASES_TO_RANK received cases are listed after, marked.
    ``rank`` is None for those, and for every row of a user who is not given
    places (``ranks_grids``).
    ``figures``: the year's ``map_figures`` when the caller has them already."""
    rows = (figures or map_figures(user, year))["grids"]
    ranked = []
    for r in rows:
        rate = completion_rate(r["cases_completed"], r["cases_received"])
        ranked.append({**r, "rate": rate, "rankable": r["cases_received"] >= MIN_CASES_TO_RANK})
    ranked.sort(key=lambda r: (not r["rankable"], -(r["rate"] or 0), -r["cases_completed"], r["code"]))
    places = ranks_grids(user)
    position = 0
    for r in ranked:
        if r["rankable"] and places:
            position += 1
            r["rank"] = position
        else:
            r["rank"] = None
    return ranked


def overdue_by_grid(user) -> list[dict]:
    """Cases overdue right now, per grid (the grid holding them)."""
    grids = list(grids_in_scope(user))
    # The cases the user's lists show; the district's for who reads its figures as data.
    source = case_list_for(user) if opens_figure_lists(user) else figure_cases(user)
    counts = dict(source.filter(overdue_q(), grid__in=grids).values_list("grid_id")
                  .annotate(n=Count("pk")).values_list("grid_id", "n"))
    return [{"code": g.code, "name": g.name, "overdue": counts.get(g.pk, 0)} for g in grids]


def analysis(user, year: int) -> dict:
    yearly = yearly_by_grid(user)
    return {
        "year": year,
        "yearly": {"years": yearly["years"], "rows": [
            {"code": r.code, "name": r.name, "year": r.year, "received": r.received, "completed": r.completed,
             "rate": r.rate} for r in yearly["rows"]]},
        "monthly": monthly_by_grid(user, year),
        "ranking": [{k: r[k] for k in ("rank", "code", "name", "cases_received", "cases_completed", "rate",
                                       "rankable")} for r in ranking(user, year, map_figures(user, year))],
        "ranked": ranks_grids(user),
        "overdue": overdue_by_grid(user),
        "min_cases_to_rank": MIN_CASES_TO_RANK,
    }


# --- dashboard ------------------------------------------------------------------------
def same_moment_last_month(local: dt.datetime) -> dt.datetime:
    """The same day and time a month earlier; the earlier month's last day when
    it is shorter (31 March → 28 or 29 February)."""
    last_of_previous = local.replace(day=1) - dt.timedelta(days=1)
    return local.replace(year=last_of_previous.year, month=last_of_previous.month,
                         day=min(local.day, last_of_previous.day))


def year_figures(user, now=None) -> dict | None:
    """This year's received, completed and completion rate as the one map
    and the analysis count them (the case counts: a few hundred cells, cheap
    at any number of cases), and the same figures as they stood at the same
    moment last month (``*_then``; None in January, before the year had a month).

    A month ago is the cells minus what happened since: the cases registered
    since then, and the year's cases completed since then — two COUNTs over
    a month's range of the created_at and (closed_at, status, grid) indexes.
    Exact, because a completed case stays completed (网格调解成功 and 已办结 are
    final) and its completion time is ``closed_at``. Not the same period last
    year: last year's cases, counted by their status now, are nearly all
    completed, so this year's rate would always look worse; how they stood a
    year ago is not in the counts. None for users without figures."""
    if not can_view_stats(user):
        return None
    now = now or clock.now()
    local = timezone.localtime(now)
    start, _ = year_bounds(local.year)
    cells = counts_in_scope(user).filter(year=local.year).aggregate(received=_sum(), completed=_sum(COMPLETED_Q))
    received, completed = cells["received"], cells["completed"]
    then = same_moment_last_month(local)
    figures = {"year": local.year, "received": received, "completed": completed,
               "rate": completion_rate(completed, received), "then": then,
               "received_then": None, "completed_then": None, "rate_then": None}
    if then >= start:
        this_year_cases = figure_cases(user).filter(created_at__gte=start)
        received_then = received - this_year_cases.filter(created_at__gte=then).count()
        completed_then = completed - this_year_cases.filter(COMPLETED_Q, closed_at__gte=then).count()
        figures.update(received_then=received_then, completed_then=completed_then,
                       rate_then=completion_rate(completed_then, received_then))
    return figures


def dashboard_figures(user, now=None) -> dict:
    """Number cards of the desk home, each with the previous period's value.

    One COUNT per card, each answered from an index (created_at, status,
    (status, grid_accepted_at), (closed_at, status, grid), the rounds'
    (grid, outcome) and outcome_at): one aggregate with a FILTER per card would read every visible
    case (a second at a million cases). A card and its previous period share
    one range of the same index, so they are one query with two counts
    (today and yesterday: the cases since yesterday; this month and last
    month: the completions since last month began; the queue and its new
    part: the queue)."""
    now = now or clock.now()
    local = timezone.localtime(now)
    today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    yesterday = today - dt.timedelta(days=1)
    month_start = today.replace(day=1)
    prev_month_start = (month_start - dt.timedelta(days=1)).replace(day=1)
    same_point_last_month = same_moment_last_month(local)
    visible = visible_for_small_counts(user)
    # A grid worker's grid ids as literals: MariaDB then tests them inside the
    # indexes, before the visibility test, instead of joining the user's grids.
    my_grids = list(user.grids.values_list("pk", flat=True)) if counted_by_grids(user) else None
    if my_grids is not None:
        visible = visible.filter(grid_id__in=my_grids)

    def counts(q: Q, **parts: Q) -> dict[str, int]:
        return visible.filter(q).aggregate(**{name: Count("pk", filter=part) for name, part in parts.items()})

    figures = {
        **counts(Q(created_at__gte=yesterday),
                 new_today=Q(created_at__gte=today), new_yesterday=Q(created_at__lt=today)),
        **counts(queue_q(user), waiting=Q(), waiting_new_today=Q(created_at__gte=today)),
        "overdue": visible.filter(overdue_q(now)).count(),
        **counts(COMPLETED_Q & Q(closed_at__gte=prev_month_start),
                 closed_month=Q(closed_at__gte=month_start),
                 closed_prev_month=Q(closed_at__lt=same_point_last_month)),
    }
    # Overdue a day ago, from the rounds: accepted 15+ days before then and
    # open at that moment — still open (no outcome), or given its outcome
    # since. A case has at most one open round at a time, so counting rounds
    # counts cases. A grid worker's: the rounds in their grids (as "overdue
    # now" counts the cases whose open round is there).
    then = now - dt.timedelta(days=1)
    rounds = GridRound.objects.filter(accepted_at__lte=overdue_cutoff(then))
    if my_grids is not None:
        rounds = rounds.filter(grid_id__in=my_grids)
    elif not user.has_perm(VIEW_ALL):
        rounds = rounds.filter(case__in=visible.values("pk"))
    figures["overdue_yesterday"] = (rounds.filter(outcome="").count()
                                    + rounds.filter(outcome_at__gt=then).count())
    return figures
