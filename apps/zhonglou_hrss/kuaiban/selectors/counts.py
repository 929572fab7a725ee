"""Case counts (``CaseCount``), read: the figures' summary of the cases.

The one map and the analysis (``selectors.figures``) add up these rows — one
per statistics grid × year × month × status × grid-seen flag, a few thousand
at most — instead of aggregating every case on each request (a million cases
took seconds; see benchmarks/RESULTS.md). ``services.case_counts`` keeps them
exact in the transaction of every change to a case and repairs them nightly.

The year and month are the registration's, in Asia/Shanghai — the same fixed
+8 h shift as ``core.clock.local_part``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.models import Grid
from zhonglou_hrss.core.selectors import row_by_row
from zhonglou_hrss.kuaiban.models import Case, CaseCount, GridOutcome, GridRound
from zhonglou_hrss.kuaiban.selectors.people import can_view_stats, counted_by_grids


@dataclass(frozen=True, order=True)
class Key:
    stat_grid_id: int
    year: int
    month: int
    status: str
    grid_seen: bool

    @classmethod
    def of(cls, row) -> Key:
        """The key of a stored ``CaseCount`` row."""
        return cls(row.stat_grid_id, row.year, row.month, row.status, row.grid_seen)

    def fields(self) -> dict:
        return {"stat_grid_id": self.stat_grid_id, "year": self.year, "month": self.month, "status": self.status,
                "grid_seen": self.grid_seen}


def stat_grid_id_of(case: Case) -> int:
    """The statistics grid: the attributed grid once set, else the current grid."""
    return case.attributed_grid_id or case.grid_id


def key_of(case: Case) -> Key:
    """The cell a case counts in now (one indexed query for the flag)."""
    stat_grid_id = stat_grid_id_of(case)
    local = timezone.localtime(case.created_at)
    seen = (GridRound.objects.filter(case_id=case.pk, grid_id=stat_grid_id)
            .exclude(outcome=GridOutcome.RETURNED).exists())
    return Key(stat_grid_id, local.year, local.month, case.status, seen)


def total() -> int:
    """How many cases there are, from the counts (a few thousand rows instead
    of an exact COUNT over every case: ~100 ms at 10⁶ on MariaDB)."""
    return CaseCount.objects.aggregate(n=Sum("n"))["n"] or 0


def stored_counts() -> dict[Key, int]:
    """The stored counts that are not zero, by key (to compare with ``live_counts``)."""
    return {Key.of(c): c.n for c in CaseCount.objects.exclude(n=0)}


def live_counts(case_model=Case, round_model=GridRound) -> dict[Key, int]:
    """Every cell's count computed from the cases (one aggregate; seconds at a million cases)."""
    seen = Exists(round_model.objects.filter(case=OuterRef("pk"), grid_id=OuterRef("stat_grid_id"))
                  .exclude(outcome=GridOutcome.RETURNED))
    rows = (case_model.objects.order_by()
            .annotate(stat_grid_id=Coalesce(F("attributed_grid_id"), F("grid_id")),
                      year=clock.local_part(ExtractYear, "created_at"), month=clock.local_part(ExtractMonth, "created_at"),
                      grid_seen=seen)
            .values("stat_grid_id", "year", "month", "status", "grid_seen")
            .annotate(n=Count("pk")))
    return {Key(r["stat_grid_id"], r["year"], r["month"], r["status"], bool(r["grid_seen"])): r["n"] for r in rows}


def live_count_of(key: Key, case_model=Case, round_model=GridRound) -> int:
    """One cell's count computed from the cases: the cases registered in the
    key's month (Asia/Shanghai), with its status, statistics grid and grid-seen
    flag — a range of the (created_at, attributed_grid, grid) index, milliseconds
    at a million cases (the nightly check recounts a cell this way under its lock)."""
    start = timezone.make_aware(dt.datetime(key.year, key.month, 1))
    end = timezone.make_aware(dt.datetime(key.year + key.month // 12, key.month % 12 + 1, 1))
    seen = Exists(round_model.objects.filter(case=OuterRef("pk"), grid_id=key.stat_grid_id)
                  .exclude(outcome=GridOutcome.RETURNED))
    cases = case_model.objects.filter(
        Q(attributed_grid_id=key.stat_grid_id) | Q(attributed_grid__isnull=True, grid_id=key.stat_grid_id),
        created_at__gte=start, created_at__lt=end, status=key.status)
    return (cases.filter(seen) if key.grid_seen else cases.exclude(seen)).count()


# --- whose counts ---------------------------------------------------------------------------
def counts_in_scope(user) -> QuerySet[CaseCount]:
    """The case counts a user's figures add up: leaders and clerks every cell;
    a grid worker, for each of their grids, the cells of the cases that grid
    has (had) in hand — a round there not returned (R-KB-16)."""
    if not can_view_stats(user):
        return CaseCount.objects.none()
    qs = CaseCount.objects.filter(n__gt=0)
    if counted_by_grids(user):
        qs = qs.filter(stat_grid__in=user.grids.all(), grid_seen=True)
    return qs


def grid_id_of(code: str) -> int | None:
    """A grid's id by its code. The lists behind the figures filter on the id
    as a literal, not a join on the code: MariaDB can then answer from the
    (created_at, attributed_grid, grid) index (16 s → ms at 10⁶ cases)."""
    return Grid.objects.filter(code=code).values_list("pk", flat=True).first()


def stat_grid_q(grid_code: str, user=None) -> Q:
    """Cases counted in this grid's figures (for the case lists behind the
    figures): statistics grid is this grid and, for a grid worker, the grid
    has (had) the case in hand — as the case counts' ``grid_seen``."""
    grid_id = grid_id_of(grid_code)
    if grid_id is None:
        return Q(pk__in=[])
    return _stat_grid_id_q(grid_id, user)


def _stat_grid_id_q(grid_id: int, user=None, *, case_by_case: bool = False) -> Q:
    q = Q(attributed_grid_id=grid_id) | Q(attributed_grid__isnull=True, grid_id=grid_id)
    if user is not None and counted_by_grids(user):
        had_it = Exists(GridRound.objects.filter(case=OuterRef("pk"), grid_id=grid_id)
                        .exclude(outcome=GridOutcome.RETURNED))
        if case_by_case:
            # A month's few thousand cases (figure_cases): as a plain EXISTS MariaDB first
            # collected every round the grid ever had (270,000 at 10⁶ cases, 50 ms).
            had_it = row_by_row(had_it)
        q &= Q(had_it)
    return q


def figure_cases(user) -> QuerySet[Case]:
    """The cases the user's figures count, one by one — the cases behind
    ``counts_in_scope(user)``'s cells: every case for leaders and clerks; for
    a grid worker, per grid of theirs, the cases counted in it that it has
    (had) in hand. For the few figures the cells cannot give (the desk home's
    "a month ago": the cases registered or completed since then, a month's
    range of an index)."""
    if not can_view_stats(user):
        return Case.objects.none()
    if not counted_by_grids(user):
        return Case.objects.all()
    q = Q(pk__in=[])
    for grid_id in user.grids.values_list("pk", flat=True):
        q |= _stat_grid_id_q(grid_id, user, case_by_case=True)
    return Case.objects.filter(q)
